"""Golden tests: the Markdown (and the BibTeX, CSL-JSON, feeds and sitemaps) generated from the fixture knowledge base is committed in
tests/golden and must not change unnoticed. After an intended change, regenerate it with

    KB_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff before committing."""
import os

from conftest import FIXTURE, ROOT
from kb.build import write_docs
from kb.load import load_tree
from kb.model import build_model
from kb.render import render_site, routes
from kb.schemas import Schemas

GOLDEN = ROOT / "tests" / "golden"


def generated() -> dict:
    """The pages and the text files beside them (citations, feeds, sitemaps); the open data and
    the charts are checked by test_exports and test_statistics."""
    tree, _ = load_tree(FIXTURE)
    schemas = Schemas(FIXTURE / "schemas")
    return {path: text for path, text in render_site(build_model(tree, schemas), schemas, None).items()
            if path.endswith(".md") or not path.startswith((f"{routes.DATA_FOLDER}/", f"{routes.STATISTICS_FOLDER}/"))}


def test_generated_markdown_matches_golden_files():
    files = generated()
    if os.environ.get("KB_UPDATE_GOLDEN"):
        write_docs(files, GOLDEN)
    expected = {path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8")
                for path in GOLDEN.rglob("*") if path.is_file()}  # pages, and the files beside them (cite.bib, feed.xml)
    assert sorted(files) == sorted(expected), "pages added or removed: regenerate the golden files"
    changed = [path for path, text in files.items() if text != expected[path]]
    assert changed == [], f"generated pages differ from tests/golden: {changed}"


def test_rendering_is_byte_stable():
    assert generated() == generated()
