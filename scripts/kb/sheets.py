"""`kb translations`: where translations stand, and a spreadsheet for translators.

`status` counts the texts of each kind per language; `export` writes one row per translatable
text (XLSX and CSV); `import` writes the translated cells back into the YAML files with
ruamel.yaml's round-trip mode, so comments, key order, quoting and line wrapping stay as they
were, and records each touched scope's status and the fingerprint of the source text the
translation was made from. A row whose source text changed since the export is refused."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import KINDS, LANGUAGES, messages, translations
from .build import check
from .issues import Issue
from .report import format_text
from .schemas import Schemas
from .translations import TRANSLATOR_STATUSES, TextRow

COLUMNS = ("record", "field", "language", "source_text", "translation", "status", "fingerprint")
EDITABLE = ("translation", "status")  # what translators fill in; the rest identifies the row
MAX_SHEET_BYTES = 32 * 2**20
SHEET_NAME = "translations"


def all_rows(root: Path, languages) -> tuple:
    """({target language: rows of every record}, issues); rows only when the records are valid."""
    checked = check(root)
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
    return [row.file, row.field, row.lang, row.source_text, row.translation, row.state, row.fingerprint]


def export(root: Path, lang: str, folder: Path, out) -> int:
    by_language, issues = all_rows(root, (lang,))
    if by_language is None:
        out.write(format_text(issues) + "\nNothing was exported: fix the errors above first.\n")
        return 1
    rows = by_language[lang]
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"translations-{lang}"
    cells = [list(COLUMNS)] + [row_cells(row) for row in rows]
    with open(f"{stem}.csv", "w", encoding="utf-8-sig", newline="") as stream:  # the BOM tells Excel it is UTF-8
        csv.writer(stream).writerows(cells)
    _write_xlsx(Path(f"{stem}.xlsx"), cells)
    out.write(f"Wrote {len(rows)} rows to {_shown(root, Path(f'{stem}.xlsx'))} and {_shown(root, Path(f'{stem}.csv'))}. "
              f"Fill in the translation column (and status: {', '.join(TRANSLATOR_STATUSES)}), "
              f"then run `kb translations import` on the file.\n")
    return 0


def _write_xlsx(path: Path, cells: list) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    for row in cells:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"record": 36, "field": 24, "language": 9, "source_text": 60, "translation": 60, "status": 11, "fingerprint": 14}
    for index, name in enumerate(COLUMNS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = widths[name]
        if name in ("source_text", "translation"):
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    status_letter = sheet.cell(row=1, column=COLUMNS.index("status") + 1).column_letter
    choice = DataValidation(type="list", formula1='"' + ",".join(translations.STATES[1:]) + '"', allow_blank=True)
    sheet.add_data_validation(choice)
    if len(cells) > 1:
        choice.add(f"{status_letter}2:{status_letter}{len(cells)}")
    book.save(path)


# -- import ----------------------------------------------------------------------------------

@dataclass
class SheetRow:
    number: int  # row number in the sheet, the header being 1
    cells: dict  # column name → text


def read_sheet(path: Path, shown: str):
    """(rows, issues) of a filled-in export, XLSX or CSV."""
    try:
        size = path.stat().st_size
    except OSError as error:
        return [], [messages.issue(shown, 1, 1, "file.unreadable", reason=error.strerror)]
    if size > MAX_SHEET_BYTES:
        return [], [messages.issue(shown, 1, 1, "sheet.too_large", size=size / 2**20, limit=MAX_SHEET_BYTES // 2**20)]
    try:
        table = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    except Exception as error:  # a damaged or foreign file: say so, do not crash
        return [], [messages.issue(shown, 1, 1, "sheet.unreadable", reason=f"{type(error).__name__}: {error}")]
    if not table or [str(cell or "").strip() for cell in table[0][:len(COLUMNS)]] != list(COLUMNS):
        return [], [messages.issue(shown, 1, 1, "sheet.header", columns=", ".join(COLUMNS))]
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {name: _cell_text(values[index] if index < len(values) else None) for index, name in enumerate(COLUMNS)}
        if any(cells.values()):
            rows.append(SheetRow(number, cells))
    return rows, []


def _cell_text(value) -> str:
    """A cell as the text it shows; spreadsheet programs may turn line ends into \r\n."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _csv_rows(path: Path) -> list:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _xlsx_rows(path: Path) -> list:
    from openpyxl import load_workbook
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


@dataclass
class Change:
    row: SheetRow
    current: TextRow
    translation: str
    status: str  # the status the translator gave, or the current state when left as exported


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def import_sheet(root: Path, path: Path, out) -> int:
    shown = _shown(root, path)
    sheet_rows, issues = read_sheet(path, shown)
    if issues:
        out.write(format_text(issues) + "\n")
        return 1
    by_language, found = all_rows(root, sorted({row.cells["language"] for row in sheet_rows if row.cells["language"] in LANGUAGES}))
    if by_language is None:
        out.write(format_text(found) + "\nNothing was imported: fix the errors above first.\n")
        return 1
    current = {(row.file, row.field, row.lang): row for rows in by_language.values() for row in rows}
    changes, problems, seen = [], [], {}
    for sheet_row in sheet_rows:
        change, problem = _check_row(sheet_row, current, seen, shown)
        if problem:
            problems.append(problem)
        elif change:
            changes.append(change)
    written, layout_problems, notes = write_changes(root, changes, current, shown)
    problems += layout_problems
    report = problems + notes
    if report:
        out.write(format_text(sorted(report)) + "\n")
    out.write(f"{sum(len(c) for c in written.values())} translation(s) written to {len(written)} file(s); "
              f"{len(problems)} row(s) refused.\n")
    if written:
        checked = check(root)
        if checked.issues:
            out.write("After the import, kb validate says:\n" + format_text(checked.issues) + "\n")
        if not checked.ok:
            return 1
    return 1 if problems else 0


def _check_row(row: SheetRow, current: dict, seen: dict, shown: str):
    """(change or None, issue or None) for one row of the sheet."""
    cells = row.cells
    column = lambda name: COLUMNS.index(name) + 1
    refuse = lambda name, code, **values: (None, messages.issue(shown, row.number, column(name), code, row=row.number, **values))
    if cells["language"] not in LANGUAGES:
        return refuse("language", "sheet.language", value=cells["language"], languages=messages.LANGUAGE_CHOICES)
    key = (cells["record"], cells["field"], cells["language"])
    text = current.get(key)
    if text is None:
        return refuse("field", "sheet.unknown_text", record=cells["record"], field=cells["field"])
    if key in seen:
        return refuse("record", "sheet.duplicate_row", first=seen[key])
    seen[key] = row.number
    if cells["source_text"] != text.source_text:
        return refuse("source_text", "sheet.source_changed", record=cells["record"], field=cells["field"])
    status = cells["status"] or text.state
    if status not in translations.STATES[1:]:
        return refuse("status", "sheet.status", value=status, choices=", ".join(TRANSLATOR_STATUSES))
    if not cells["translation"].strip():
        if text.translation:
            return refuse("translation", "sheet.emptied")
        return None, None
    if cells["translation"] == text.translation and status == text.state:
        return None, None  # as exported: nothing to do
    return Change(row, text, cells["translation"], status), None


def write_changes(root: Path, changes: list, current: dict, shown: str):
    """Apply the changes file by file; ({file: [changes]}, refused rows, notes)."""
    by_file: dict = {}
    for change in changes:
        by_file.setdefault(change.current.file, []).append(change)
    written, problems, notes = {}, [], []
    for file, file_changes in by_file.items():
        editor = RoundTrip(root / file)
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
            editor.set_status(scope, text.lang, _scope_status(scope, scope_changes, current, file),
                              None if stale_elsewhere else text.fingerprint)
        editor.save()
        written[file] = file_changes
    return written, problems, notes


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
            given = changed[text.field].status
            statuses.append(given if given in TRANSLATOR_STATUSES else "draft")
        elif text.translation:
            statuses.append(text.state if text.state in TRANSLATOR_STATUSES else "draft")
    return min(statuses, key=TRANSLATOR_STATUSES.index)


class RoundTrip:
    """One record file in ruamel.yaml's round-trip mode. `data` is None when the file cannot be
    written back unchanged (a layout ruamel does not reproduce): it is then left alone."""

    INDENTS = ((2, 4, 2), (2, 2, 0))  # mapping, sequence, offset: the layouts record files use

    def __init__(self, path: Path):
        self.path, self.data, self.yaml = path, None, None
        original = path.read_text(encoding="utf-8")
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

    def set_status(self, scope: tuple, lang: str, status: str, fingerprint: str | None) -> None:
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

    def save(self) -> None:
        text = self._dump(self.yaml, self.data)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(self.path)
