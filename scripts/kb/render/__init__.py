"""Stage 4: knowledge base → Markdown pages for MkDocs. Pure: returns {source path: text}.

routes.py names every path and link; columns.py what each kind shows at a glance (catalogue
columns, search facets); page.py what templates get for one page; labels.py the interface text;
generators.py the list of page families; markup.py escaping and sanitising; parallel.py workers."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import LANGUAGES, PACKAGE_DIR, pausing_gc
from ..model import KnowledgeBase
from ..schemas import Schemas
from ..site import Site
from . import parallel
from .generators import FAMILIES
from .markup import escape_inline, split_front_matter, verbatim
from .page import HtmlPage, Page

HTML_TEMPLATE = ".html.j2"

_ENVIRONMENT: jinja2.Environment | None = None


def template_environment() -> jinja2.Environment:
    """Built once: compiling the templates is a noticeable share of a preview refresh."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        _ENVIRONMENT = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(PACKAGE_DIR / "templates")),
            autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True,
            comment_start_string="{%#", comment_end_string="#%}")  # {#id} is Markdown's anchor syntax
        _ENVIRONMENT.filters["md"] = lambda value: Markup(escape_inline(str(value)))
        _ENVIRONMENT.filters["verbatim"] = verbatim
    return _ENVIRONMENT


class Renderer:
    """Renders the page families for a knowledge base in the given languages."""

    def __init__(self, kb: KnowledgeBase, schemas: Schemas, pages_dir: Path | None = None,
                 languages: tuple = LANGUAGES, site: Site | None = None):
        self.kb, self.schemas, self.pages_dir, self.languages = kb, schemas, pages_dir, languages
        self.site = site or Site.default()
        self.env = template_environment()
        self._terms: dict = {}
        self.html_labels: dict = {}  # (keys, lang) → escaped label, filled by Page.html_label
        self.cards: dict = {}  # (kind, id, lang, folder depth) → a record's card (catalogue.card)
        self.html_templates: set | None = None  # the templates that write HTML (record_template)

    def terms_in(self, lang: str, escape=escape_inline) -> dict:
        """Taxonomy labels in one language, escaped for Markdown (or by `escape`): T.themes['ozps']."""
        if (lang, escape) not in self._terms:
            self._terms[lang, escape] = {vocabulary: {term_id: Markup(escape(term.label[lang])) for term_id, term in terms.items()}
                                         for vocabulary, terms in self.kb.taxonomy.items()}
        return self._terms[lang, escape]

    def page(self, path: str, lang: str) -> Page:
        return Page(self, path, lang)

    def template(self, template: str, path: str, lang: str, page: Page | None = None, **context) -> str:
        """One page from its template. A template named *.html.j2 writes the page's body as HTML
        (with HtmlPage), which the kb plugin passes through MkDocs without Python-Markdown."""
        as_html = template.endswith(HTML_TEMPLATE)
        page = page or (HtmlPage if as_html else Page)(self, path, lang)
        text = self.env.get_template(template).render(page=page, lang=lang, **context)
        if as_html:
            front_matter, body = split_front_matter(text)
            body = str(verbatim("\n".join(line for line in body.splitlines() if line.strip())))  # Markup would escape the front matter
            return f"{front_matter}{body}\n"
        return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"

    def record_template(self, kind: str) -> str:
        """practice.html.j2 where the kind's page is written as HTML, else act.md.j2."""
        if self.html_templates is None:  # listing the folder once, not for each of thousands of pages
            self.html_templates = {name for name in self.env.list_templates() if name.endswith(HTML_TEMPLATE)}
        html_template = f"{kind}{HTML_TEMPLATE}"
        return html_template if html_template in self.html_templates else f"{kind}.md.j2"

    def pages(self, families=FAMILIES, records: list | None = None) -> dict:
        """The pages of the given families; per-record families only for `records` when given."""
        files = {}
        for family in families:
            if family.from_pages:
                continue
            if family.per_record:
                files.update(family.make(self, list(self.kb.all_records()) if records is None else records))
            else:
                files.update(family.make(self))
        return files

    def render(self, jobs: int = 1, families=FAMILIES) -> dict:
        """Every page (of the given families), sorted by path. With several cores, workers render
        the record pages while this process renders the rest."""
        records = list(self.kb.all_records())
        per_record = [family for family in families if family.per_record]
        others = [family for family in families if not family.per_record]
        if not parallel.available(jobs, records):
            files = self.pages(families)
        else:
            files = parallel.render_in_workers(self, per_record, records, jobs, lambda: self.pages(others))
        for family in families:
            if family.from_pages:
                files.update(family.make(self, files))
        return dict(sorted(files.items()))

    def in_two_steps(self, jobs: int = 1):
        """What the preview writes when it starts: every page but those of the families made
        `later`, then those and the pages made from all the others (the sitemap)."""
        first = self.render(jobs, [family for family in FAMILIES if not family.later and not family.from_pages])
        yield first
        later = self.render(1, [family for family in FAMILIES if family.later])
        for family in FAMILIES:
            if family.from_pages:
                later.update(family.make(self, first | later))
        yield later

    def changed(self, records: list):
        """What the preview renders after a save that touched only record files, in two steps
        for it to write in turn: those records' pages (what the editor is looking at), then every
        page that lists records (catalogues, pages per facet value, open data, statistics …)."""
        yield self.pages([family for family in FAMILIES if family.per_record], records)
        yield self.pages([family for family in FAMILIES if family.lists_records])


@pausing_gc
def render_site(kb: KnowledgeBase, schemas: Schemas, pages_dir: Path | None, languages: tuple = LANGUAGES,
                jobs: int = 1, site: Site | None = None) -> dict:
    return Renderer(kb, schemas, pages_dir, languages, site).render(jobs)
