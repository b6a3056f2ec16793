"""The layout shared by the spreadsheet questionnaire's writer and reader.

Every row that carries an answer has its key (a question id, or `firm.<field>`) in the hidden
column A, so the reader finds answers by key, whatever the sheet is called or the row order.
"""

from __future__ import annotations

KEY_COLUMN = 1  # A: hidden key
QUESTION_COLUMN = 2  # B
CHOICES_COLUMN = 3  # C
ANSWER_COLUMN = 4  # D
NOTE_COLUMN = 5  # E
TARGET_COLUMN = 6  # F
HEADER_ROW = 2
FIRST_ROW = 3
META_SHEET = "_assess"
LISTS_SHEET = "_lists"
FIRM_PREFIX = "firm."
FIRM_FIELDS = ("name", "credit_code", "industry", "markets", "assessment_date", "assessor", "status")
