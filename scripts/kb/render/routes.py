"""Every path and link of the site, in one place.

Pages are rendered as Markdown source files named `<folder>/<name>.<lang>.md`; the build gives
each language its own MkDocs project under plain names below the language's folder
(`build.language_layout`), so `practices/x.pl.md` is served at `practices/x/` and `.uk.md` at
`uk/practices/x/`. Links between pages are relative links to source files, which MkDocs checks
(strict mode fails on a broken one)."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .. import DEFAULT_LANGUAGE, HAND_WRITTEN, INDEX, KINDS, LANGUAGES, SITE_FOLDERS, SITE_PAGES, TERM_FOLDERS

PAGES_DIR = Path("docs/pages")  # hand-written pages, <name>.<lang>.md
# The names themselves are in scripts/kb/__init__.py, where validation finds them too (RESERVED_NAMES).
STATUS_FOLDER = SITE_FOLDERS["status"]
ASSESSMENT_FOLDER = SITE_FOLDERS["assessment"]
HANDOUT_FOLDER = SITE_FOLDERS["handout"]  # one-page practice summaries to print as handouts
BROWSE_FOLDER = SITE_FOLDERS["browse"]
# Where each language's pages live in the built site.
URL_PREFIX = {lang: "" if lang == DEFAULT_LANGUAGE else f"{lang}/" for lang in LANGUAGES}


def _source(folder: str, name: str, lang: str) -> str:
    return f"{folder}/{name}.{lang}.md" if folder else f"{name}.{lang}.md"


def record(kind: str, record_id: str, lang: str) -> str:
    """A record's page; a former id (alias) gets a redirecting page at the same place."""
    return _source(KINDS[kind], record_id, lang)


def catalogue(kind: str, lang: str) -> str:
    return _source(KINDS[kind], INDEX, lang)


def term(vocabulary: str, term_id: str, lang: str) -> str:
    return _source(TERM_FOLDERS[vocabulary], term_id, lang)


def term_index(vocabulary: str, lang: str) -> str:
    return _source(TERM_FOLDERS[vocabulary], INDEX, lang)


def status(value: str, lang: str) -> str:
    """A page listing the recommendations that stand at one status."""
    return _source(STATUS_FOLDER, value, lang)


def assessment(standard_id: str, lang: str) -> str:
    """A standard's self-assessment checklist."""
    return _source(ASSESSMENT_FOLDER, standard_id, lang)


def handout(practice_id: str, lang: str) -> str:
    """A practice's one-page summary card, a training handout."""
    return _source(HANDOUT_FOLDER, practice_id, lang)


def indicators(lang: str) -> str:
    """Every diagnostic indicator, by domain, with the method stages that use it."""
    return _source("", SITE_PAGES["indicators"], lang)


def glossary(lang: str) -> str:
    return _source("", SITE_PAGES["glossary"], lang)


def home(lang: str) -> str:
    return _source("", INDEX, lang)


def search(lang: str) -> str:
    return _source("", SITE_PAGES["search"], lang)


def browse(kind: str, facet: str, value: str, lang: str) -> str:
    """A catalogue narrowed to one facet value, for readers without JavaScript. A value with a
    page of its own (a recommendation's status) leads there."""
    if (kind, facet) in OWN_PAGES:
        return OWN_PAGES[kind, facet](value, lang)
    return _source(BROWSE_FOLDER, f"{KINDS[kind]}-{facet.replace('_', '-')}-{value}", lang)


OWN_PAGES = {("recommendation", "status"): status}  # facets whose values have pages of their own
def translation_status(lang: str) -> str:
    """How the translations into one language stand: coverage per kind, outdated ones."""
    return _source("", SITE_PAGES["translation_status"], lang)


def hand_written(name: str, lang: str) -> str:
    return _source("", name, lang)


def hand_written_source(pages_dir: Path, name: str, lang: str) -> Path:
    return pages_dir / f"{name}.{lang}.md"


def link(from_source: str, to_source: str, anchor: str | None = None) -> str:
    """Relative link from one generated page to another's source file (pages sit at most one
    folder deep)."""
    return "../" * from_source.count("/") + to_source + (f"#{anchor}" if anchor else "")


def url(source: str) -> str:
    """The built page's address below its language's root: practices/x.pl.md → practices/x/;
    a file keeps its name: feed.uk.xml → feed.xml."""
    stem, _, extension = source.rsplit(".", 2)
    if extension != "md":
        return f"{stem}.{extension}"
    stem = stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return stem


def language_of(source: str) -> str:
    """The language of a page or file from its name: practices/x.uk.md → uk."""
    return source.rsplit(".", 2)[-2]


def address(site_url: str, source: str) -> str:
    """A page's (or a file's) permanent, absolute address: built from the record's immutable id,
    never its title."""
    return site_url + URL_PREFIX[language_of(source)] + url(source)


def download(source: str, extension: str) -> str:
    """A file offered beside a page, as its source path (practices/x.uk.md → practices/x/cite.uk.bib,
    served at uk/practices/x/cite.bib)."""
    stem, lang, _ = source.rsplit(".", 2)
    folder = stem[:-len("index")] if stem.endswith("index") else stem + "/"
    return f"{folder}cite.{lang}.{extension}"


def feed(lang: str) -> str:
    """The Atom feed of new and updated records (served at feed.xml, uk/feed.xml, en/feed.xml)."""
    return f"feed.{lang}.xml"


def changes(lang: str) -> str:
    """What changed: records by the date of their last update."""
    return _source("", SITE_PAGES["changes"], lang)


def sitemap(lang: str) -> str:
    """A language's sitemap (sitemap.xml, uk/sitemap.xml, en/sitemap.xml), also where Material's
    language selector looks for one; the default language's lists every page of every language."""
    return f"sitemap.{lang}.xml"


def relative_url(from_source: str, to_source: str) -> str:
    """A built page's address relative to another's, for raw HTML where MkDocs does not rewrite links."""
    start = url(from_source).rstrip("/") or "."
    target = url(to_source).rstrip("/") or "."
    return posixpath.relpath(target, start) + "/"


def depth(source: str) -> int:
    """How many folders below its language's root a built page is."""
    return url(source).count("/")


def rooted_url(from_source: str, to_source: str) -> str:
    """A built page's address relative to another's by way of the language's root: the same from
    every page at the same depth, so a record's card is made once for all of them."""
    return "../" * depth(from_source) + url(to_source)


def single_language(files: dict, lang: str) -> dict:
    """One language's pages (and the files beside them) under plain names (practices/x.md,
    data/practices.csv), links rewritten to match: what MkDocs builds that language from."""
    suffix = re.compile(rf"\.{lang}\.(md|{'|'.join(EXPORT_FORMATS)}|svg)(?=[)#])")
    files_of_language = {}
    for path, content in files.items():
        if language_of_file(path) == lang:  # pages, and the downloads, charts and pictures beside them
            stem, _, extension = path.rpartition(f".{lang}.")
            files_of_language[f"{stem}.{extension}"] = suffix.sub(r".\1", content) if extension == "md" else content
    return files_of_language


def language_of_file(path: str) -> str | None:
    """The language a file belongs to, from its suffix (practices/x.uk.md, assets/guide/shot.uk.jpg),
    or None for a file every language shares (assets/kb.css)."""
    for lang in LANGUAGES:
        _, marker, extension = path.rpartition(f".{lang}.")
        if marker and "/" not in extension:
            return lang
    return None


# Open data and statistics. Files that are not pages carry the language suffix too
# (data/practices.uk.csv): the build puts them beside their language's pages
# (uk/data/practices.csv), so a Markdown link to them is checked like a page link.
DATA_FOLDER = SITE_FOLDERS["data"]
STATISTICS_FOLDER = SITE_FOLDERS["statistics"]
EXPORT_FORMATS = ("csv", "xlsx", "json")


def data_page(lang: str) -> str:
    """Every download, its licence, and how the files are written."""
    return _source(DATA_FOLDER, INDEX, lang)


def export(kind: str, lang: str, file_format: str) -> str:
    """One kind's records as a table in one language: data/practices.pl.csv."""
    return f"{DATA_FOLDER}/{KINDS[kind]}.{lang}.{file_format}"


def datapackage(lang: str) -> str:
    """The Frictionless description of a language's tables (resource paths relative to it)."""
    return f"{DATA_FOLDER}/datapackage.{lang}.json"


def statistics_page(lang: str) -> str:
    return _source(STATISTICS_FOLDER, INDEX, lang)


def chart(name: str, lang: str) -> str:
    """A statistics chart, rendered at build time: statistics/by_theme.pl.svg."""
    return f"{STATISTICS_FOLDER}/{name}.{lang}.svg"


def served_name(path: str) -> str:
    """The name a file with a language suffix has in its language's folder of the built site."""
    return url(path).rsplit("/", 1)[-1]
