"""What a spreadsheet cell we write may hold, and what a cell we read may not.

Record text is untrusted (the public issue form accepts any title), so every sheet we write is
inert (OWASP, CSV injection): a text that a spreadsheet program would take for a formula (it
starts with = + - @, a tab or a carriage return, also after spaces, or with their full-width
forms) or for an error value (#REF!) is written to CSV behind one apostrophe, which programs show
as text; to XLSX every text goes as a string cell, marked as text (quotePrefix) when it looks like
a formula. Reading a CSV takes that one apostrophe off again; texts that already start with
apostrophes before such a start get one more, so every text comes back as it was written.

docs/assets/kb.js `csv` guards the browser's downloads by the same rule (a test runs both on the
same texts)."""
from __future__ import annotations

import re

# Spaces a program may skip before it looks for a formula's first character.
_SPACES = " \t\r\n\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_STARTS = "=+\\-@\uff1d\uff0b\uff0d\uff20"  # and their full-width forms, which some programs read alike
FORMULA_LIKE = re.compile(f"'*(?:[\t\r]|[{_SPACES}]*[{_STARTS}])")
# Error values of Excel, LibreOffice and Google Sheets, as a program writes them into a CSV
# (ASCII case rules, as the browser's: no 'ſ' for 's').
ERROR_VALUE = re.compile(f"'*[{_SPACES}]*(?:#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|"
                         f"BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!|TIMEOUT!|ERROR!)|Err:[0-9]{{3}})[{_SPACES}]*",
                         re.IGNORECASE | re.ASCII)
# Characters no text of ours holds: C0 and C1 controls but the line end, DEL, non-characters.
# (A tab is one too: inside a cell it is invisible, at its start it makes a formula.)
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")  # a record's Markdown may hold a tab


def looks_like_formula(text: str) -> bool:
    return bool(FORMULA_LIKE.match(text))


def is_error_value(text: str) -> bool:
    return bool(ERROR_VALUE.fullmatch(text))


def needs_guard(text: str) -> bool:
    return looks_like_formula(text) or is_error_value(text)


def guarded(value):
    """A value as a CSV cell: text a program would read as a formula or an error, behind an apostrophe."""
    return "'" + value if isinstance(value, str) and needs_guard(value) else value


def unguarded(text: str) -> tuple[str, str | None]:
    """(text, None) of a CSV cell we wrote, or (text, 'formula' | 'error') when a program wrote a
    formula or an error value there (no apostrophe before it)."""
    if not needs_guard(text):
        return text, None
    if text.startswith("'"):
        return text[1:], None
    return text, "formula" if looks_like_formula(text) else "error"


def text_cell(cell, value: str) -> None:
    """An openpyxl cell holding `value` as text: a string cell, never a formula or an error value
    (openpyxl types text starting with '=' as a formula, '#REF!' as an error)."""
    cell.value = value
    cell.data_type = "s"
    if needs_guard(value):
        cell.quotePrefix = True  # typing over it in the program keeps it text
