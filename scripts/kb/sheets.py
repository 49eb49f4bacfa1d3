"""`kb translations`: where translations stand, and a spreadsheet for translators.

`status` counts the texts of each kind per language; `export` writes one row per translatable
text (XLSX and CSV, inert: cells.py); `import` writes the translated cells back into the YAML
files with ruamel.yaml's round-trip mode, so comments, key order, quoting and line wrapping stay
as they were, and records each touched scope's status and the fingerprint of the source text the
translation was made from.

An import is all or nothing: the sheet is read within the limits below, every row is checked
(cells, source text, conflicts with changes made since the export), the changed records are
built in memory and validated as `kb validate` would; only when nothing is refused are the files
written."""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import KINDS, LANGUAGES, cells as cell_rules, files, messages, translations
from .build import CACHE_FILE, check
from .issues import Issue
from .load import ParseCache, load_tree, parse_text
from .report import format_text
from .schemas import Schemas
from .translations import TRANSLATOR_STATUSES, TextRow
from .validate import validate_tree
from .yaml12 import _dotted

COLUMNS = ("record", "field", "language", "source_text", "translation", "status", "translator", "fingerprint",
           "translation_fingerprint", "overwrite")
TEXT_COLUMNS = ("source_text", "translation")  # texts as the records hold them (a tab allowed)
PERSON_STATUSES = ("draft", "reviewed")  # a person made or checked the translation: the translator column names them
OVERWRITE = "yes"  # in the column overwrite: put this row in place of a translation changed since the export
SHEET_NAME = "translations"

# What an import reads at most (README, "In a spreadsheet"). A workbook is refused from its zip
# directory, before it is unpacked: zipfile never unpacks more than the directory states.
MAX_ROWS = 100_000  # rows below the header (3,000 practices make some 39,000)
MAX_CELL_CHARS = 32_767  # characters in a cell: the spreadsheet programs' own limit
MAX_XLSX_EXPANDED = 128 * 2**20  # all parts of a workbook unpacked (3,000 practices: 50 MB; openpyxl reads 5 MB a second)
MAX_XLSX_PART = 100 * 2**20  # one part unpacked
MAX_XLSX_PARTS = 200  # parts in the workbook (a program's own writes some 10 to 30)
MAX_XLSX_RATIO = 100  # unpacked to packed size, of the whole and of any part over 1 MB (sheets pack 4 to 40 times)


def all_rows(root: Path, languages) -> tuple:
    """({target language: rows of every record}, issues); rows only when the records are valid."""
    checked = check(root, ParseCache(root / CACHE_FILE, read_only=True))  # a command on sheets writes no cache
    if not checked.ok:
        return None, checked.issues
    schemas = Schemas.load(root / "schemas")
    analyses = [(record, translations.of(record, record.kind, schemas)) for record in checked.kb.all_records()]
    return {lang: [row for record, analysis in analyses
                   for row in translations.text_rows(record.kind, record.id, record.path, analysis, lang)]
            for lang in languages}, checked.issues


# -- status ----------------------------------------------------------------------------------

def status(root: Path, out) -> int:
    lines = [f"{'language':<10} {'kind':<16} {'texts':>6} {'translated':>10} {'coverage':>8} "
             + " ".join(f"{state:>8}" for state in translations.COUNTED_STATES)]
    stale_lines = []
    by_language, issues = all_rows(root, LANGUAGES)
    if by_language is None:
        out.write(format_text(issues) + "\nFix the errors above first.\n")
        return 1
    for lang, rows in by_language.items():
        for kind, cover in translations.coverage(rows).items():
            lines.append(f"{lang:<10} {kind:<16} {cover.texts:>6} {cover.translated:>10} {cover.percent:>7}% "
                         + " ".join(f"{cover.states.get(state, 0):>8}" for state in translations.COUNTED_STATES))
        for kind, record_id, scope in translations.outdated(rows):
            part = f" › {'.'.join(str(step) for step in scope)}" if scope else ""
            stale_lines.append(f"  {lang}: {KINDS[kind]}/{record_id}.yml{part}")
    out.write("\n".join(lines) + "\n")
    out.write(("\nOutdated translations (the source text changed since):\n" + "\n".join(stale_lines) + "\n")
              if stale_lines else "\nNo outdated translations.\n")
    return 0


# -- export ----------------------------------------------------------------------------------

def row_cells(row: TextRow) -> list[str]:
    return [row.file, row.field, row.lang, row.source_text, row.translation, row.state, row.translator or "", row.fingerprint,
            row.version, ""]


def export(root: Path, lang: str, folder: Path, out) -> int:
    by_language, issues = all_rows(root, (lang,))
    if by_language is None:
        out.write(format_text(issues) + "\nNothing was exported: fix the errors above first.\n")
        return 1
    # A cell holds at most MAX_CELL_CHARS: programs cut a longer text, which would come back cut.
    fits = lambda row: max(len(row.source_text), len(row.translation)) <= MAX_CELL_CHARS
    rows, left_out = [row for row in by_language[lang] if fits(row)], [row for row in by_language[lang] if not fits(row)]
    stem = folder / f"translations-{lang}"
    table = [list(COLUMNS)] + [row_cells(row) for row in rows]
    text = io.StringIO(newline="")
    csv.writer(text).writerows([cell_rules.guarded(value) for value in row] for row in table)
    try:  # inside the knowledge base, never through a link; the BOM tells Excel the CSV is UTF-8
        files.write_many({Path(f"{stem}.csv"): "\ufeff" + text.getvalue(), Path(f"{stem}.xlsx"): _xlsx_bytes(table)}, root)
    except files.Refused as refused:
        out.write(format_text([refused.issue]) + "\n")
        return 1
    out.write(f"Wrote {len(rows)} rows to {files.shown(Path(f'{stem}.xlsx'), root)} and {files.shown(Path(f'{stem}.csv'), root)}. "
              f"Fill in the translation column (and status: {', '.join(TRANSLATOR_STATUSES)}), "
              f"then run `kb translations import` on the file.\n")
    if left_out:
        out.write(f"Left out, as longer than a spreadsheet cell holds ({MAX_CELL_CHARS} characters): translate these in the record files:\n"
                  + "".join(f"  {row.file} › {row.field}\n" for row in left_out))
    return 0


def _xlsx_bytes(table: list) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    for row_number, values in enumerate(table, start=1):
        for column, value in enumerate(values, start=1):
            cell_rules.text_cell(sheet.cell(row=row_number, column=column), value)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"record": 36, "field": 24, "language": 9, "source_text": 60, "translation": 60, "status": 11, "translator": 20, "fingerprint": 14,
              "translation_fingerprint": 14, "overwrite": 10}
    for index, name in enumerate(COLUMNS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = widths[name]
        if name in ("source_text", "translation"):
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for name, choices in (("status", translations.STATES[1:]), ("overwrite", (OVERWRITE,))):
        letter = sheet.cell(row=1, column=COLUMNS.index(name) + 1).column_letter
        choice = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        sheet.add_data_validation(choice)
        if len(table) > 1:
            choice.add(f"{letter}2:{letter}{len(table)}")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# -- reading a sheet -------------------------------------------------------------------------

@dataclass
class SheetRow:
    number: int  # row number in the sheet, the header being 1
    cells: dict  # column name → text


@dataclass(frozen=True)
class Cell:
    text: str
    problem: str | None = None  # 'formula' or 'error': what a program wrote there instead of a text


def read_sheet(path: Path, root: Path, shown: str):
    """(rows, issues) of a filled-in export, XLSX or CSV, read through files.read_bytes (a
    regular file inside the knowledge base, at most files.LIMITS['sheet']); every cell checked."""
    try:
        data = files.read_bytes(path, root, "sheet")
    except files.Refused as refused:
        return [], [refused.issue]
    xlsx = path.suffix.lower() == ".xlsx"
    if xlsx:
        problem = _workbook_problem(data, shown)
        if problem:
            return [], [problem]
    try:
        table = _xlsx_rows(data) if xlsx else _csv_rows(data)
    except Exception as error:  # a damaged or foreign file: say so, do not crash
        return [], [messages.issue(shown, 1, 1, "sheet.unreadable", reason=_printable(f"{type(error).__name__}: {error}", 200))]
    if len(table) > MAX_ROWS + 1:
        return [], [messages.issue(shown, MAX_ROWS + 2, 1, "sheet.too_many_rows", limit=MAX_ROWS)]
    if not table or [cell.text.strip() for cell in table[0][:len(COLUMNS)]] != list(COLUMNS):
        return [], [messages.issue(shown, 1, 1, "sheet.header", columns=", ".join(COLUMNS))]
    rows, issues = [], []
    for number, values in enumerate(table[1:], start=2):
        values = list(values[:len(COLUMNS)]) + [Cell("")] * (len(COLUMNS) - len(values))
        found = [problem for column, cell in enumerate(values, start=1) for problem in _cell_problems(cell, number, column, shown)]
        if found:
            issues += found
        elif any(cell.text for cell in values):
            rows.append(SheetRow(number, {name: cell.text for name, cell in zip(COLUMNS, values)}))
    return rows, issues


def _cell_problems(cell: Cell, row: int, column: int, shown: str) -> list[Issue]:
    where = {"row": row, "column": COLUMNS[column - 1]}
    if cell.problem == "formula":
        return [messages.issue(shown, row, column, "sheet.formula", value=_printable(cell.text, 40), **where)]
    if cell.problem == "error":
        return [messages.issue(shown, row, column, "sheet.error_value", value=_printable(cell.text, 40), **where)]
    if len(cell.text) > MAX_CELL_CHARS:
        return [messages.issue(shown, row, column, "sheet.cell_too_long", length=len(cell.text), limit=MAX_CELL_CHARS, **where)]
    hidden = (cell_rules.CONTROL_IN_TEXT if COLUMNS[column - 1] in TEXT_COLUMNS else cell_rules.CONTROL).search(cell.text)
    if hidden:
        return [messages.issue(shown, row, column, "sheet.control_character", character=ord(hidden.group(0)), **where)]
    return []


def _printable(text: str, limit: int) -> str:
    """A cell's text fit to be echoed in a message: no control characters (a terminal would act on them), cut short."""
    text = cell_rules.CONTROL.sub("?", text)
    return text if len(text) <= limit else text[:limit] + "…"


def _line_ends(text: str) -> str:
    """Spreadsheet programs may turn line ends into \r\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_rows(data: bytes) -> list:
    """A CSV has no types: a cell we wrote behind an apostrophe is text (cells.unguarded), any
    other cell that starts like a formula or is an error value is what a program wrote there."""
    rows = []
    for values in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
        rows.append([Cell(*cell_rules.unguarded(_line_ends(value))) for value in values])
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _workbook_problem(data: bytes, shown: str) -> Issue | None:
    """Why a workbook is not unpacked, judged from its zip directory alone."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))  # the directory's end record says how many parts
    if end >= 0 and int.from_bytes(data[end + 10:end + 12], "little") > MAX_XLSX_PARTS:
        return messages.issue(shown, 1, 1, "sheet.too_many_parts", count=int.from_bytes(data[end + 10:end + 12], "little"),
                              limit=MAX_XLSX_PARTS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except Exception as error:
        return messages.issue(shown, 1, 1, "sheet.unreadable", reason=_printable(f"{type(error).__name__}: {error}", 200))
    if len(parts) > MAX_XLSX_PARTS:
        return messages.issue(shown, 1, 1, "sheet.too_many_parts", count=len(parts), limit=MAX_XLSX_PARTS)
    mb = lambda size: round(size / 2**20, 1)
    for part in parts:
        name = _printable(part.filename, 80)
        if part.file_size > MAX_XLSX_PART:
            return messages.issue(shown, 1, 1, "sheet.part_too_large", part=name, size=mb(part.file_size), limit=mb(MAX_XLSX_PART))
        if part.file_size > 2**20 and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            return messages.issue(shown, 1, 1, "sheet.packed_too_tightly", part=name, ratio=part.file_size // max(part.compress_size, 1),
                                  limit=MAX_XLSX_RATIO)
    expanded, packed = sum(part.file_size for part in parts), sum(part.compress_size for part in parts)
    if expanded > MAX_XLSX_EXPANDED:
        return messages.issue(shown, 1, 1, "sheet.expands_too_far", size=mb(expanded), limit=mb(MAX_XLSX_EXPANDED))
    if expanded > 2**20 and expanded > MAX_XLSX_RATIO * max(packed, 1):
        return messages.issue(shown, 1, 1, "sheet.packed_too_tightly", part="the workbook", ratio=expanded // max(packed, 1),
                              limit=MAX_XLSX_RATIO)
    return None


def _xlsx_rows(data: bytes) -> list:
    """A workbook's cells by their type: a formula or an error value is refused, a text is what it says."""
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        # Bounded both ways: a sheet may claim a million rows or columns and hold none of them.
        return [[_xlsx_cell(cell) for cell in row] for row in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=len(COLUMNS))]
    finally:
        book.close()


def _xlsx_cell(cell) -> Cell:
    value = cell.value
    if value is None:
        return Cell("")
    if cell.data_type == "f":
        return Cell(str(value), "formula")
    if cell.data_type == "e":
        return Cell(str(value), "error")
    return Cell(_line_ends(str(value)))


# -- import ----------------------------------------------------------------------------------

@dataclass
class Change:
    row: SheetRow
    current: TextRow
    translation: str
    status: str  # the status the translator gave, or the current state when left as exported
    translator: str = ""  # who made or checked it (the translator column), for draft and reviewed


def import_sheet(root: Path, path: Path, out) -> int:
    shown = files.shown(path, root)
    sheet_rows, problems = read_sheet(path, root, shown)
    if problems:
        return _refused(out, problems, [])
    by_language, found = all_rows(root, sorted({row.cells["language"] for row in sheet_rows if row.cells["language"] in LANGUAGES}))
    if by_language is None:
        out.write(format_text(found) + "\nNothing was imported: fix the errors above first.\n")
        return 1
    current = {(row.file, row.field, row.lang): row for rows in by_language.values() for row in rows}
    changes, problems = [], []
    first_rows = _duplicates(sheet_rows, shown, problems)
    for sheet_row in sheet_rows:
        if first_rows.get(_key(sheet_row)) is not None:
            continue
        change, problem = _check_row(sheet_row, current, shown)
        if problem:
            problems.append(problem)
        elif change:
            changes.append(change)
    if problems:
        return _refused(out, problems, [])
    planned, problems, notes = plan_changes(root, changes, current, shown)
    if not problems and planned:
        found, warnings = _validate_planned(root, planned, changes, shown)
        problems, notes = problems + found, notes + warnings
    if problems:
        return _refused(out, problems, notes)
    try:
        _write_all(root, planned)
    except files.Refused as refused:
        return _refused(out, [refused.issue], notes)
    if notes:
        out.write(format_text(sorted(notes)) + "\n")
    out.write(f"{len(changes)} translation(s) written to {len(planned)} file(s); 0 row(s) refused.\n")
    return 0


def _refused(out, problems: list, notes: list) -> int:
    out.write(format_text(sorted(problems + notes)) + "\n")
    rows = {issue.line for issue in problems}
    out.write(f"0 translation(s) written to 0 file(s); {len(rows)} row(s) refused. "
              "Nothing was written: fix the rows above and import the file again.\n")
    return 1


def _key(row: SheetRow) -> tuple:
    return row.cells["record"], row.cells["field"], row.cells["language"]


def _duplicates(rows: list, shown: str, problems: list) -> dict:
    """{key: first row} of the texts that appear on more than one row, each later row refused
    naming the first; none of them is imported (which one is meant cannot be told)."""
    first, repeated = {}, {}
    for row in rows:
        key = _key(row)
        if key in first:
            repeated[key] = first[key]
            problems.append(messages.issue(shown, row.number, COLUMNS.index("record") + 1, "sheet.duplicate_row",
                                           row=row.number, first=first[key], record=key[0], field=key[1], language=key[2]))
        else:
            first[key] = row.number
    return repeated


def _check_row(row: SheetRow, current: dict, shown: str):
    """(change or None, issue or None) for one row of the sheet."""
    cells = row.cells
    column = lambda name: COLUMNS.index(name) + 1
    refuse = lambda name, code, **values: (None, messages.issue(shown, row.number, column(name), code, row=row.number, **values))
    if cells["language"] not in LANGUAGES:
        return refuse("language", "sheet.language", value=_printable(cells["language"], 40), languages=messages.LANGUAGE_CHOICES)
    text = current.get(_key(row))
    if text is None:
        return refuse("field", "sheet.unknown_text", record=_printable(cells["record"], 120), field=_printable(cells["field"], 80))
    overwrite = cells["overwrite"].strip().lower()
    if overwrite not in ("", OVERWRITE):
        return refuse("overwrite", "sheet.overwrite", value=_printable(cells["overwrite"], 40), mark=OVERWRITE)
    if not overwrite and translations.version(cells["translation"], cells["status"]) == cells["translation_fingerprint"]:
        return None, None  # the row as exported: it asks for nothing, whatever happened to the record since
    if cells["source_text"] != text.source_text:
        return refuse("source_text", "sheet.source_changed", record=cells["record"], field=cells["field"])
    status = cells["status"] or text.state
    if status not in translations.STATES[1:]:
        return refuse("status", "sheet.status", value=_printable(status, 40), choices=", ".join(TRANSLATOR_STATUSES))
    if not cells["translation"].strip():
        if text.translation:
            return refuse("translation", "sheet.emptied")
        return None, None
    if cells["translation"] == text.translation and status == text.state:
        return None, None  # what the record holds already
    translator = " ".join(cells["translator"].split())
    if status not in TRANSLATOR_STATUSES:  # left as exported (outdated, missing): a person named made it, else software
        status = "draft" if translator else "machine"
    if status in PERSON_STATUSES and not translator:
        return refuse("translator", "sheet.no_translator", status=status)
    # Changed since the export? The state may have become stale meanwhile: that is not someone's change.
    if not overwrite and cells["translation_fingerprint"] not in (text.version, translations.version(text.translation, text.recorded)):
        return refuse("translation", "sheet.conflict", record=cells["record"], field=cells["field"],
                      language=messages.language(text.lang), by=_by(text), mark=OVERWRITE)
    return Change(row, text, cells["translation"], status, translator if status in PERSON_STATUSES else ""), None


def _by(text: TextRow) -> str:
    """Who changed a translation and when, as far as its record says."""
    said = [f"translator: {text.translator}" if text.translator else "", f"translated: {text.translated}" if text.translated else ""]
    said = [part for part in said if part]
    return f" (the record says {', '.join(said)})" if said else ""


def plan_changes(root: Path, changes: list, current: dict, shown: str):
    """The new text of every file the changes touch, nothing written: ({file: text}, refused rows, notes)."""
    by_file: dict = {}
    for change in changes:
        by_file.setdefault(change.current.file, []).append(change)
    planned, problems, notes = {}, [], []
    today = datetime.date.today().isoformat()
    for file, file_changes in by_file.items():
        editor = RoundTrip(root / file, root)
        if editor.data is None:
            problems += [messages.issue(shown, change.row.number, 1, "sheet.layout", row=change.row.number, file=file)
                         for change in file_changes]
            continue
        for change in file_changes:
            editor.set_text(change.current.path, change.current.lang, change.translation)
        for scope, scope_changes in _by_scope(file_changes).items():
            text = scope_changes[0].current
            stale_elsewhere = [change for change in scope_changes if change.row.cells["fingerprint"] != text.fingerprint]
            notes += [messages.issue(shown, change.row.number, COLUMNS.index("fingerprint") + 1, "sheet.still_outdated",
                                     severity="warning", row=change.row.number, file=file) for change in stale_elsewhere]
            names = sorted({change.translator for change in scope_changes if change.translator})
            editor.set_status(scope, text.lang, _scope_status(scope, scope_changes, current, file),
                              None if stale_elsewhere else text.fingerprint, ", ".join(names), today)
        planned[file] = editor.text()
    return planned, problems, notes


def _validate_planned(root: Path, planned: dict, changes: list, shown: str):
    """Load → validate, as `kb validate` does, with the planned files in place of the written ones:
    (errors, warnings), each told as the sheet's row that causes it."""
    tree, _ = load_tree(root, ParseCache(root / CACHE_FILE, read_only=True))
    found = []
    for kind, documents in tree.records.items():
        for index, document in enumerate(documents):
            if document.path in planned:
                text = planned[document.path]
                replaced, issues = parse_text(text, document.path, hashlib.sha256(text.encode("utf-8")).hexdigest())
                found += issues
                if replaced is not None:
                    documents[index] = replaced
    found += validate_tree(tree, Schemas.load(root / "schemas"))
    errors, warnings = [], []
    for issue in found:
        change = _change_for(issue, changes)
        if issue.severity == "error":
            errors.append(_as_row(issue, change or changes[0], shown, "sheet.invalid", "error"))
        elif change is not None:  # a warning about a text the sheet changes (others were there before)
            warnings.append(_as_row(issue, change, shown, "sheet.validate_warning", "warning"))
    return errors, warnings


def _change_for(issue: Issue, changes: list) -> Change | None:
    """The change an issue of the validator is about: the text at its field, or else its file's first."""
    in_file = [change for change in changes if change.current.file == issue.file]
    for change in in_file:
        at = _dotted(change.current.path + (change.current.lang,))
        if issue.field == at or issue.field.startswith((at + ".", at + "[")):
            return change
    return None if not in_file or issue.severity != "error" else in_file[0]


def _as_row(issue: Issue, change: Change, shown: str, code: str, severity: str) -> Issue:
    return messages.issue(shown, change.row.number, COLUMNS.index("translation") + 1, code, severity=severity,
                          row=change.row.number, file=issue.file, problem=f"{issue.code}: {issue.message}", hint=issue.hint)


def _write_all(root: Path, planned: dict) -> None:
    """Every planned file at once (files.write_many): all or none."""
    files.write_many({root / file: text for file, text in planned.items()}, root)


def _by_scope(changes: list) -> dict:
    grouped: dict = {}
    for change in changes:
        grouped.setdefault(change.current.scope, []).append(change)
    return grouped


def _scope_status(scope: tuple, changes: list, current: dict, file: str) -> str:
    """The weakest status among the scope's translated texts after the import: a record is
    reviewed only when every text of it that is translated is."""
    changed = {change.current.field: change for change in changes}
    statuses = []
    for text in current.values():
        if text.file != file or text.scope != scope or text.lang != changes[0].current.lang:
            continue
        if text.field in changed:
            statuses.append(changed[text.field].status)
        elif text.translation:  # as recorded (an outdated text keeps its status; staleness is the fingerprint's)
            statuses.append(text.recorded if text.recorded in TRANSLATOR_STATUSES else "machine")
    return min(statuses, key=TRANSLATOR_STATUSES.index)


class RoundTrip:
    """One record file in ruamel.yaml's round-trip mode. `data` is None when the file cannot be
    written back unchanged (a layout ruamel does not reproduce): it is then left alone."""

    INDENTS = ((2, 4, 2), (2, 2, 0))  # mapping, sequence, offset: the layouts record files use

    def __init__(self, path: Path, root: Path):
        self.path, self.data, self.yaml = path, None, None
        try:
            original = files.read_text(path, root, "record")
        except files.Refused:  # loaded a moment ago: only a file changed meanwhile gets here
            return
        for indent in self.INDENTS:
            yaml = self._yaml(indent)
            try:
                data = yaml.load(original)
            except Exception:
                return
            if self._dump(yaml, data) == original:
                self.data, self.yaml = data, yaml
                return

    @staticmethod
    def _yaml(indent):
        from ruamel.yaml import YAML
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap a line that was not wrapped
        yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
        yaml.representer.add_representer(type(None), lambda self, _: self.represent_scalar("tag:yaml.org,2002:null", "null"))
        return yaml

    @staticmethod
    def _dump(yaml, data) -> str:
        stream = io.StringIO()
        yaml.dump(data, stream)
        return stream.getvalue()

    def node(self, path: tuple):
        node = self.data
        for step in path:
            node = node[step]
        return node

    def set_text(self, path: tuple, lang: str, value: str) -> None:
        from ruamel.yaml.scalarstring import LiteralScalarString
        texts = self.node(path)
        if "\n" in value:
            value = LiteralScalarString(value)
        elif lang in texts and type(texts[lang]) is not str and isinstance(texts[lang], str):
            value = type(texts[lang])(value)  # keep the quoting the translation had
        self._put(texts, lang, value, [other for other in LANGUAGES if other in texts])

    def set_status(self, scope: tuple, lang: str, status: str, fingerprint: str | None, translator: str = "",
                   day: str = "") -> None:
        """The scope's translation entry: its status and fingerprint; the person who translated or
        checked it and the day, when the sheet names one; no person's name on a machine translation."""
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString
        owner = self.node(scope)
        if "translations" not in owner:
            owner["translations"] = CommentedMap()
        entries = owner["translations"]
        if lang not in entries:
            entry = CommentedMap()
            siblings = [entries[other] for other in entries if isinstance(entries[other], CommentedMap)]
            if siblings and siblings[0].fa.flow_style():
                entry.fa.set_flow_style()
            self._put(entries, lang, entry, [other for other in LANGUAGES if other in entries])
        entry = entries[lang]
        entry["status"] = status
        if fingerprint is not None:
            entry["source_hash"] = DoubleQuotedScalarString(fingerprint)
        if status == "machine":
            entry.pop("translator", None)
        elif translator:
            entry["translator"] = translator
        if day and translator and status != "machine":
            entry["translated"] = DoubleQuotedScalarString(day)

    @staticmethod
    def _put(mapping, key, value, present: list) -> None:
        """Set a language key, placed among the others in the site's language order."""
        if key in mapping:
            mapping[key] = value
            return
        keys = list(mapping)
        before = [other for other in present if LANGUAGES.index(other) < LANGUAGES.index(key)]
        position = keys.index(before[-1]) + 1 if before else 0
        mapping.insert(position, key, value)

    def text(self) -> str:
        return self._dump(self.yaml, self.data)
