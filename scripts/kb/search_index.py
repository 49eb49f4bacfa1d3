"""The `kb-search` MkDocs plugin. It gives the theme the search interface text of the page's
language (from labels.yml), and once MkDocs has written the site, has Pagefind index it into
<site>/pagefind.

Pagefind builds one index per page language (from <html lang>) and indexes only the part of a
page marked data-pagefind-body: record pages and the hand-written pages carry it when their text
is in the page's language (see the theme's main.html). In `mkdocs serve` the index is rebuilt in
the background, so a save shows up at once and search catches up a moment later."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from .render.labels import load_labels
from .render.markup import anchor_ids, put_back, set_aside

OUTPUT = "pagefind"
log = logging.getLogger("mkdocs.plugins.kb-search")


def pagefind_command(site_dir: str) -> list[str]:
    # .headerlink: the "¶" permalink after every heading.
    return [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", OUTPUT,
            "--exclude-selectors", ".headerlink", "--quiet"]


class SearchIndexPlugin(BasePlugin):
    def __init__(self):
        self.command = "build"
        self.running: subprocess.Popen | None = None
        self.set_aside: dict[str, list[str]] = {}  # page → its verbatim HTML blocks, while Markdown runs

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def _with_labels(self, context, config):
        language = config["theme"]["language"]
        context["kb_search"] = {key: text[language] for key, text in load_labels()["search"].items()}
        context["kb_footer"] = {key: text[language] for key, text in load_labels()["footer"].items()}
        return context

    def on_page_context(self, context, *, page, config, nav):
        return self._with_labels(context, config)

    def on_page_markdown(self, markdown, *, page, config, files):
        markdown, self.set_aside[page.file.src_uri] = set_aside(markdown)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        blocks = self.set_aside.pop(page.file.src_uri, [])
        if blocks and page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchor_ids(blocks)
        return put_back(html, blocks)

    def on_template_context(self, context, *, template_name, config):  # 404.html
        return self._with_labels(context, config)

    @event_priority(-200)  # after mkdocs-static-i18n (-100), whose post-build event builds the other languages
    def on_post_build(self, *, config) -> None:
        i18n = config.plugins.get("i18n")
        if i18n is not None and i18n.building:
            return  # one language of several: index once, when all of them are written
        command = pagefind_command(config["site_dir"])
        if self.command == "serve":
            if self.running is not None and self.running.poll() is None:
                self.running.terminate()  # a newer build supersedes it
                self.running.wait()
            shutil.rmtree(Path(config["site_dir"]) / OUTPUT, ignore_errors=True)  # no stale index files
            self.running = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            return
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise PluginError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")
        log.info(f"Pagefind indexed the site in {time.perf_counter() - started:.2f} s")  # the benchmark reads this
