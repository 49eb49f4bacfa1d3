"""Search in the kb MkDocs plugin (plugin.py): the theme gets the search interface text of the
page's language (from labels.yml); `kb build` has Pagefind index the merged site into
<site>/pagefind and writes the word-form and synonym tables beside it (search_words.py).

Pagefind builds one index per page language (from <html lang>) and indexes only the part of a
page marked data-pagefind-body: record pages and the hand-written pages carry it when their text
is in the page's language (see the theme's main.html). In `mkdocs serve` the index is rebuilt in
the background, so a save shows up at once and search catches up a moment later."""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import SITE_FOLDERS, search_words
from .processes import CHILDREN
from .render.columns import PAGE_KIND
from .render.labels import load_labels
from .render.routes import URL_PREFIX

OUTPUT = SITE_FOLDERS["pagefind"]
log = logging.getLogger("mkdocs.plugins.kb-search")


def pagefind_command(site_dir: str, glob: str | None = None) -> list[str]:
    # .headerlink: the "¶" permalink after every heading.
    return [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", OUTPUT,
            *(["--glob", glob] if glob else []),
            "--exclude-selectors", ".headerlink", "--exclude-selectors", ".kb-label", "--quiet"]


BODY = b"data-pagefind-body"


def indexed_folders(site_dir: Path) -> str | None:
    """A glob of the folders that hold pages with data-pagefind-body (practices/, uk/practices/,
    about/…). Pagefind reads every page it is given; the other half of the site (handouts,
    pages per facet value, self-assessment…) is never indexed, and reading it cost more than
    half of Pagefind's time. Finding the marker here is a fraction of a second."""
    languages = {prefix.rstrip("/") for prefix in URL_PREFIX.values() if prefix}
    folders = set()
    for page in site_dir.rglob("*.html"):
        parts = page.relative_to(site_dir).parts
        depth = 2 if parts[0] in languages and len(parts) > 2 else 1
        folder = "/".join(parts[:depth]) + ("" if len(parts) == depth else "/**/*.html")
        if parts[0] != OUTPUT and folder not in folders and BODY in page.read_bytes():
            folders.add(folder)
    return "{" + ",".join(sorted(folders)) + "}" if folders else None


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
        give_way(self.running.pid)  # search catches up; the next save's page comes first


def give_way(pid: int = 0) -> None:
    """Lower a process's (or, with 0, the calling thread's) CPU priority where the system allows:
    the preview's background work must not slow the rebuild of the page an editor is looking at."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid or threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not on this system, or the process has already ended
        pass


def index(site_dir: Path, meanwhile=lambda: None) -> subprocess.CompletedProcess:
    """Pagefind over a built site: one index per page language. `meanwhile` runs while Pagefind
    does (on the other core): if it raises, Pagefind is stopped."""
    process = CHILDREN.start(pagefind_command(str(site_dir), indexed_folders(site_dir)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        try:
            meanwhile()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # its group: Pagefind's binary too
            process.communicate()
            raise
        stdout, stderr = process.communicate()
    finally:
        CHILDREN.forget(process)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
