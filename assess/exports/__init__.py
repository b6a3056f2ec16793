"""Files assess writes for people to work in: spreadsheets and CSV, safe against formula injection."""
