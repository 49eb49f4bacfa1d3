"""`kb serve`: preview on 127.0.0.1. MkDocs' own server rebuilds and reloads the browser when
build/docs changes; we re-render build/docs when a record, the taxonomy, a schema or a
hand-written page changes, writing only the pages whose text changed."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from . import KINDS
from .build import ASSETS, DOCS_DIR, PAGES, check, mkdocs_env, render, write_docs
from .load import ParseCache
from .report import format_text

WATCHED = [*KINDS.values(), "schemas", str(PAGES), str(ASSETS)]


class Previewer:
    """Keeps what the last refresh knew (parsed files, pages written) so a save costs little."""

    def __init__(self, root: Path):
        self.root, self.cache, self.written = root, ParseCache(), None

    def refresh(self) -> bool:
        """Validate and re-render into build/docs. On errors, print them and keep the last good pages."""
        started = time.perf_counter()
        checked = check(self.root, self.cache)
        if not checked.ok:
            print(format_text(checked.issues), file=sys.stderr, flush=True)
            print("Preview not updated: fix the errors above and save again.", file=sys.stderr, flush=True)
            return False
        files = render(self.root, checked.kb)
        changed = write_docs(files, self.root / DOCS_DIR, self.root / ASSETS, self.written)
        self.written = files
        print(f"Re-rendered in {time.perf_counter() - started:.2f} s: {len(changed)} page(s) changed.", flush=True)
        return True


class _Debounced(FileSystemEventHandler):
    """Editors save in bursts (temporary file, rename): wait for quiet, then refresh once."""

    def __init__(self, previewer: Previewer, delay: float = 0.2):
        self.previewer, self.delay = previewer, delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    CHANGES = {"created", "modified", "deleted", "moved", "closed"}  # not "opened"/"closed_no_write": reads

    def on_any_event(self, event):
        if event.event_type not in self.CHANGES or event.is_directory \
                or event.src_path.endswith((".tmp", "~", ".swp", ".pickle")):
            return
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self.previewer.refresh)
            self._timer.daemon = True
            self._timer.start()


def serve(root: Path, port: int) -> int:
    previewer = Previewer(root)
    if not previewer.refresh() and not (root / DOCS_DIR).is_dir():
        return 1
    observer = Observer()
    handler = _Debounced(previewer)
    for name in WATCHED:
        if (root / name).is_dir():
            observer.schedule(handler, str(root / name), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # taxonomy.yml
    observer.start()
    print(f"Previewing on http://127.0.0.1:{port}/ — press Ctrl+C to stop.", flush=True)
    try:
        # --dirty: after an edit, MkDocs rebuilds only the pages whose Markdown changed; it warns
        # about that, so the preview is not strict (`kb build` is).
        return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--no-strict", "--config-file",
                                str(root / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=mkdocs_env())
    finally:
        observer.stop()
        observer.join(timeout=5)
