"""The offer: what it is worth year by year (`value`), how it measures up (`verdict`), the table,
CSV, JSON and page `followup offers` shows (`tables`), and the notes to answer it (`drafts`)."""
