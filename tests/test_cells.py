"""Spreadsheets we write are inert (cells.py): the rule that puts a text behind an apostrophe, the
same rule in the browser's CSV (docs/assets/kb.js, run in Node on the same texts), and the open
data tables of a knowledge base whose titles look like formulas."""
import csv
import io
import json
import random
import shutil
import subprocess
import zipfile

import pandas
import pytest
from openpyxl import load_workbook

from conftest import FIXTURE, ROOT, make_project
from kb import cells
from kb.load import load_tree
from kb.model import build_model
from kb.render import render_site, routes
from kb.schemas import Schemas

DANGEROUS = ["=1+1", "=cmd|' /C calc'!A0", "+48 22 123 45 67", "-2+3", "- a list item", "@SUM(A1)", "\t=1", "\r=1",
             " =1", "   -x", "\u00a0=1", "\u3000@x", "\n=1", "\uff1d1+1", "\uff0bx", "\uff0dx", "\uff20x",
             "#REF!", "#n/a", " #DIV/0! ", "#NAME?", "#VALUE!", "#NULL!", "#NUM!", "#SPILL!", "Err:502",
             "'=1", "''-x", "' #REF!"]
HARMLESS = ["", "plain", "'plain", "a=b", "x-y", "mail@example.org", "#hashtag", "#REF", "Err:5", "'", "''", "—dash",
            "1", "e=mc²"]
ALPHABET = "=+-@'# \t\r\n\u00a0\u3000\uff1d\uff0dxA!/?0:RrEeFf"


def random_texts(count: int) -> list:
    chance = random.Random(7)
    return ["".join(chance.choice(ALPHABET) for _ in range(chance.randint(0, 6))) for _ in range(count)]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_a_program_would_read_as_a_formula_or_an_error_is_guarded(text):
    assert cells.needs_guard(text) and cells.guarded(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_texts_are_written_as_they_are(text):
    assert cells.guarded(text) == text


def test_every_text_comes_back_from_its_cell_as_written():
    texts = DANGEROUS + HARMLESS + random_texts(2000)
    assert [text for text in texts if cells.unguarded(cells.guarded(text)) != (text, None)] == []


@pytest.mark.parametrize("cell, problem", [("=1+1", "formula"), ("-1", "formula"), (" @x", "formula"),
                                           ("\t1", "formula"), ("#REF!", "error"), ("Err:502", "error")])
def test_a_cell_a_program_wrote_without_the_apostrophe_is_told_apart(cell, problem):
    assert cells.unguarded(cell) == (cell, problem)


def test_the_browsers_csv_guards_by_the_same_rule():
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: the README's test command installs it (npm)")
    texts = DANGEROUS + HARMLESS + random_texts(300)
    program = """
const vm = require('vm'), fs = require('fs');
const noop = () => {};
const page = {readyState: 'loading', addEventListener: noop, querySelector: () => null, querySelectorAll: () => []};
const context = {document$: {subscribe: noop}, window: {addEventListener: noop}, document: page};
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[1], 'utf8'), context);
const texts = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(context.window.kb.csv(texts.map(text => [text, 'x']), ';')));
"""
    done = subprocess.run([node, "-e", program, str(ROOT / "docs" / "assets" / "kb.js")], input=json.dumps(texts),
                          capture_output=True, text=True, check=True)
    written = json.loads(done.stdout)
    assert written.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(written[1:], newline=""), delimiter=";"))
    assert [row[0] for row in rows] == [cells.guarded(text) for text in texts]


@pytest.fixture(scope="module")
def formula_titles(tmp_path_factory):
    """The fixture with practices titled like formulas, rendered: {path: content}."""
    root = make_project(tmp_path_factory.mktemp("formulas") / "kb", FIXTURE)
    titles = {"hromada-visit": {"uk": "=HYPERLINK(\"https://example.org\",\"x\")", "pl": "=cmd|' /C calc'!A0"},
              "ngo-pilot": {"pl": "+1+1", "uk": "@SUM(1+1)", "en": "#REF!"}}
    for name, texts in titles.items():
        path = root / "practices" / f"{name}.yml"
        lines = path.read_text(encoding="utf-8").split("\n")
        start = lines.index("title:")
        for offset, lang in enumerate(texts):
            assert lines[start + 1 + offset].startswith(f"  {lang}: ")
            lines[start + 1 + offset] = f"  {lang}: {json.dumps(texts[lang])}"
        path.write_text("\n".join(lines), encoding="utf-8")
    titles = {text for texts in titles.values() for text in texts.values()}
    tree, _ = load_tree(root)
    schemas = Schemas(root / "schemas")
    return titles, render_site(build_model(tree, schemas), schemas, None)


def test_open_data_csv_puts_formula_like_titles_behind_an_apostrophe(formula_titles):
    titles, files = formula_titles
    for lang in ("pl", "en"):
        table = pandas.read_csv(io.StringIO(files[routes.export("practice", lang, "csv")]), dtype=str, keep_default_na=False)
        written = {title for title in table["title"] if title.lstrip("'") in titles}
        assert written and all(title.startswith("'") and cells.unguarded(title)[1] is None for title in written)
        assert not any(cells.unguarded(value)[1] for column in table.columns for value in table[column])


def test_open_data_workbooks_hold_no_formula_and_no_error_value(formula_titles):
    titles, files = formula_titles
    for lang in ("pl", "en"):
        content = files[routes.export("practice", lang, "xlsx")]
        sheet = load_workbook(io.BytesIO(content)).active
        values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert {cell.data_type for cell in values} <= {"s", "n"}  # text, or a number
        shown = {cell.value for cell in values if cell.value in titles}
        assert shown and all(cell.quotePrefix for cell in values if cell.value in titles)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in xml and b't="e"' not in xml
