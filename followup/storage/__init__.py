"""The workbook on disk: reading, writing, history and trash."""
