"""Open data: each kind's records as CSV, XLSX and JSON tables per language (pandas, openpyxl),
a Frictionless datapackage.json describing them from the schemas, and the data page that lists
them. The columns are columns.export_columns, derived from the schemas; every format holds the
same table. The spreadsheets are inert (cells.py): in the CSV a text that a program would take for
a formula or an error value stands behind an apostrophe, in the XLSX every text is a string cell."""
from __future__ import annotations

import io
import json
import re
import zipfile
from typing import TYPE_CHECKING

from markupsafe import Markup

from .. import CONTENT_LICENCE, KINDS, cells
from ..schemas import SCHEMA_LANGUAGE
from . import labels, routes
from .columns import LIST_SEPARATOR, export_columns, export_left_out
from .markup import foreign

if TYPE_CHECKING:  # pandas is imported where a table is made: kb validate and MkDocs' plugin need none
    import pandas

FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: the same bytes on every build


def export_table(renderer, kind: str, lang: str) -> pandas.DataFrame:
    """A kind's records in one language, one row per record in order of id, one column per
    export column. Cells hold the values as written (object dtype: no 3 → 3.0, no None → NaN)."""
    page = renderer.page(routes.data_page(lang), lang)
    columns = export_columns(renderer.schemas, kind)
    records = sorted(renderer.kb.records[kind].values(), key=lambda record: record.id)
    rows = [[_cell(column, record, page, renderer) for column in columns] for record in records]
    import pandas
    return pandas.DataFrame(rows, columns=[column.name for column in columns], dtype=object)


def _cell(column, record, page, renderer):
    if column.shape == "translation":
        return record.translations[page.lang].state
    value = record.data
    for key in column.path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None or value == []:
        return None
    if column.shape == "text":
        return page.pick(value, record.lang)[0]
    if column.shape == "labels":
        return LIST_SEPARATOR.join(_label(column, term, page, renderer) for term in (value if isinstance(value, list) else [value]))
    if column.shape == "list":
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def _label(column, value, page, renderer) -> str:
    if column.vocabulary:
        return page.pick(renderer.kb.taxonomy[column.vocabulary][value].label, None)[0]
    return labels.text((column.label_group, str(value)), page.lang)


def csv_text(frame: pandas.DataFrame) -> str:
    import pandas
    guarded = pandas.DataFrame([[cells.guarded(value) for value in row] for row in frame.itertuples(index=False)],
                               columns=frame.columns, dtype=object)  # frame.map would make 170660 170660.0
    return guarded.to_csv(index=False, lineterminator="\n")


def json_text(frame: pandas.DataFrame) -> str:
    return frame.to_json(orient="records", force_ascii=False, indent=1) + "\n"


def xlsx_bytes(frame: pandas.DataFrame, sheet: str, stamp: str) -> bytes:
    """The table as a workbook, its dates fixed to `stamp` (the latest update of a record) and
    its zip entries to one time, so that an unchanged knowledge base gives the same bytes."""
    import pandas
    written = io.BytesIO()
    with pandas.ExcelWriter(written, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
        for row in writer.sheets[sheet].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):  # openpyxl types '=1+1' as a formula and '#REF!' as an error
                    cells.text_cell(cell, cell.value)
    stable = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + f"{stamp}T00:00:00Z".encode(), data)
            target.writestr(zipfile.ZipInfo(entry.filename, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return stable.getvalue()


def datapackage(renderer, lang: str) -> dict:
    """A Frictionless data package of a language's CSV tables: one resource per kind, each field
    titled and described from the schemas (written in English)."""
    resources = []
    for kind in KINDS:
        schema = renderer.schemas.root(kind)
        fields = [{"name": column.name, "title": column.title, "description": column.description, "type": column.type}
                  for column in export_columns(renderer.schemas, kind)]
        resources.append({"name": KINDS[kind], "path": routes.served_name(routes.export(kind, lang, "csv")),
                          "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "title": schema.get("title", kind), "description": schema.get("description", ""),
                          "schema": {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}})
    return {"profile": "tabular-data-package", "name": f"kb-{lang}", "title": labels.text(("home", "title"), lang),
            "description": labels.text(("data", "intro"), lang), "languages": [lang], "licenses": [CONTENT_LICENCE],
            "resources": resources}


def export_files(renderer) -> dict:
    """Every kind's tables in every language, each language's datapackage.json and data page."""
    stamp = max((record.updated for record in renderer.kb.all_records() if record.updated), default="2000-01-01")
    files: dict = {}
    for lang in renderer.languages:
        for kind in KINDS:
            frame = export_table(renderer, kind, lang)
            files[routes.export(kind, lang, "csv")] = csv_text(frame)
            files[routes.export(kind, lang, "xlsx")] = xlsx_bytes(frame, KINDS[kind], stamp)
            files[routes.export(kind, lang, "json")] = json_text(frame)
        package = routes.datapackage(lang)
        files[package] = json.dumps(datapackage(renderer, lang), ensure_ascii=False, indent=1) + "\n"
        files[routes.data_page(lang)] = data_page(renderer, lang, files)
    return files


def export_links(page, kind: str) -> list:
    """(format name, link) of a kind's tables in the page's language."""
    return [(FORMAT_NAMES[file_format], page.href(routes.export(kind, page.lang, file_format)))
            for file_format in routes.EXPORT_FORMATS]


def data_page(renderer, lang: str, files: dict) -> str:
    path = routes.data_page(lang)
    page = renderer.page(path, lang)
    downloads = [(kind, len(renderer.kb.records[kind]),
                  [(name, href, _kilobytes(page, files[routes.export(kind, lang, file_format)]))
                   for (name, href), file_format in zip(export_links(page, kind), routes.EXPORT_FORMATS)])
                 for kind in KINDS]
    kinds = [(kind, [(column.name, column.title, column.description) for column in export_columns(renderer.schemas, kind)],
              export_left_out(renderer.schemas, kind)) for kind in KINDS]
    return renderer.template("data.md.j2", path, lang, page=page, downloads=downloads, kinds=kinds,
                             datapackage=page.href(routes.datapackage(lang)), licence=CONTENT_LICENCE,
                             separator=LIST_SEPARATOR.strip(), english=Markup(foreign(SCHEMA_LANGUAGE)) if lang != SCHEMA_LANGUAGE else "")


def _kilobytes(page, content) -> Markup:
    size = len(content.encode("utf-8") if isinstance(content, str) else content)
    return page.number(round(size / 1024, 1)) + Markup("\u00a0kB")  # the unit stays with its number
