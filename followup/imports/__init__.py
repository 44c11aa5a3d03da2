"""Files from elsewhere read as plans for the workbook: invitations and tracker exports."""
