"""The `kb` MkDocs plugin: the little that MkDocs needs from us while it builds one language.

- search: the interface text of the page's language, and Pagefind in the preview
  (search_index.SearchIndexPlugin);
- our own HTML blocks (cards, sanitised texts, citations, acts' units) are set aside before
  Python-Markdown runs and put back after it: they would come out unchanged, and parsing them
  through html.parser was most of the build's time;
- a language's pages live below its folder (uk/…): its home page is the navigation's home,
  and the language switcher leads to the same page in the other languages;
- the navigation of a page that is not in it (a record's) depends only on the page's folder,
  so it is rendered once per folder (main.html calls kb_nav instead of including the partial)."""
from __future__ import annotations

import copy
import posixpath

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.structure.toc import get_toc

from . import LANGUAGES
from .render import routes
from .render.markup import anchor_ids, clean_page, html_body, put_back, set_aside, toc_tokens
from .search_index import SearchIndexPlugin


class KbPlugin(SearchIndexPlugin):
    # The knowledge base's folder (synonyms.yml): MkDocs reads a config that kb wrote elsewhere.
    config_scheme = (("root", config_options.Type(str, default=".")),)

    def __init__(self):
        super().__init__()
        self.set_aside: dict[str, list[str]] = {}  # page → its verbatim HTML blocks, while Markdown runs
        self.html_pages: dict[str, str] = {}  # page written as HTML → its body, while MkDocs renders it
        self.alternates: list = []  # the switcher as configured: each language's home page
        self.in_nav: set = set()  # pages listed in the navigation (their item is marked active)
        self.navigations: dict = {}  # folder → the navigation of a page in it that is not in the navigation

    def on_config(self, config):
        self.alternates = copy.deepcopy(config.extra.get("alternate") or [])
        return config

    def on_nav(self, nav, *, config, files):
        prefix = config.extra.get("language_prefix")
        if prefix:  # uk/index.md is uk/'s home, though MkDocs only calls a top-level index.md that
            nav.homepage = next((page for page in nav.pages if page.url == prefix), nav.homepage)
        self.in_nav = {page.file.src_uri for page in nav.pages}
        self.navigations = {}
        return nav

    def on_env(self, env, *, config, files):
        env.globals["kb_nav"] = self.navigation
        return env

    @pass_context
    def navigation(self, context) -> Markup:
        """partials/nav.html for this page; the same text for every page in one folder that the
        navigation does not list (its links are relative, and none of its items is active)."""
        page = context.get("page")
        render = lambda: Markup(context.environment.get_template("partials/nav.html").render(context.get_all()))
        if page is None or page.file.src_uri in self.in_nav:
            return render()
        folder = posixpath.dirname(page.url.rstrip("/"))  # MkDocs' relative links depend on it, not only on the depth
        if folder not in self.navigations:
            self.navigations[folder] = render()
        return self.navigations[folder]

    def on_page_context(self, context, *, page, config, nav):
        config.extra["alternate"] = self.switcher(page.url, config.extra.get("language_prefix"))
        return super().on_page_context(context, page=page, config=config, nav=nav)

    def on_template_context(self, context, *, template_name, config):  # 404.html: the home pages
        config.extra["alternate"] = copy.deepcopy(self.alternates)
        return super().on_template_context(context, template_name=template_name, config=config)

    def switcher(self, url: str, prefix: str | None) -> list:
        """The switcher's entries for the page at `url`: the same page in each language, as a
        link within the site (Material makes it relative). A home page offers the other homes.
        A link to another site stays as it is: the preview's lead to the published site, and
        kb.js adds the page's path there."""
        alternates = copy.deepcopy(self.alternates)
        if prefix is None or url == prefix or not url.startswith(prefix):
            return alternates
        for alternate in alternates:
            if alternate["lang"] in LANGUAGES and not alternate["link"].startswith(("http:", "https:")):
                alternate["link"] = routes.URL_PREFIX[alternate["lang"]] + url[len(prefix):]
        return alternates

    @staticmethod
    def hand_written(page) -> bool:
        """Written by editors (docs/pages): untrusted, so never taken as our own HTML. Its front
        matter can name no kb_source of its own (generators.split_page allows only a title)."""
        return str(page.meta.get("kb_source", "")).startswith(f"{routes.PAGES_DIR.as_posix()}/")

    def on_page_markdown(self, markdown, *, page, config, files):
        if self.hand_written(page):  # its HTML is cleaned once Markdown has made it (on_page_content)
            return markdown
        body = html_body(markdown)
        if body is not None:  # written as HTML: nothing for Python-Markdown to do
            self.html_pages[page.file.src_uri] = body
            return ""
        markdown, self.set_aside[page.file.src_uri] = set_aside(markdown)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        body = self.html_pages.pop(page.file.src_uri, None)
        if body is not None:
            page.toc = get_toc(toc_tokens(body))
            page.present_anchor_ids = anchor_ids([body])
            return body
        if self.hand_written(page):
            return clean_page(html)  # written by editors: sanitised like records' texts
        blocks = self.set_aside.pop(page.file.src_uri, [])
        if blocks and page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchor_ids(blocks)
        return put_back(html, blocks)
