"""kb: validate YAML records of a multilingual knowledge base and compile them into a MkDocs site.

Pipeline, one module (or package) per stage: load → validate → model → render → build.
See ARCHITECTURE.md for where each fact lives.
"""
from pathlib import Path

# The site's languages, the default (served at /) first, with their names in editors' messages
# (readers see the names in labels.yml: language_name).
LANGUAGE_NAMES = {"pl": "Polish", "uk": "Ukrainian", "en": "English"}
LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT_LANGUAGE = LANGUAGES[0]

# Link schemes records may use, and those that run code or smuggle content (refused however disguised).
LINK_SCHEMES = ("https", "http", "mailto")
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")

# Record kind → folder, in the order catalogues are listed.
KINDS = {
    "practice": "practices",
    "standard": "standards",
    "recommendation": "recommendations",
    "act": "acts",
    "method": "methods",
}

# Files of the whole knowledge base beside the record folders: their kind → file name.
SHARED_FILES = {
    "taxonomy": "taxonomy.yml",  # the controlled vocabularies
    "glossary": "glossary.yml",  # one term per concept in every language, and the words to avoid
}

TITLE_ANCHOR = "title"  # the h1 of record pages (and their handouts, self-assessments): the same anchor in every language

# Anchors a standard's pages give their own parts, which a criterion's id (its anchor there) must
# not take: section ids, and the prefixes and suffix of the self-assessment form's ids.
# (A test renders the pages and checks that every other id they hold is matched here.)
PAGE_ANCHORS = ("facts", "scope", "rule", "criteria", "cites", "related", "related-practices", "sources", "cite", TITLE_ANCHOR)
PAGE_ANCHOR_PREFIXES = ("area-", "note-", "kb-")
PAGE_ANCHOR_SUFFIXES = ("-requirement",)
# The same for a method guide's page and its stages (a stage's id is its anchor there).
METHOD_ANCHORS = ("facts", "legal-basis", "hromada", "stages", "sources", "related", "plan", "cite", TITLE_ANCHOR)
METHOD_ANCHOR_PREFIXES = ("plan-", "kb-")

# The top of each language's site, besides the record folders (KINDS) and the other languages' prefixes:
# render/routes.py builds every path from these names, the build and the search plugins write
# the last folders. Identifiers become folder and file names beside and below them.
INDEX = "index"  # a folder's own page: the home page, a catalogue, the list of a vocabulary's terms
TERM_FOLDERS = {"themes": "themes", "target_groups": "target-groups"}  # vocabularies with a page per term
HAND_WRITTEN = ("about", "contributing", "accessibility")  # docs/pages/<name>.<lang>.md
SITE_FOLDERS = {"status": "recommendation-status", "assessment": "self-assessment", "handout": "handouts",
                "browse": "browse", "data": "data", "statistics": "statistics",
                "assets": "assets", "pagefind": "pagefind", "search_words": "kb-search"}
SITE_PAGES = {"indicators": "indicators", "glossary": "glossary", "search": "search",
              "translation_status": "translation-status", "changes": "changes"}
# File names Windows refuses whatever their case or extension: a clone there would fail.
WINDOWS_RESERVED = ("con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10)))
# Names no identifier (record, alias, taxonomy term) may take: its page would replace or hide one
# of the site's own, or the repository could not be checked out on Windows.
RESERVED_NAMES = frozenset({INDEX, *LANGUAGES[1:], *KINDS.values(), *TERM_FOLDERS.values(), *HAND_WRITTEN,
                            *SITE_FOLDERS.values(), *SITE_PAGES.values(), *WINDOWS_RESERVED})

EXCERPTS_DIR = "excerpts"  # passages of sources kept in the knowledge base, which records quote

PACKAGE_DIR = Path(__file__).resolve().parent


def pausing_gc(stage):
    """Run a stage with Python's cyclic garbage collector paused. The stages build many
    long-lived objects (positions, records, pages) and no cycles worth collecting; the
    collector's repeated sweeps over them grew faster than the knowledge base (load of 1,000
    practices: 1.9 s with it, 1.1 s without)."""
    import functools
    import gc

    @functools.wraps(stage)
    def run(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return run

# The licence of the texts the editors write (records, pages), as open data names it.
CONTENT_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                   "path": "https://creativecommons.org/licenses/by/4.0/"}
