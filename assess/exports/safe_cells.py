"""Cell values made safe for spreadsheets: protection against formula (CSV) injection.

Firm names, notes and evidence come from response files written by many hands.  A text that
starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip before
parsing) is run as a formula when the sheet or CSV is opened in Excel or LibreOffice: it can
fetch a URL, leak other cells or, through DDE, start a program.  OWASP's advice on CSV
injection (https://owasp.org/www-community/attacks/CSV_Injection) is to prefix such a text with
a single quote so that it stays text.  Every text cell assess writes to a sheet or CSV goes
through `neutralise`.

The check looks past leading whitespace (spreadsheets trim it before parsing) and also catches
the full-width forms ＝ ＋ － ＠, which Chinese input methods type and some spreadsheets
accept as their ASCII twins.  Numbers, dates, booleans and None are not text and are left
alone: a negative number stays a number.

Control characters other than tab, line feed and carriage return (a NUL, a bell, a vertical tab) are
dropped: XML 1.0 cannot hold them, so openpyxl refuses to write them (a traceback, not a sheet), and
in a CSV they only confuse the program that opens it.  A CSV table or a JSON response can carry them.
"""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
"""First characters that make a spreadsheet read a cell as a formula."""

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters, skipped like whitespace
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl's ILLEGAL_CHARACTERS_RE refuses


def is_dangerous(text: str) -> bool:
    """True when `text` would be read as a formula (its first character, after whitespace, triggers)."""
    for char in text:
        if char in TRIGGERS:  # checked first: a tab or carriage return is a trigger, not whitespace to skip
            return True
        if not (char.isspace() or char in _INVISIBLE):
            return False
    return False


def neutralise(value: object) -> object:
    """`value` safe to write to a cell: a formula-like string gets a leading `'` (and loses any control character
    a sheet cannot hold); anything else is unchanged."""
    if isinstance(value, str):
        return neutralise_text(value)
    return value


def neutralise_text(text: str) -> str:
    """`neutralise` for text, keeping the type for callers that need a str."""
    text = _NOT_IN_XML.sub("", text)
    return "'" + text if is_dangerous(text) else text
