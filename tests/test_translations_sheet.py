"""`kb translations`: status, export to XLSX/CSV, import back into the YAML files. The round trip
runs on a copy of the bundled knowledge base under git: export, fill in, import, validate, and
`git diff` shows only the intended changes; an unchanged export imports as no change at all."""
import csv
import subprocess

import pytest
from openpyxl import load_workbook

from conftest import FIXTURE, ROOT, make_project, run_kb
from kb.sheets import COLUMNS

RECORD = "practices/brzesko-school-for-parents.yml"


def git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path):
    root = make_project(tmp_path / "kb", ROOT)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    return root


def export(root, lang="en"):
    code, out, _ = run_kb("--root", root, "translations", "export", "--lang", lang, "--out", root / "sheets")
    assert code == 0, out
    return root / "sheets" / f"translations-{lang}.xlsx"


def sheet_rows(path):
    book = load_workbook(path)
    return book, book.active, [list(row) for row in book.active.iter_rows(min_row=2)]


def find(rows, record, field):
    return next(row for row in rows if row[0].value == record and row[1].value == field)


def test_status_counts_per_language_and_kind_and_lists_outdated(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    code, out, _ = run_kb("--root", root, "translations", "status")
    assert code == 0
    assert out.splitlines()[0].split()[:5] == ["language", "kind", "texts", "translated", "coverage"]
    assert any(line.split()[:2] == ["uk", "practice"] for line in out.splitlines())
    assert "Outdated translations" in out and "  pl: practices/hromada-visit.yml" in out


def test_export_has_one_row_per_text_with_its_state(repo):
    path = export(repo)
    _, sheet, rows = sheet_rows(path)
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    title = find(rows, RECORD, "title")
    assert title[2].value == "en" and title[3].value.startswith("Warsztaty") and title[5].value == "machine"
    assert title[6].value is None and len(title[7].value) == 12  # no person named: a machine translation
    with open(path.with_suffix(".csv"), encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.reader(stream))) == len(rows) + 1


def test_importing_an_unchanged_export_changes_nothing(repo):
    path = export(repo)
    before = {p: p.read_bytes() for p in repo.rglob("*.yml") if ".git" not in p.parts}
    code, out, _ = run_kb("--root", repo, "translations", "import", path)
    assert code == 0, out
    assert "0 translation(s) written to 0 file(s); 0 row(s) refused." in out
    assert {p: p.read_bytes() for p in before} == before
    code, out, _ = run_kb("--root", repo, "translations", "import", path.with_suffix(".csv"))
    assert code == 0 and git(repo, "status", "--porcelain", "--untracked-files=no") == ""


def test_round_trip_writes_only_the_intended_changes(repo):
    path = export(repo)
    book, _, rows = sheet_rows(path)
    find(rows, RECORD, "title")[4].value = "Workshops funded by Brzesko"
    find(rows, RECORD, "title")[5].value = "reviewed"
    find(rows, RECORD, "title")[6].value = "Ola Testowa (fictional)"
    exported = [cell.value for cell in find(rows, RECORD, "summary")]
    find(rows, RECORD, "summary")[3].value = "A source text the record no longer has"
    find(rows, RECORD, "summary")[4].value = "Not imported"
    find(rows, RECORD, "results")[4].value = "First line\nsecond line"
    book.save(path)
    code, out, _ = run_kb("--root", repo, "translations", "import", path)
    summary_row = find(rows, RECORD, "summary")[0].row
    assert code == 1
    assert f"translations-en.xlsx:{summary_row}:4: sheet.source_changed: row {summary_row}:" in out
    assert "0 translation(s) written to 0 file(s); 1 row(s) refused. Nothing was written" in out
    assert git(repo, "status", "--porcelain") == "?? sheets/\n"  # all or nothing: no record changed
    for cell, value in zip(find(rows, RECORD, "summary"), exported):  # the row taken back as exported
        cell.value = value
    book.save(path)
    code, out, _ = run_kb("--root", repo, "translations", "import", path)
    assert code == 0, out
    assert "2 translation(s) written to 1 file(s); 0 row(s) refused." in out
    assert git(repo, "diff", "--name-only").split() == [RECORD]  # one record changed …
    diff = git(repo, "diff", "-U0", "--", RECORD)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert "+  en: Workshops funded by Brzesko" in changed
    assert "+    First line" in changed and "+    second line" in changed  # under the block's own `en: |-`
    assert not any("Not imported" in line for line in changed)
    # … and in it only the English title and results: the removed lines are their old text
    removed = [line for line in changed if line[0] == "-"]
    assert removed[0].startswith("-  en: ") and all(line == "-" or line.startswith("-    ") for line in removed[1:])
    assert len([line for line in changed if line[0] == "+"]) == 3  # the status stays machine: the other texts are machine translations
    assert run_kb("--root", repo, "validate")[0] == 0


def test_a_translation_into_a_new_language_records_its_status_and_fingerprint(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    code, out, _ = run_kb("--root", root, "translations", "export", "--lang", "en", "--out", root / "sheets")
    path = root / "sheets" / "translations-en.csv"
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    wanted = next(row for row in rows if row[0] == "practices/hromada-visit.yml" and row[1] == "title")
    assert wanted[4] == "" and wanted[5] == "missing"
    wanted[4], wanted[5] = "Study visit of hromadas", "machine"
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    code, out, _ = run_kb("--root", root, "translations", "import", path)
    assert code == 0, out
    text = (root / "practices" / "hromada-visit.yml").read_text(encoding="utf-8")
    assert "en: Study visit of hromadas" in text
    fingerprint = wanted[COLUMNS.index("fingerprint")]
    assert f'en: {{status: machine, source_hash: "{fingerprint}"}}' in text or f'status: machine\n    source_hash: "{fingerprint}"' in text
    code, out, _ = run_kb("--root", root, "validate", "practices/hromada-visit.yml")
    assert "translation.unrecorded" not in out


@pytest.mark.parametrize("content, code", [
    ("not,a,sheet\n", "sheet.header"),
    ("\ufeff" + ",".join(COLUMNS) + "\npractices/none.yml,title,en,x,y,draft,abc\n", "sheet.unknown_text"),
    ("\ufeff" + ",".join(COLUMNS) + "\npractices/ngo-pilot.yml,title,xx,x,y,draft,abc\n", "sheet.language"),
])
def test_bad_sheets_are_located_errors(tmp_path, content, code):
    root = make_project(tmp_path / "kb", FIXTURE)
    path = root / "sheet.csv"  # kb reads inside the knowledge base only
    path.write_text(content, encoding="utf-8")
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and f": {code}: " in out and "Traceback" not in out


def test_a_damaged_workbook_is_reported_not_a_crash(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    path = root / "sheet.xlsx"  # kb reads inside the knowledge base only
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and "sheet.xlsx:1:1: sheet.unreadable" in out


def test_a_file_whose_layout_cannot_be_kept_is_left_alone(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)  # ngo-pilot.yml holds one-line lists of fields
    run_kb("--root", root, "translations", "export", "--lang", "en", "--out", root / "sheets")
    path = root / "sheets" / "translations-en.csv"
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    row = next(row for row in rows if row[0] == "practices/ngo-pilot.yml" and row[1] == "summary")
    row[4] = "A summary"
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    before = (root / "practices" / "ngo-pilot.yml").read_bytes()
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and "sheet.layout" in out
    assert (root / "practices" / "ngo-pilot.yml").read_bytes() == before


def test_the_site_has_a_translation_status_page_per_language(bundled_site):
    from bs4 import BeautifulSoup
    for prefix, lang in (("", "pl"), ("uk/", "uk"), ("en/", "en")):
        html = BeautifulSoup((bundled_site / "site" / prefix / "translation-status" / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert html.html["lang"] == lang
        table = html.select_one("article table")
        assert {len(row.find_all(["td", "th"])) for row in table.find_all("tr")} == {8}
        if lang == "pl":  # into Polish only the records written in Ukrainian are translated: practices and an act
            assert len(table.find_all("tr")) == 1 + 2
        else:
            assert len(table.find_all("tr")) == 1 + 5  # a row per kind
        assert html.select_one("#outdated") is not None
        assert any(a["href"].endswith("contributing/") for a in html.select("article a[href]"))


# -- inert sheets, refused cells, all or nothing, conflicts, limits ----------------------------

def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)


def csv_row(rows, record, field):
    return next(row for row in rows if row[0] == record and row[1] == field)


def snapshot(root):
    """Every file of the knowledge base but the sheets, as bytes."""
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file() and "sheets" not in path.parts}


COLUMN = {name: index for index, name in enumerate(COLUMNS)}


def test_titles_that_look_like_formulas_are_inert_in_both_sheets_and_come_back_unchanged(repo):
    path = repo / RECORD
    text = path.read_text(encoding="utf-8")
    text = text.replace("  pl: Warsztaty „Szkoła", "  pl: =HYPERLINK(\"https://example.org\",\"Warsztaty\") „Szkoła")
    text = text.replace("  en: “School for Parents", "  en: \"- School for Parents")
    text = text.replace("workshops funded by Brzesko municipality\n", "workshops funded by Brzesko municipality\"\n", 1)
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "formula-like titles")
    xlsx = export(repo)
    rows = read_csv(xlsx.with_suffix(".csv"))
    title = csv_row(rows, RECORD, "title")
    assert title[COLUMN["source_text"]].startswith("'=HYPERLINK(")  # behind an apostrophe: text in any program
    assert title[COLUMN["translation"]].startswith("'- School for Parents")
    book = load_workbook(xlsx)
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert {cell.data_type for cell in cells if cell.value is not None} == {"s"}  # never a formula
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.quotePrefix and formula.value.startswith("=HYPERLINK(")  # the text itself, marked as text
    for sheet in (xlsx, xlsx.with_suffix(".csv")):
        code, out, _ = run_kb("--root", repo, "translations", "import", sheet)
        assert code == 0, out
        assert "0 translation(s) written" in out and git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    # a list item written by a translator behind an apostrophe comes back as the item
    rows = read_csv(xlsx.with_suffix(".csv"))
    csv_row(rows, RECORD, "summary")[COLUMN["translation"]] = "'- one\n- two"
    write_csv(xlsx.with_suffix(".csv"), rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", xlsx.with_suffix(".csv"))
    assert code == 0, out
    assert "  en: |-\n    - one\n    - two\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("value, code", [
    ("=cmd|' /C calc'!A0", "sheet.formula"),
    ("+cmd|' /C calc'!A0", "sheet.formula"),
    ("-2+3+cmd|' /C calc'!A0", "sheet.formula"),
    ("@SUM(1+9)*cmd|' /C calc'!A0", "sheet.formula"),
    ("  =1+1", "sheet.formula"),
    ("\t=1+1", "sheet.formula"),
    ("#REF!", "sheet.error_value"),
    ("#N/A", "sheet.error_value"),
    ("#DIV/0!", "sheet.error_value"),
    ("Err:502", "sheet.error_value"),
    ("A ringing\x07 bell", "sheet.control_character"),
    ("\x1b[31mred", "sheet.control_character"),
    ("nul\x00", "sheet.control_character"),
])
def test_a_csv_cell_holding_a_formula_an_error_or_a_control_character_is_refused(repo, value, code):
    sheet = export(repo).with_suffix(".csv")
    rows = read_csv(sheet)
    csv_row(rows, RECORD, "title")[COLUMN["translation"]] = value
    csv_row(rows, RECORD, "summary")[COLUMN["translation"]] = "A good change in the same sheet"
    number = rows.index(csv_row(rows, RECORD, "title")) + 1
    write_csv(sheet, rows)
    before = snapshot(repo)
    status, out, err = run_kb("--root", repo, "translations", "import", sheet)
    assert status == 1 and "Traceback" not in out + err
    assert f"translations-en.csv:{number}:{COLUMN['translation'] + 1}: {code}: row {number}, column translation:" in out
    assert "\x1b" not in out and "\x07" not in out  # never echoed to the terminal
    assert snapshot(repo) == before


@pytest.mark.parametrize("value, code", [("=1+1", "sheet.formula"), ("=cmd|' /C calc'!A0", "sheet.formula"),
                                         ("#REF!", "sheet.error_value"), ("#N/A", "sheet.error_value")])
def test_a_workbook_cell_holding_a_formula_or_an_error_is_refused(repo, value, code):
    path = export(repo)
    book, sheet, rows = sheet_rows(path)
    cell = find(rows, RECORD, "title")[COLUMN["translation"]]
    cell.value = value  # openpyxl types these as a formula and an error value, as a spreadsheet program does
    assert cell.data_type in "fe"
    book.save(path)
    before = snapshot(repo)
    status, out, _ = run_kb("--root", repo, "translations", "import", path)
    assert status == 1 and f"translations-en.xlsx:{cell.row}:{COLUMN['translation'] + 1}: {code}:" in out
    assert snapshot(repo) == before


@pytest.mark.parametrize("translation, code", [
    ("Workshops <script>alert(1)</script>", "text.html"),
    ("See [the plan](javascript:alert(1))", "text.unsafe_link"),
])
def test_a_row_the_validator_refuses_leaves_every_file_as_it_was(repo, translation, code):
    sheet = export(repo).with_suffix(".csv")
    rows = read_csv(sheet)
    csv_row(rows, RECORD, "title")[COLUMN["translation"]] = "A good title"  # a change that alone would be written …
    csv_row(rows, "practices/ozps-ngo-cooperation-lubelskie.yml", "title")[COLUMN["translation"]] = "Another good one"
    csv_row(rows, RECORD, "summary")[COLUMN["translation"]] = translation  # … but this row is refused
    number = rows.index(csv_row(rows, RECORD, "summary")) + 1
    write_csv(sheet, rows)
    before = snapshot(repo)
    status, out, _ = run_kb("--root", repo, "translations", "import", sheet)
    assert status == 1
    assert f"translations-en.csv:{number}:5: sheet.invalid: row {number}: with this row imported, {RECORD} would not pass kb validate: {code}:" in out
    assert "0 translation(s) written to 0 file(s); 1 row(s) refused." in out
    assert snapshot(repo) == before  # byte for byte, every file


def test_two_rows_for_the_same_text_are_both_refused(repo):
    sheet = export(repo).with_suffix(".csv")
    rows = read_csv(sheet)
    first = csv_row(rows, RECORD, "title")
    first[COLUMN["translation"]] = "First version"
    second = list(first)
    second[COLUMN["translation"]] = "Second version"
    rows.append(second)
    write_csv(sheet, rows)
    before = snapshot(repo)
    status, out, _ = run_kb("--root", repo, "translations", "import", sheet)
    first_number, second_number = rows.index(first) + 1, len(rows)
    assert status == 1
    assert f":{second_number}:1: sheet.duplicate_row: row {second_number}: the same text as row {first_number} " in out
    assert snapshot(repo) == before  # neither the first nor the second


def test_a_row_changed_since_the_export_is_a_conflict_unless_marked_to_overwrite(repo):
    sheet = export(repo).with_suffix(".csv")
    first_translator, second_translator = repo / "sheets" / "a.csv", repo / "sheets" / "b.csv"
    exported = read_csv(sheet)
    number = exported.index(csv_row(exported, RECORD, "title")) + 1
    rows = [list(row) for row in exported]
    csv_row(rows, RECORD, "title")[COLUMN["translation"]] = "Title by the first translator"
    write_csv(first_translator, rows)
    assert run_kb("--root", repo, "translations", "import", first_translator)[0] == 0
    # the second worked from the same export: an untouched row asks for nothing, whatever changed since
    rows = [list(row) for row in exported]
    csv_row(rows, RECORD, "summary")[COLUMN["translation"]] = "Summary by the second translator"
    write_csv(second_translator, rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", second_translator)
    assert code == 0, out
    text = (repo / RECORD).read_text(encoding="utf-8")
    assert "Title by the first translator" in text and "Summary by the second translator" in text
    # … but a row both changed is refused, naming who and when as the record says
    git(repo, "commit", "-qam", "two translators")
    csv_row(rows, RECORD, "title")[COLUMN["translation"]] = "Title by the second translator"
    write_csv(second_translator, rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", second_translator)
    assert code == 1
    assert (f"b.csv:{number}:5: sheet.conflict: row {number}: the English translation of {RECORD} › title or its status "
            "changed since the export") in out
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    csv_row(rows, RECORD, "title")[COLUMN["overwrite"]] = "yes"
    write_csv(second_translator, rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", second_translator)
    assert code == 0, out
    assert "Title by the second translator" in (repo / RECORD).read_text(encoding="utf-8")


def test_a_status_changed_since_the_export_is_not_put_back(repo):
    sheet = export(repo).with_suffix(".csv")
    exported = read_csv(sheet)
    reviewed = [list(row) for row in exported]
    for row in reviewed[1:]:
        if row[0] == RECORD and row[COLUMN["translation"]]:
            row[COLUMN["status"]], row[COLUMN["translator"]] = "reviewed", "Ola Testowa (fictional)"
    write_csv(repo / "sheets" / "review.csv", reviewed)
    assert run_kb("--root", repo, "translations", "import", repo / "sheets" / "review.csv")[0] == 0
    code, out, _ = run_kb("--root", repo, "translations", "import", sheet)  # the old export, as it was
    assert code == 0 and "0 translation(s) written" in out
    assert "en: {status: reviewed" in (repo / RECORD).read_text(encoding="utf-8")


def test_the_overwrite_column_takes_only_its_mark(repo):
    sheet = export(repo).with_suffix(".csv")
    rows = read_csv(sheet)
    csv_row(rows, RECORD, "title")[COLUMN["overwrite"]] = "maybe"
    write_csv(sheet, rows)
    status, out, _ = run_kb("--root", repo, "translations", "import", sheet)
    assert status == 1 and ": sheet.overwrite: " in out


def test_a_workbook_that_would_unpack_too_far_is_refused_before_it_is_unpacked(repo, monkeypatch):
    import io
    import zipfile

    import openpyxl
    path = export(repo)
    with zipfile.ZipFile(path) as source:
        parts = {entry.filename: source.read(entry) for entry in source.infolist()}
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = parts["xl/worksheets/sheet1.xml"]
    rows_at = sheet.index(b"</sheetData>")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            if name == "xl/worksheets/sheet1.xml":  # 24 MB of rows, packed into some tens of kB
                with target.open(name, "w") as stream:
                    stream.write(sheet[:rows_at])
                    for _ in range(24 * 2**20 // len(row)):
                        stream.write(row)
                    stream.write(sheet[rows_at:])
            else:
                target.writestr(name, data)
    path.write_bytes(bomb.getvalue())
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: pytest.fail("the workbook was unpacked"))
    status, out, _ = run_kb("--root", repo, "translations", "import", path)
    assert status == 1 and "translations-en.xlsx:1:1: sheet.packed_too_tightly: xl/worksheets/sheet1.xml unpacks to" in out


def test_a_workbook_of_too_many_parts_is_refused(tmp_path):
    import zipfile
    root = make_project(tmp_path / "kb", FIXTURE)
    path = root / "sheet.xlsx"  # kb reads inside the knowledge base only
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(300):
            archive.writestr(f"part{number}.xml", b"")
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and "sheet.xlsx:1:1: sheet.too_many_parts: the workbook is made of 300 parts" in out


def test_a_sheet_too_long_or_with_too_long_a_cell_is_refused(tmp_path, monkeypatch):
    import kb.sheets
    root = make_project(tmp_path / "kb", FIXTURE)
    path = root / "sheet.csv"  # kb reads inside the knowledge base only
    write_csv(path, [list(COLUMNS)] + [["practices/x.yml", "title", "en", "x", "y", "draft", "", "", ""]] * 5)
    monkeypatch.setattr(kb.sheets, "MAX_ROWS", 4)
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and "sheet.csv:6:1: sheet.too_many_rows: the sheet has more than 4 rows" in out
    write_csv(path, [list(COLUMNS), ["practices/x.yml", "title", "en", "x", "y" * (kb.sheets.MAX_CELL_CHARS + 1), "draft", "", "", ""]])
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and "sheet.csv:2:5: sheet.cell_too_long: row 2, column translation: the cell holds 32768 characters" in out


def test_a_pipe_is_refused_not_read(tmp_path):
    import os
    root = make_project(tmp_path / "kb", FIXTURE)
    os.mkfifo(root / "sheet.csv")  # reading it would wait forever
    status, out, _ = run_kb("--root", root, "translations", "import", root / "sheet.csv")
    assert status == 1 and "file.special" in out


def test_sheets_are_read_and_written_inside_the_knowledge_base_only(tmp_path):
    """An import reads, and an export writes, only regular files inside the knowledge base."""
    root = make_project(tmp_path / "kb", FIXTURE)
    outside = tmp_path / "sheet.csv"
    outside.write_text("record,field\n", encoding="utf-8")
    status, out, _ = run_kb("--root", root, "translations", "import", outside)
    assert status == 1 and "file.outside" in out and "build/translations" in out
    (root / "linked.csv").symlink_to(outside)
    status, out, _ = run_kb("--root", root, "translations", "import", root / "linked.csv")
    assert status == 1 and "linked.csv:1:1: file.symlink" in out
    status, out, _ = run_kb("--root", root, "translations", "export", "--lang", "en", "--out", tmp_path / "elsewhere")
    assert status == 1 and "file.outside" in out and not (tmp_path / "elsewhere").exists()
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / "translations").symlink_to(tmp_path, target_is_directory=True)
    status, out, _ = run_kb("--root", root, "translations", "export", "--lang", "en")
    assert status == 1 and "file.symlink" in out and not list(tmp_path.glob("translations-*"))


def test_a_person_status_names_the_person_and_the_day(repo):
    """draft and reviewed say a person made or checked the translation: the sheet's translator
    column names them, and the import records who and when; without a name the row is refused."""
    sheet = export(repo).with_suffix(".csv")
    rows = read_csv(sheet)
    title = csv_row(rows, RECORD, "title")
    title[COLUMN["translation"]], title[COLUMN["status"]] = "Workshops for parents", "draft"
    write_csv(sheet, rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", sheet)
    number = rows.index(title) + 1
    assert code == 1 and f"translations-en.csv:{number}:7: sheet.no_translator: row {number}:" in out
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    for row in rows[1:]:
        if row[0] == RECORD and row[COLUMN["translation"]]:
            row[COLUMN["status"]], row[COLUMN["translator"]] = "draft", "  Ola   Testowa (fictional) "
    write_csv(sheet, rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", sheet)
    assert code == 0, out
    text = (repo / RECORD).read_text(encoding="utf-8")
    import datetime
    assert f'status: draft' in text and "translator: Ola Testowa (fictional)" in text and datetime.date.today().isoformat() in text
    assert run_kb("--root", repo, "validate", RECORD)[0] == 0


def test_a_tab_in_a_records_text_does_not_block_imports(repo):
    """Records may hold a tab in Markdown; the sheet carries it and an import takes it back."""
    path = repo / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("W latach 2013–2014 burmistrz", "W latach 2013–2014\tburmistrz", 1),
                    encoding="utf-8")
    git(repo, "commit", "-qam", "a tab")
    sheet = export(repo).with_suffix(".csv")
    for exported in (sheet, sheet.with_suffix(".xlsx")):
        code, out, _ = run_kb("--root", repo, "translations", "import", exported)
        assert code == 0 and "0 translation(s) written" in out, out
    rows = read_csv(sheet)
    csv_row(rows, RECORD, "summary")[COLUMN["translation"]] = "a\ttab"
    write_csv(sheet, rows)
    code, out, _ = run_kb("--root", repo, "translations", "import", sheet)
    assert code == 0, out


def test_sheets_of_any_shape_never_crash_and_change_nothing_when_refused(repo):
    """Fuzz: an exported CSV with cells replaced, rows repeated or dropped, bytes garbled."""
    import random
    rng = random.Random(5)
    sheet = export(repo).with_suffix(".csv")
    exported = read_csv(sheet)
    pieces = ["", "=1+1", "+x", "-", "@SUM(A1)", "#REF!", "\x07", "\x00", "<b>x</b>", "[x](javascript:alert(1))", "x" * 40000,
              "\u202e", "reviewed", "draft", "machine", "stale", "yes", "maybe", "practices/../../etc/passwd", "index", "'=x", "\r\n",
              "Ola (fictional)", "'- item", "uk", "zz"]
    records = lambda: {path: data for path, data in snapshot(repo).items() if not {"build", ".git"} & set(path.relative_to(repo).parts)}
    before = records()
    for round_ in range(30):
        rows = [list(row) for row in exported]
        for _ in range(rng.randint(1, 6)):
            row = rng.choice(rows[1:])
            row[rng.randrange(len(row))] = rng.choice(pieces)
        if rng.random() < 0.3:
            rows.append(list(rng.choice(rows[1:])))
        if rng.random() < 0.2:
            del rows[rng.randrange(1, len(rows))]
        write_csv(sheet, rows)
        if rng.random() < 0.15:
            data = bytearray(sheet.read_bytes())
            for _ in range(5):
                data[rng.randrange(len(data))] = rng.randrange(256)
            sheet.write_bytes(bytes(data))
        code, out, err = run_kb("--root", repo, "translations", "import", sheet)
        assert code in (0, 1) and "Traceback" not in out + err and "internal error" not in err, (round_, err)
        if code == 1:
            assert records() == before, round_
        else:
            assert run_kb("--root", repo, "validate")[0] == 0, round_
            git(repo, "checkout", "-q", "--", ".")
