"""`kb serve`: preview on 127.0.0.1 in one language, refreshed when a record changes.

A full multilingual build (`kb build`) takes MkDocs a while. The preview therefore renders one
language, its pages at the root, and runs MkDocs' own server on it with incremental (--dirty)
rebuilds: after a save we re-render, write only the pages whose text changed, and MkDocs
rebuilds just those and reloads the browser."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from . import KINDS, LANGUAGES, PACKAGE_DIR, messages, pausing_gc
from .build import (ASSETS, CACHE_FILE, check, language_config, language_layout, mkdocs_command, mkdocs_env, with_assets,
                    write_config, write_docs)
from .load import ParseCache
from .processes import CHILDREN
from .render import Renderer, labels, routes
from .report import format_text
from .search_index import give_way
from .schemas import Schemas
from .site import Site

PREVIEW_DIR = Path("build/preview")
PREVIEW_SCRIPT = "assets/kb-preview.js"  # shows the last save's errors on the page (preview only)
PREVIEW_STATUS = "kb-preview.json"  # what the script reads: the errors, worded for the page's language
PREVIEW_TEXTS = ("errors_title", "errors_hint")  # labels.yml: preview.*
# MkDocs' lines that say nothing to an editor on each save (the dirty-build warning is about
# MkDocs' own navigation, which the preview does not use).
MKDOCS_NOISE = re.compile(r"A 'dirty' build is being performed|Building documentation\.\.\.|Detected file changes"
                          r"|Watching paths for changes|Documentation built in"
                          r"|Pagefind doesn't support stemming|Search will still work, but will not match")
WATCHED = [*KINDS.values(), "schemas", str(routes.PAGES_DIR), str(ASSETS)]


def preview_config(root: Path, lang: str) -> Path:
    """mkdocs.yml for a one-language preview: the language's own settings, its pages at the root."""
    folder = root / PREVIEW_DIR / lang
    config = language_config(root, lang, folder / "docs", folder / "site", prefix="")
    # The switcher stays: this language here, the others on the published site (kb.js adds the
    # page's path and anchor to their addresses).
    site = Site.load(root)
    for alternate in config["extra"]["alternate"]:
        alternate["link"] = "/" if alternate["lang"] == lang else site.url + routes.URL_PREFIX[alternate["lang"]]
    config["strict"] = False  # --dirty rebuilds warn that navigation may be inaccurate
    # Records are reached from the catalogues, not the nav: MkDocs' list of them on every save buried
    # the validator's output.
    config["validation"] = {**(config.get("validation") or {}), "omitted_files": "ignore"}
    config["extra_javascript"] = [*config.get("extra_javascript", []), PREVIEW_SCRIPT]
    return write_config(config, folder / "mkdocs.yml")


class Previewer:
    """Keeps what the last refresh knew (parsed files, records, pages) so a save costs little:
    when only record files changed, just those records and their neighbours are rendered and
    written, so that MkDocs shows the edited page at once, and then the pages that list records
    (home, catalogues, pages per facet value, open data, statistics …)."""

    def __init__(self, root: Path, lang: str):
        # The parse cache that kb build keeps: a preview of a built knowledge base parses nothing at start.
        self.root, self.lang, self.cache, self.memo = root, lang, ParseCache(root / CACHE_FILE, read_only=True), {}
        self.docs = root / PREVIEW_DIR / lang / "docs"
        self.written: dict | None = None  # page path → text, as last written
        self.digests: dict = {}  # (kind, id) → digest of the record file last rendered
        self.lock = threading.Lock()  # a save's refresh (in a timer's thread) may come while another runs

    def refresh(self, only_records_changed: bool = False, jobs: int = 1, between=None) -> bool:
        """Validate and re-render. On errors, print them and keep the last good pages. `jobs`:
        worker processes for the record pages (forked: only before the file watcher's thread runs).
        `between` is called once the first step's pages are written (serve starts MkDocs then); what
        it returns, if anything, is called before each later step is written (to wait for MkDocs'
        watcher: pages written before it looks are never rebuilt)."""
        with self.lock:
            return self._refresh(only_records_changed, jobs, between or (lambda: None))

    @pausing_gc
    def _refresh(self, only_records_changed: bool, jobs: int, between) -> bool:
        started = time.perf_counter()
        checked = check(self.root, self.cache, self.memo)
        if not checked.ok:
            print(format_text(checked.issues), file=sys.stderr, flush=True)
            print("Preview not updated: fix the errors above and save again.", file=sys.stderr, flush=True)
            self.show_status([issue for issue in checked.issues if issue.severity == "error"])
            return False
        kb = checked.kb
        renderer = Renderer(kb, Schemas.load(self.root / "schemas"), self.root / routes.PAGES_DIR, (self.lang,), Site.load(self.root))
        digests = {(record.kind, record.id): record.digest for record in kb.all_records()}
        if only_records_changed and self.written is not None and set(digests) == set(self.digests):
            changed = [kb.get(*key) for key, digest in digests.items() if self.digests[key] != digest]
            affected = {(r.kind, r.id): r for record in changed for r in [record, *kb.neighbours(record)]}
            steps, everything = renderer.changed(list(affected.values())), False  # the edited pages first
        else:  # the pages that other pages lead to first
            steps, everything = renderer.in_two_steps(jobs), True
        self.digests = digests
        files, produced, before_writing = dict(self.written or {}), {}, None  # pages not made again stay until the end
        for number, step in enumerate(steps):
            made = language_layout(with_assets(step, self.root / ASSETS) if everything and number == 0 else step, self.lang, prefix="")
            if before_writing:
                before_writing()
            files.update(made)
            produced.update(made)
            written = write_docs(files, self.docs, self.written)
            self.written = dict(files)
            self.show_status([])
            print(f"Re-rendered in {time.perf_counter() - started:.2f} s: {len(written)} page(s) changed.", flush=True)
            if number == 0:
                before_writing = between()
        if everything and set(files) - set(produced):  # pages of records or files gone since
            write_docs(produced, self.docs, self.written)
            self.written = produced
        return True


    def show_status(self, errors: list) -> None:
        """Tell the previewed pages whether the last save failed, with its errors: the script
        shows them over the page, and MkDocs reloads the browser because the file changed."""
        status = {"ok": not errors, "lang": self.lang, "issues_lang": "en",
                  "title": labels.text(("preview", "errors_title"), self.lang),
                  "hint": labels.text(("preview", "errors_hint"), self.lang),
                  "issues": format_text(errors).splitlines()[:-1]}
        for relative, content in ((PREVIEW_STATUS, json.dumps(status, ensure_ascii=False, indent=1)),
                                  (PREVIEW_SCRIPT, (PACKAGE_DIR / "preview.js").read_text(encoding="utf-8"))):
            target = self.docs / relative
            if not target.is_file() or target.read_text(encoding="utf-8") != content:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")


class _Debounced(FileSystemEventHandler):
    """Editors save in bursts (temporary file, rename): wait for quiet, then refresh once,
    saying whether only record files were touched."""

    CHANGES = {"created", "modified", "deleted", "moved", "closed"}  # not "opened"/"closed_no_write": reads

    def __init__(self, previewer: Previewer, delay: float = 0.2):
        self.previewer, self.delay = previewer, delay
        self.record_folders = {str((previewer.root / folder).resolve()) for folder in KINDS.values()}
        self._timer: threading.Timer | None = None
        self._paths: set = set()
        self._lock = threading.Lock()

    def on_any_event(self, event):
        if event.event_type not in self.CHANGES or event.is_directory \
                or event.src_path.endswith((".tmp", "~", ".swp")):
            return
        self.touched({Path(event.src_path)})

    def touched(self, files: set) -> None:
        with self._lock:
            self._paths |= {str(file.resolve().parent) for file in files}
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self):
        with self._lock:
            paths, self._paths = self._paths, set()
        # Once the edited pages are written, the rest of the work (the pages that list records)
        # gives way to MkDocs rebuilding them; this thread ends with the refresh.
        try:
            self.previewer.refresh(only_records_changed=paths <= self.record_folders, between=give_way)
        except OSError as error:  # a full disk, a folder that cannot be written: one line, and the preview goes on
            print(format_text([messages.disk_issue(error, self.previewer.root)]).splitlines()[0], file=sys.stderr, flush=True)


def saved_since(root: Path, moment: float) -> set:
    """The watched files saved since `moment`: the preview serves its first pages before its
    watcher runs (the render workers are forked first), and a save in between must not be lost."""
    folders = [root / name for name in WATCHED if (root / name).is_dir()]
    files = [file for folder in folders for file in folder.rglob("*")] + list(root.glob("*.yml"))
    return {file for file in files if file.is_file() and file.stat().st_mtime >= moment}


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a port just freed is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def serve(root: Path, port: int, lang: str) -> int:
    previewer = Previewer(root, lang)
    config = preview_config(root, lang)
    servers: list = []

    def start_server():
        """MkDocs starts on the first pages while this process makes the rest (the sitemap, the
        handouts, the pages per facet value …); they are written once its watcher looks."""
        # --dirty: after an edit, MkDocs rebuilds only the pages whose Markdown changed.
        server = CHILDREN.start(mkdocs_command("serve", config, "--livereload", "--dirty", "--dev-addr", f"127.0.0.1:{port}"),
                                cwd=root, env=mkdocs_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        servers.append(server)
        threading.Thread(target=_relay, args=(server,), daemon=True).start()
        return lambda: _wait_until_serving(server, port)

    began = time.time()
    if not previewer.refresh(jobs=os.cpu_count() or 1, between=start_server) and not previewer.docs.is_dir():
        return 1
    if not servers:  # errors: the last good pages are served
        start_server()
    server = servers[0]
    observer = Observer()
    handler = _Debounced(previewer)
    for name in WATCHED:
        if (root / name).is_dir():
            observer.schedule(handler, str(root / name), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # taxonomy.yml
    observer.start()
    if saved := saved_since(root, began):
        handler.touched(saved)
    others = "|".join(other for other in LANGUAGES if other != lang)
    print(f"Previewing the {lang} pages on http://127.0.0.1:{port}/ (other languages: kb serve --lang {others}; "
          "the full multilingual site: kb build) — press Ctrl+C to stop.", flush=True)
    try:
        return server.wait()
    finally:  # MkDocs' group goes too: the search index it was rebuilding in the background
        CHILDREN.stop()
        CHILDREN.wait()
        observer.stop()
        observer.join(timeout=5)


def _relay(server: subprocess.Popen) -> None:
    """MkDocs' output, without the lines that say nothing to an editor (read from the start, so
    that MkDocs never waits on a full pipe)."""
    for line in server.stdout:
        if not MKDOCS_NOISE.search(line):
            sys.stdout.write(line)
            sys.stdout.flush()


def _wait_until_serving(server: subprocess.Popen, port: int, limit: float = 600) -> None:
    """Until MkDocs answers, which it does once its first build is done and its watcher runs (it
    starts the watcher, then the server; a moment more for the watcher's first look)."""
    deadline = time.monotonic() + limit
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"HEAD / HTTP/1.0\r\n\r\n")
                if connection.recv(16):
                    time.sleep(1)
                    return
        except OSError:
            pass
        time.sleep(0.2)
