"""Search in the kb MkDocs plugin (plugin.py): the theme gets the search interface text of the
page's language (from labels.yml); `kb build` has Pagefind index the merged site into
<site>/pagefind and writes the word-form and synonym tables beside it (search_words.py).

Pagefind builds one index per page language (from <html lang>) and indexes only the part of a
page marked data-pagefind-body: record pages and the hand-written pages carry it when their text
is in the page's language (see the theme's main.html). In `mkdocs serve` the index is rebuilt in
the background, so a save shows up at once and search catches up a moment later."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import search_words
from .render.columns import PAGE_KIND
from .render.labels import load_labels

OUTPUT = "pagefind"
log = logging.getLogger("mkdocs.plugins.kb-search")


def pagefind_command(site_dir: str) -> list[str]:
    # .headerlink: the "¶" permalink after every heading.
    return [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", OUTPUT,
            "--exclude-selectors", ".headerlink", "--exclude-selectors", ".kb-label", "--quiet"]


class SearchIndexPlugin(BasePlugin):
    def __init__(self):
        self.command = "build"
        self.running: subprocess.Popen | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def _with_labels(self, context, config):
        language = config["theme"]["language"]
        context["kb_search"] = {key: text[language] for key, text in load_labels()["search"].items()}
        context["kb_footer"] = {key: text[language] for key, text in load_labels()["footer"].items()}
        context["kb_page_kind"] = PAGE_KIND  # the kind facet's value the search script weighs down
        return context

    def on_page_context(self, context, *, page, config, nav):
        return self._with_labels(context, config)

    def on_template_context(self, context, *, template_name, config):  # 404.html
        return self._with_labels(context, config)

    def on_post_build(self, *, config) -> None:
        """In `mkdocs serve`, index in the background after each build; `kb build` indexes the
        site itself once every language is built and merged (build.run_mkdocs)."""
        if self.command != "serve":
            return
        try:
            search_words.write(Path(config["site_dir"]), Path(self.config["root"]))  # word forms, synonyms
        except search_words.SynonymsError as error:
            raise PluginError(str(error)) from None
        if self.running is not None and self.running.poll() is None:
            self.running.terminate()  # a newer build supersedes it
            self.running.wait()
        shutil.rmtree(Path(config["site_dir"]) / OUTPUT, ignore_errors=True)  # no stale index files
        self.running = subprocess.Popen(pagefind_command(config["site_dir"]), stdout=subprocess.DEVNULL)


def index(site_dir: Path) -> subprocess.CompletedProcess:
    """Pagefind over a built site: one index per page language."""
    return subprocess.run(pagefind_command(str(site_dir)), capture_output=True, text=True)
