"""Stage 4: knowledge base → Markdown pages for MkDocs, one per record per language, plus
catalogues, term pages, home pages and the hand-written pages. Pure: returns {path: text}.

Record text never reaches a page unescaped: short text is HTML- and Markdown-escaped, long
text is rendered from Markdown by us and cleaned with nh3 before MkDocs sees it."""
from __future__ import annotations

import html
import json
import re
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property, lru_cache
from pathlib import Path

import jinja2
import cmarkgfm
import nh3
from markupsafe import Markup

from . import DEFAULT_LANGUAGE, KINDS, LANGUAGES, PACKAGE_DIR, pausing_gc
from .load import parse_text
from .model import KnowledgeBase, Record
from .schemas import Schemas

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Only characters Python-Markdown (with the tables extension) accepts backslash escapes for.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")
TERM_FOLDERS = {"themes": "themes", "target_groups": "target-groups"}
PAGES = ("about", "contributing", "accessibility")


def foreign(lang: str) -> str:
    """Attributes of a passage in another language than the page's: its lang, and kept out of
    the page language's search index."""
    return f'lang="{lang}" data-pagefind-ignore="index"'


def search_front_matter(kind_label: str, kind: str, themes=(), countries=()) -> Markup:
    """`pagefind:` front matter read by the theme's main.html (JSON is YAML)."""
    filters = {"kind": [kind], "theme": list(themes), "country": [c for c in countries if c]}
    return Markup("pagefind: " + json.dumps({"kind": kind_label, "filters": filters}, ensure_ascii=False))


def with_search_meta(page_text: str, search: str) -> str:
    """A hand-written page's front matter with the `pagefind:` entry added."""
    if not page_text.startswith("---\n"):
        return f"---\n{search}\n---\n{page_text}"
    return f"---\n{search}\n{page_text[4:]}"


@lru_cache(maxsize=1 << 18)
def escape_inline(text: str) -> str:
    """Plain text safe inside Markdown and HTML: entities for <>&\", backslashes for Markdown."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False)).replace('"', "&quot;")


@lru_cache(maxsize=1 << 18)
def markdown_to_html(text: str) -> str:
    """Editor Markdown (GitHub-flavoured CommonMark, as GitHub previews it) → clean HTML.
    cmark already omits raw HTML and unsafe links; nh3 then keeps only an allow-list of tags,
    attributes and URL schemes."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(text)
    cleaned = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="noopener noreferrer")
    return "\n".join(line for line in cleaned.splitlines() if line.strip())  # a blank line would end the HTML block


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """Built once: compiling the templates is a noticeable share of a preview refresh."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE_DIR / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
        comment_start_string="{%#", comment_end_string="#%}")  # {#id} is Markdown's anchor syntax
    env.filters["md"] = lambda value: Markup(escape_inline(str(value)))
    return env


@lru_cache(maxsize=1)
def load_labels() -> dict:
    document, issues = parse_text((PACKAGE_DIR / "labels.yml").read_text(encoding="utf-8"), "labels.yml")
    if issues:
        raise ValueError(f"labels.yml is broken: {issues}")
    return document.data


def source_path(kind_or_section: str, name: str, lang: str) -> str:
    folder = KINDS.get(kind_or_section, kind_or_section)
    return f"{folder}/{name}.{lang}.md" if folder else f"{name}.{lang}.md"


class Page:
    """Helpers a template uses for one page in one language. All return safe Markup."""

    def __init__(self, renderer: "Renderer", path: str, lang: str):
        self.renderer, self.path, self.lang = renderer, path, lang
        self.kb = renderer.kb
        self.labels = renderer.labels
        self.L = renderer.labels_in(lang)  # interface text of this language, escaped, e.g. L.field.summary
        self.T = renderer.terms_in(lang)  # taxonomy labels of this language, e.g. T.themes['ozps']
        self._up = "../" * path.count("/")  # generated pages sit at most one folder deep

    # text -------------------------------------------------------------------------------
    def pick(self, text: dict | None, source: str) -> tuple[str, str]:
        """The text in the reader's language, or the source-language original: (text, its language)."""
        if not text:
            return "", self.lang
        if self.lang in text:
            return text[self.lang], self.lang
        return text[source], source

    def label(self, *keys, **values) -> Markup:
        if values:
            return Markup(escape_inline(self.renderer.label_text(keys, self.lang).format(**values)))
        return self.renderer.label_markup(keys, self.lang)

    def html_label(self, *keys) -> Markup:
        """Interface text inside a raw HTML block, where Markdown escapes would show: HTML escaping only."""
        return Markup(html.escape(self.renderer.label_text(keys, self.lang)))

    def language_name(self, lang: str) -> str:
        return self.labels["language_name"][lang][self.lang]

    def text(self, text: dict | None, source: str) -> Markup:
        """Short text inline; a passage in another language carries its lang."""
        value, lang = self.pick(text, source)
        escaped = escape_inline(value)
        return Markup(escaped if lang == self.lang else f'<span {foreign(lang)}>{escaped}</span>')

    def html(self, text: dict | None, source: str) -> Markup:
        """Short text inside a raw HTML block, where Markdown escapes would show: HTML escaping only."""
        value, lang = self.pick(text, source)
        escaped = html.escape(value)
        return Markup(escaped if lang == self.lang else f'<span {foreign(lang)}>{escaped}</span>')

    def number(self, value) -> Markup:
        """A number in the reader's convention: 170 660 in Polish and Ukrainian, 170,660 in English."""
        formatted = f"{value:,}".replace(",", "," if self.lang == "en" else "\u00a0")
        if self.lang != "en":
            formatted = formatted.replace(".", ",")
        return Markup(escape_inline(formatted))

    def heading(self, text: dict, source: str) -> Markup:
        value, lang = self.pick(text, source)
        return Markup(escape_inline(value) + ("" if lang == self.lang else f' {{: {foreign(lang)} }}'))

    def plain(self, value) -> Markup:
        return Markup(escape_inline(str(value)))

    def block(self, text: dict | None, source: str) -> Markup:
        """Long Markdown text as a sanitised HTML block; untranslated text is marked and language-tagged."""
        value, lang = self.pick(text, source)
        if not value:
            return Markup("")
        body = markdown_to_html(value)
        if lang == self.lang:
            return Markup(f'<div class="kb-text">\n{body}\n</div>')
        label = html.escape(self.labels["notice"]["original_text"][self.lang].format(source=self.language_name(lang)))
        return Markup(f'<div class="kb-text kb-fallback" data-pagefind-ignore>\n<p class="kb-fallback-label">{label}</p>\n'
                      f'<div {foreign(lang)}>\n{body}\n</div>\n</div>')

    def search_meta(self, record: Record) -> Markup:
        """Front matter for the theme: index this page for search, with its kind and facets. Only
        when the record's text exists in the page's language: a Polish original shown under /uk/
        belongs to the Polish index, never to the Ukrainian one."""
        if self.lang not in record.title:
            return Markup("")
        country = record.location["country"] if record.kind == "practice" else record.country
        return search_front_matter(self.renderer.label_text(("kind", record.kind), self.lang), record.kind,
                                   record.themes, [country])

    def yaml_string(self, text: dict | str | None, source: str | None = None) -> Markup:
        value = text if isinstance(text, str) else self.pick(text, source)[0]
        return Markup(json.dumps(" ".join((value or "").split()), ensure_ascii=False))

    # vocabulary and links -----------------------------------------------------------------

    def href(self, target: str, anchor: str | None = None) -> str:
        """Relative link to another page's source file (target is relative to the docs root);
        MkDocs checks it and localises it."""
        return self._up + target + (f"#{anchor}" if anchor else "")

    def record_href(self, record: Record, anchor: str | None = None) -> str:
        return self.href(source_path(record.kind, record.id, self.lang), anchor)

    def kind_href(self, kind: str, record_id: str, anchor: str | None = None) -> str:
        return self.href(source_path(kind, record_id, self.lang), anchor)

    def term_href(self, vocabulary: str, term_id: str) -> str:
        return self.href(source_path(TERM_FOLDERS[vocabulary], term_id, self.lang))

    def page_href(self, name: str, folder: str = "") -> str:
        return self.href(f"{folder + '/' if folder else ''}{name}.{self.lang}.md")

    # translation status -------------------------------------------------------------------
    def notices(self, record: Record) -> list[Markup]:
        """What the reader should know about the language version they are reading."""
        messages = self.translation_notices(record, record.translations)
        if record.kind == "act" and record.translations[self.lang].status != "source":
            messages.append(self.label("notice", "unofficial", source=self.language_name(record.lang)))
        return messages

    def translation_notices(self, record: Record, translations: dict) -> list[Markup]:
        """Missing, outdated, machine or draft: the state of one language version."""
        state = translations[self.lang]
        source = self.language_name(record.lang)
        if state.status == "missing":
            return [self.label("notice", "missing", source=source)]
        if state.stale:
            return [self.label("notice", "stale", source=source)]
        if state.status in ("machine", "draft"):
            return [self.label("notice", state.status, source=source)]
        return []

    def unit_notices(self, record: Record, translations: dict) -> list[Markup]:
        """Notices for one article, only where it stands differently from the record as a whole."""
        if translations[self.lang].state == record.translations[self.lang].state:
            return []
        return self.translation_notices(record, translations)

    def unit_label(self, level: str, number: str) -> Markup:
        return Markup(f"{self.label('unit', level)} {escape_inline(number)}")

    def provision_label(self, act_id: str, unit_id: str) -> Markup:
        """'Art. 17 ust. 1 pkt 2' in the reader's language, built from the unit identifier."""
        parts = []
        for segment in unit_id.split("__"):
            level, number = segment.split("_", 1)
            parts.append(self.unit_label({"art": "article", "para": "paragraph", "point": "point"}[level], number))
        return Markup(" ".join(parts))

    def provision_href(self, act_id: str, unit_id: str) -> str:
        return self.kind_href("act", act_id, unit_id)

    def criterion_label(self, standard_id: str, criterion_id: str) -> Markup:
        standard = self.renderer.kb.get("standard", standard_id)
        criterion = next(c for c in standard.criteria if c.id == criterion_id)
        return Markup(f"{self.text(standard.title, standard.lang)}: {self.label('field', 'criterion')} {criterion.number}")


class Renderer:
    def __init__(self, kb: KnowledgeBase, schemas: Schemas, pages_dir: Path | None = None,
                 languages: tuple = LANGUAGES):
        self.kb, self.schemas, self.pages_dir, self.languages = kb, schemas, pages_dir, languages
        self.labels = load_labels()
        self.env = template_environment()

    @lru_cache(maxsize=8)
    def labels_in(self, lang: str) -> dict:
        def walk(node):
            if set(node) == set(LANGUAGES) and all(isinstance(v, str) for v in node.values()):
                return Markup(escape_inline(node[lang]))
            return {key: walk(child) for key, child in node.items()}
        return walk(self.labels)

    @lru_cache(maxsize=8)
    def terms_in(self, lang: str) -> dict:
        return {vocabulary: {term_id: Markup(escape_inline(term.label[lang])) for term_id, term in terms.items()}
                for vocabulary, terms in self.kb.taxonomy.items()}

    def label_text(self, keys: tuple, lang: str) -> str:
        node = self.labels
        for key in keys:
            node = node[key]
        return node[lang]

    @lru_cache(maxsize=4096)
    def label_markup(self, keys: tuple, lang: str) -> Markup:
        return Markup(escape_inline(self.label_text(keys, lang)))

    def _render(self, template: str, path: str, lang: str, **context) -> str:
        page = Page(self, path, lang)
        text = self.env.get_template(template).render(page=page, kb=self.kb, lang=lang, KINDS=KINDS, **context)
        return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"

    def records(self, records=None) -> dict:
        files = {}
        for record in (self.kb.all_records() if records is None else records):
            for lang in self.languages:
                path = source_path(record.kind, record.id, lang)
                files[path] = self._render(f"{record.kind}.md.j2", path, lang, record=record)
                for alias in record.aliases:
                    alias_path = source_path(record.kind, alias, lang)
                    files[alias_path] = self._render("redirect.md.j2", alias_path, lang, record=record)
        return files

    def catalogues(self) -> dict:
        files = {}
        for kind in KINDS:
            for lang in self.languages:
                path = source_path(kind, "index", lang)
                files[path] = self._render("catalogue.md.j2", path, lang, kind=kind,
                                           records=list(self.kb.records[kind].values()))
        return files

    def term_pages(self) -> dict:
        files = {}
        for vocabulary, folder in TERM_FOLDERS.items():
            terms = list(self.kb.taxonomy[vocabulary].values())
            for lang in self.languages:
                index_path = f"{folder}/index.{lang}.md"
                files[index_path] = self._render("terms.md.j2", index_path, lang, vocabulary=vocabulary, terms=terms)
                for term in terms:
                    path = f"{folder}/{term.id}.{lang}.md"
                    files[path] = self._render("term.md.j2", path, lang, vocabulary=vocabulary, term=term,
                                               records=self.kb.tagged(vocabulary, term.id))
        return files

    def home(self) -> dict:
        latest = sorted(self.kb.all_records(), key=lambda r: (r.updated, r.kind, r.id), reverse=True)[:6]
        return {f"index.{lang}.md": self._render("home.md.j2", f"index.{lang}.md", lang, latest=latest)
                for lang in self.languages}

    @cached_property
    def field_reference(self) -> dict:
        """kind → the schema's field table. The schemas are written in English, so on pages in
        other languages the table is marked as an English passage."""
        template = self.env.get_template("field_reference.md.j2")
        return {kind: template.render(fields=self.schemas.field_reference(kind)) for kind in KINDS}

    def field_reference_in(self, lang: str) -> dict:
        if lang == "en":
            return self.field_reference
        return {kind: f'<div {foreign("en")} markdown="1">\n\n{table}\n</div>' for kind, table in self.field_reference.items()}

    def hand_written(self) -> dict:
        """docs/pages/<name>.<lang>.md, rendered through Jinja for generated parts such as the field reference."""
        files = {}
        if self.pages_dir is None:
            return files
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
        for name in PAGES:
            for lang in self.languages:
                source = self.pages_dir / f"{name}.{lang}.md"
                text = env.from_string(source.read_text(encoding="utf-8")).render(
                    field_reference=self.field_reference_in(lang), lang=lang)
                files[f"{name}.{lang}.md"] = with_search_meta(text, search_front_matter(
                    self.label_text(("search", "kind_page"), lang), "page"))
        return files

    def search_pages(self) -> dict:
        files = {}
        for lang in self.languages:
            page = Page(self, f"search.{lang}.md", lang)
            kinds = [(kind, page.html_label("kind", kind)) for kind in KINDS] + [("page", page.html_label("search", "kind_page"))]
            terms = {vocabulary: [(term_id, page.html(term.label, lang)) for term_id, term in self.kb.taxonomy[vocabulary].items()]
                     for vocabulary in ("themes", "countries")}
            facets = [("kind", page.html_label("search", "facet_kind"), kinds),
                      ("theme", page.html_label("search", "facet_theme"), terms["themes"]),
                      ("country", page.html_label("search", "facet_country"), terms["countries"])]
            files[page.path] = self._render("search.md.j2", page.path, lang, facets=facets)
        return files

    def list_pages(self) -> dict:
        return {**self.home(), **self.catalogues(), **self.term_pages(), **self.hand_written(), **self.search_pages()}

    def render(self, jobs: int = 1) -> dict:
        """Every page. Record pages are independent of each other: with several cores, forked
        workers render shares of them (they inherit this renderer; only page texts travel back)
        while this process renders the list pages."""
        records = list(self.kb.all_records())
        if jobs <= 1 or len(records) < 200 or "fork" not in multiprocessing.get_all_start_methods():
            return dict(sorted({**self.list_pages(), **self.records(records)}.items()))
        global _WORKER_RENDERER
        _WORKER_RENDERER = self
        shares = [[(r.kind, r.id) for r in records[start::jobs]] for start in range(jobs)]
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_render_share, share) for share in shares]
            files = self.list_pages()
            for part in pending:
                files.update(part.result())
        _WORKER_RENDERER = None
        return dict(sorted(files.items()))


_WORKER_RENDERER: Renderer | None = None


def _render_share(keys: list) -> dict:
    renderer = _WORKER_RENDERER
    return renderer.records([renderer.kb.get(kind, record_id) for kind, record_id in keys])


@pausing_gc
def render_site(kb: KnowledgeBase, schemas: Schemas, pages_dir: Path | None, languages: tuple = LANGUAGES,
                jobs: int = 1) -> dict:
    return Renderer(kb, schemas, pages_dir, languages).render(jobs)


def single_language(files: dict, lang: str) -> dict:
    """One language's pages under plain names (practices/x.md), links rewritten to match, for a
    preview built by MkDocs without the i18n plugin."""
    suffix = re.compile(rf"\.{lang}\.md(?=[)#])")
    return {path.replace(f".{lang}.md", ".md"): suffix.sub(".md", text)
            for path, text in files.items() if path.endswith(f".{lang}.md")}
