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
from .report import format_text

WATCHED = [*KINDS.values(), "schemas", str(PAGES), str(ASSETS)]


def refresh(root: Path) -> bool:
    """Validate and re-render into build/docs. On errors, print them and keep the last good pages."""
    started = time.perf_counter()
    checked = check(root)
    if not checked.ok:
        print(format_text(checked.issues), file=sys.stderr, flush=True)
        print("Preview not updated: fix the errors above and save again.", file=sys.stderr, flush=True)
        return False
    changed = write_docs(render(root, checked.kb), root / DOCS_DIR, root / ASSETS)
    print(f"Re-rendered in {time.perf_counter() - started:.2f} s: {len(changed)} page(s) changed.", flush=True)
    return True


class _Debounced(FileSystemEventHandler):
    """Editors save in bursts (temporary file, rename): wait for quiet, then refresh once."""

    def __init__(self, root: Path, delay: float = 0.3):
        self.root, self.delay = root, delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event):
        if event.is_directory or event.src_path.endswith((".tmp", "~", ".swp")):
            return
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, refresh, args=(self.root,))
            self._timer.daemon = True
            self._timer.start()


def serve(root: Path, port: int) -> int:
    if not refresh(root) and not (root / DOCS_DIR).is_dir():
        return 1
    observer = Observer()
    handler = _Debounced(root)
    for name in WATCHED:
        if (root / name).is_dir():
            observer.schedule(handler, str(root / name), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # taxonomy.yml
    observer.start()
    print(f"Previewing on http://127.0.0.1:{port}/ — press Ctrl+C to stop.", flush=True)
    try:
        return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--config-file",
                                str(root / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=mkdocs_env())
    finally:
        observer.stop()
        observer.join(timeout=5)
