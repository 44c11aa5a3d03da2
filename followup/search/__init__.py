"""The search as a whole: stage history statistics (`followup stats`) and an export of every
application (`followup export`)."""
