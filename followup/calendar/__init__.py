"""The checklist's dated steps and upcoming interviews as an iCalendar file."""
