"""Open data: every kind's CSV, XLSX and JSON tables, read back with pandas, hold the records and
columns of the knowledge base; datapackage.json describes them from the schemas and passes
`frictionless validate`; catalogues and the data page link to them."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas
import pytest

from conftest import FIXTURE
from kb import CONTENT_LICENCE, KINDS, LANGUAGES
from kb.load import load_tree
from kb.model import build_model
from kb.render import render_site, routes
from kb.render.columns import LIST_SEPARATOR, TRANSLATION_STATE, export_columns, export_left_out
from kb.schemas import Schemas


@pytest.fixture(scope="module")
def fixture_kb():
    tree, _ = load_tree(FIXTURE)
    schemas = Schemas(FIXTURE / "schemas")
    kb = build_model(tree, schemas)
    return kb, schemas, render_site(kb, schemas, None)


def read_back(files: dict, kind: str, lang: str, file_format: str) -> pandas.DataFrame:
    """A table as pandas reads it, every cell as text ('' where empty), to compare across formats."""
    content = files[routes.export(kind, lang, file_format)]
    if file_format == "csv":
        return pandas.read_csv(io.StringIO(content), dtype=str, keep_default_na=False)
    if file_format == "xlsx":
        return pandas.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False)
    frame = pandas.read_json(io.StringIO(content), orient="records", dtype_backend="numpy_nullable")  # 170660 stays whole
    return frame.astype(object).map(lambda value: "" if pandas.isna(value) else str(value))


def text_in(record, lang: str) -> str:
    return record.title.get(lang) or record.title[record.lang]


@pytest.mark.parametrize("file_format", routes.EXPORT_FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_export_holds_the_records_and_columns_of_the_knowledge_base(fixture_kb, kind, lang, file_format):
    kb, schemas, files = fixture_kb
    frame = read_back(files, kind, lang, file_format)
    assert list(frame.columns) == [column.name for column in export_columns(schemas, kind)]
    records = kb.records[kind]
    assert sorted(frame["id"]) == sorted(records) and len(frame) == len(records)
    for row in frame.to_dict(orient="records"):
        record = records[row["id"]]
        assert row["title"] == text_in(record, lang)
        assert row["themes"] == LIST_SEPARATOR.join(record.themes)
        assert row["themes_labels"] == LIST_SEPARATOR.join(kb.taxonomy["themes"][term].label[lang] for term in record.themes)
        assert row[TRANSLATION_STATE] == record.translations[lang].state
        assert row["updated"] == record.updated
        if kind == "practice":
            assert row["location.country"] == record.location["country"]
            assert row["location.regions"] == LIST_SEPARATOR.join(record.location["regions"])
            assert row["evidence_label"] == kb.taxonomy["evidence_levels"][record.evidence].label[lang]
            assert row["period.start"] == (str(record.period["start"]) if record.period else "")
            assert row["budget.amount"] == (str(record.budget["amount"]) if record.budget else "")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_three_formats_hold_the_same_table(fixture_kb, kind, lang):
    _, _, files = fixture_kb
    csv = read_back(files, kind, lang, "csv")
    for file_format in ("xlsx", "json"):
        pandas.testing.assert_frame_equal(read_back(files, kind, lang, file_format), csv)


def test_untranslated_text_is_the_original_and_says_so(fixture_kb):
    kb, _, files = fixture_kb
    frame = read_back(files, "practice", "en", "csv").set_index("id")
    missing = [record for record in kb.records["practice"].values() if "en" not in record.title]
    assert missing, "the fixture has a practice with no English text"
    for record in missing:
        assert frame.loc[record.id, "title"] == record.title[record.lang]
        assert frame.loc[record.id, TRANSLATION_STATE] == "missing"


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_of_the_schema_is_a_column_or_named_as_left_out(kind):
    schemas = Schemas(FIXTURE / "schemas")
    names = [column.name for column in export_columns(schemas, kind)]
    assert len(names) == len(set(names))
    left_out = export_left_out(schemas, kind)
    for key, schema in schemas.inlined(kind)["properties"].items():
        if key == "translations":
            continue
        exported = key in names or any(name.startswith(f"{key}.") for name in names)
        assert exported != (key in left_out), key
        if key in left_out:  # only lists of structured parts are left out
            assert schema["type"] == "array" and schema["items"].get("type") == "object", key


def test_the_datapackage_describes_each_column_from_the_schemas(fixture_kb):
    _, schemas, files = fixture_kb
    for lang in LANGUAGES:
        package = json.loads(files[routes.datapackage(lang)])
        assert package["licenses"] == [CONTENT_LICENCE]
        assert [resource["name"] for resource in package["resources"]] == list(KINDS.values())
        practice = package["resources"][0]
        assert practice["path"] == "practices.csv"
        fields = {field["name"]: field for field in practice["schema"]["fields"]}
        properties = schemas.inlined("practice")["properties"]
        assert fields["summary"]["title"] == properties["summary"]["title"]
        assert fields["summary"]["description"] == properties["summary"]["description"]
        assert fields["location.country"]["description"] == properties["location"]["properties"]["country"]["description"]
        assert fields["updated"]["type"] == "date" and fields["budget.amount"]["type"] == "number"
        assert all(field["description"] for field in fields.values())


def test_an_unchanged_knowledge_base_gives_the_same_files(fixture_kb):
    kb, schemas, files = fixture_kb
    again = render_site(kb, schemas, None)
    assert {path: content for path, content in again.items() if path.startswith(routes.DATA_FOLDER)} == \
        {path: content for path, content in files.items() if path.startswith(routes.DATA_FOLDER)}


def test_frictionless_validate_passes_on_the_built_site(bundled_site):
    frictionless = Path(sys.executable).with_name("frictionless")
    for lang in LANGUAGES:
        package = bundled_site / "site" / routes.URL_PREFIX[lang] / routes.DATA_FOLDER / "datapackage.json"
        result = subprocess.run([str(frictionless), "validate", package.name], cwd=package.parent,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "INVALID" not in result.stdout and result.stdout.count("VALID") == len(KINDS)


def test_catalogues_and_the_data_page_link_to_every_file(bundled_site):
    from bs4 import BeautifulSoup
    site = bundled_site / "site"
    for lang in LANGUAGES:
        prefix = routes.URL_PREFIX[lang]
        data = BeautifulSoup((site / prefix / "data" / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert data.html["lang"] == lang
        linked = {anchor["href"] for anchor in data.select("article a[href]")}
        assert "datapackage.json" in linked and CONTENT_LICENCE["path"] in linked
        for kind, folder in KINDS.items():
            catalogue = BeautifulSoup((site / prefix / folder / "index.html").read_text(encoding="utf-8"), "html.parser")
            hrefs = {anchor["href"] for anchor in catalogue.select("article a[href]")}
            for file_format in routes.EXPORT_FORMATS:
                assert f"../data/{folder}.{file_format}" in hrefs
                assert f"{folder}.{file_format}" in linked
                assert (site / prefix / "data" / f"{folder}.{file_format}").is_file()


def test_the_preview_keeps_a_languages_files_beside_its_pages(fixture_kb):
    _, _, files = fixture_kb
    preview = routes.single_language(files, "uk")
    assert preview["data/practices.xlsx"] == files["data/practices.uk.xlsx"]
    assert preview["statistics/by_theme.svg"] == files["statistics/by_theme.uk.svg"]
    assert not any(".pl." in path or ".en." in path for path in preview)
    assert "](../data/practices.csv)" in preview["practices/index.md"]
    assert "](../statistics/by_theme.svg)" in preview["statistics/index.md"]


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook():
    from kb.render.exports import xlsx_bytes
    frame = pandas.DataFrame([["=1+1", "=HYPERLINK(\"https://example.org\")", 3]], columns=["title", "summary", "count"], dtype=object)
    workbook = xlsx_bytes(frame, "practices", "2026-01-01")
    read = pandas.read_excel(io.BytesIO(workbook), dtype=str, keep_default_na=False)
    assert read.to_dict(orient="records") == [{"title": "=1+1", "summary": "=HYPERLINK(\"https://example.org\")", "count": "3"}]
    assert xlsx_bytes(frame, "practices", "2026-01-01") == workbook  # the same bytes every time
