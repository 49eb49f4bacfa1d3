"""Stage 5: writing the docs tree, and a failed run never touching the built site."""
import shutil

from bs4 import BeautifulSoup

from conftest import FIXTURE, ROOT, make_project, run_kb
from kb.build import write_docs


def test_write_docs_touches_only_changes(tmp_path):
    docs = tmp_path / "docs"
    assert sorted(write_docs({"a.md": "A", "b/c.md": "C"}, docs)) == ["a.md", "b/c.md"]
    assert write_docs({"a.md": "A", "b/c.md": "C"}, docs) == []
    assert sorted(write_docs({"a.md": "A2"}, docs)) == ["a.md", "b/c.md"]
    assert (docs / "a.md").read_text() == "A2" and not (docs / "b").exists()


def test_invalid_input_leaves_the_built_site_untouched(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("previous build", encoding="utf-8")
    shutil.copy(ROOT / "tests/fixtures/invalid/script-injection.yml", root / "practices" / "script-injection.yml")
    code, out, err = run_kb("--root", root, "build")
    assert code == 1
    assert "text.html" in out and "site/ folder is unchanged" in err
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "previous build"
    assert not (root / "build" / "docs").exists()


def test_fixture_site_builds_and_a_failing_mkdocs_keeps_the_previous_site(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    code, out, err = run_kb("--root", root, "build")
    assert code == 0, out + err
    page = BeautifulSoup((root / "site/en/practices/hromada-visit/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "en"
    assert page.h1["lang"] == "uk"
    fallback = page.select_one(".kb-fallback")
    assert fallback.select_one("div[lang=uk]") and "not translated" in fallback.get_text()
    assert "has not been translated into English" in page.select_one(".admonition").get_text()
    alias = (root / "site/uk/practices/old-ngo-pilot/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../ngo-pilot/"' in alias
    built = (root / "site/index.html").read_bytes()
    with open(root / "docs/pages/about.en.md", "a", encoding="utf-8") as page:
        page.write("\n[a broken link](no-such-page.md)\n")  # strict MkDocs fails on it
    code, out, err = run_kb("--root", root, "build")
    assert code == 1 and "MkDocs failed" in err
    assert (root / "site/index.html").read_bytes() == built
    assert not list(root.glob(".site-*"))
    # A malformed synonyms file (read while Pagefind indexes) is found by the checks before the build.
    shutil.copy(ROOT / "docs/pages/about.en.md", root / "docs/pages/about.en.md")
    (root / "synonyms.yml").write_text("pl: [[OPS]]\n", encoding="utf-8")
    code, out, err = run_kb("--root", root, "build")
    assert code == 1 and "synonyms.yml:1:6: synonyms.shape" in out and "site/ folder is unchanged" in err
    assert (root / "site/index.html").read_bytes() == built
    assert not list(root.glob(".site-*"))
