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
    assert title[2].value == "en" and title[3].value.startswith("Warsztaty") and title[5].value == "draft"
    assert len(title[6].value) == 12
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
    assert len([line for line in changed if line[0] == "+"]) == 3  # the status stays draft: other texts are drafts
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
    assert f'en: {{status: machine, source_hash: "{wanted[6]}"}}' in text or f'status: machine\n    source_hash: "{wanted[6]}"' in text
    code, out, _ = run_kb("--root", root, "validate", "practices/hromada-visit.yml")
    assert "translation.unrecorded" not in out


@pytest.mark.parametrize("content, code", [
    ("not,a,sheet\n", "sheet.header"),
    ("\ufeff" + ",".join(COLUMNS) + "\npractices/none.yml,title,en,x,y,draft,abc\n", "sheet.unknown_text"),
    ("\ufeff" + ",".join(COLUMNS) + "\npractices/ngo-pilot.yml,title,xx,x,y,draft,abc\n", "sheet.language"),
])
def test_bad_sheets_are_located_errors(tmp_path, content, code):
    root = make_project(tmp_path / "kb", FIXTURE)
    path = tmp_path / "sheet.csv"
    path.write_text(content, encoding="utf-8")
    status, out, _ = run_kb("--root", root, "translations", "import", path)
    assert status == 1 and f": {code}: " in out and "Traceback" not in out


def test_a_damaged_workbook_is_reported_not_a_crash(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    path = tmp_path / "sheet.xlsx"
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
        if lang == "pl":  # every bundled record is written in Polish
            assert table is None and "nie ma czego tłumaczyć" in html.select_one("article").get_text()
        else:
            assert {len(row.find_all(["td", "th"])) for row in table.find_all("tr")} == {8}
            assert len(table.find_all("tr")) == 1 + 5  # a row per kind
        assert html.select_one("#outdated") is not None
        assert any(a["href"].endswith("contributing/") for a in html.select("article a[href]"))
