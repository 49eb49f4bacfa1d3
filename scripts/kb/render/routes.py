"""Every path and link of the site, in one place.

Pages are written as Markdown source files named `<folder>/<name>.<lang>.md` (mkdocs-static-i18n's
suffix layout); MkDocs turns `practices/x.pl.md` into the URL `practices/x/`, and `.uk.md` into
`uk/practices/x/`. Links between pages are relative links to source files, which MkDocs checks
(strict mode fails on a broken one) and localises."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .. import DEFAULT_LANGUAGE, KINDS, LANGUAGES

PAGES_DIR = Path("docs/pages")  # hand-written pages, <name>.<lang>.md
HAND_WRITTEN = ("about", "contributing", "accessibility")
TERM_FOLDERS = {"themes": "themes", "target_groups": "target-groups"}  # vocabularies with a page per term
STATUS_FOLDER = "recommendation-status"
ASSESSMENT_FOLDER = "self-assessment"
# Where each language's pages live in the built site.
URL_PREFIX = {lang: "" if lang == DEFAULT_LANGUAGE else f"{lang}/" for lang in LANGUAGES}


def _source(folder: str, name: str, lang: str) -> str:
    return f"{folder}/{name}.{lang}.md" if folder else f"{name}.{lang}.md"


def record(kind: str, record_id: str, lang: str) -> str:
    """A record's page; a former id (alias) gets a redirecting page at the same place."""
    return _source(KINDS[kind], record_id, lang)


def catalogue(kind: str, lang: str) -> str:
    return _source(KINDS[kind], "index", lang)


def term(vocabulary: str, term_id: str, lang: str) -> str:
    return _source(TERM_FOLDERS[vocabulary], term_id, lang)


def term_index(vocabulary: str, lang: str) -> str:
    return _source(TERM_FOLDERS[vocabulary], "index", lang)


def status(value: str, lang: str) -> str:
    """A page listing the recommendations that stand at one status."""
    return _source(STATUS_FOLDER, value, lang)


def assessment(standard_id: str, lang: str) -> str:
    """A standard's self-assessment checklist."""
    return _source(ASSESSMENT_FOLDER, standard_id, lang)


def indicators(lang: str) -> str:
    """Every diagnostic indicator, by domain, with the method stages that use it."""
    return _source("", "indicators", lang)


def glossary(lang: str) -> str:
    return _source("", "glossary", lang)


def home(lang: str) -> str:
    return _source("", "index", lang)


def search(lang: str) -> str:
    return _source("", "search", lang)


def translation_status(lang: str) -> str:
    """How the translations into one language stand: coverage per kind, outdated ones."""
    return _source("", "translation-status", lang)


def hand_written(name: str, lang: str) -> str:
    return _source("", name, lang)


def hand_written_source(pages_dir: Path, name: str, lang: str) -> Path:
    return pages_dir / f"{name}.{lang}.md"


def link(from_source: str, to_source: str, anchor: str | None = None) -> str:
    """Relative link from one generated page to another's source file (pages sit at most one
    folder deep)."""
    return "../" * from_source.count("/") + to_source + (f"#{anchor}" if anchor else "")


def url(source: str) -> str:
    """The built page's address below its language's root: practices/x.pl.md → practices/x/."""
    stem = source.rsplit(".", 2)[0]
    stem = stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return stem


def relative_url(from_source: str, to_source: str) -> str:
    """A built page's address relative to another's, for raw HTML where MkDocs does not rewrite links."""
    start = url(from_source).rstrip("/") or "."
    target = url(to_source).rstrip("/") or "."
    return posixpath.relpath(target, start) + "/"


def single_language(files: dict, lang: str) -> dict:
    """One language's pages under plain names (practices/x.md), links rewritten to match, for a
    preview built by MkDocs without the i18n plugin."""
    suffix = re.compile(rf"\.{lang}\.md(?=[)#])")
    return {path.replace(f".{lang}.md", ".md"): suffix.sub(".md", text)
            for path, text in files.items() if path.endswith(f".{lang}.md")}
