import contextlib
import io
import shutil
from pathlib import Path

import pytest

from kb import EXCERPTS_DIR, KINDS, SHARED_FILES
from kb.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "kb"


@pytest.fixture
def kb_copy(tmp_path) -> Path:
    """A writable copy of the fixture knowledge base (schemas copied, not linked)."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE, target)
    return target


def run_kb(*args) -> tuple[int, str, str]:
    """Run the `kb` command in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


SITE_FILES = ("mkdocs.yml", "docs", "synonyms.yml")  # what a knowledge base needs besides its records to become a site


def make_project(target: Path, content: Path) -> Path:
    """A knowledge base at `target`: records, shared files, excerpts and schemas from `content`, site setup from the repository."""
    for name in ("schemas", *SHARED_FILES.values(), *KINDS.values(), EXCERPTS_DIR):
        source = content / name
        if source.exists():  # a knowledge base may keep no excerpts
            (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    for name in SITE_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled knowledge base, rendered by `kb build --docs-only` and built by `mkdocs build --strict`."""
    from kb.build import SITE_DIR, run_mkdocs
    root = make_project(tmp_path_factory.mktemp("bundled"), ROOT)
    code, out, err = run_kb("--root", root, "build", "--docs-only")
    assert code == 0, out + err
    result = run_mkdocs(root, root / SITE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session")
def base_url(bundled_site):
    """The bundled site served on 127.0.0.1 for the browser tests."""
    from kb.tools.browser import served
    with served(bundled_site / "site") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from kb.tools.browser import chromium
    with chromium() as instance:
        yield instance


@contextlib.contextmanager
def preview(root: Path, lang: str):
    """`kb serve` on the knowledge base at `root` on a free port, stopped afterwards: yields its base URL."""
    import os
    import signal
    import subprocess
    import sys
    from kb.tools.bench import free_port
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kb.cli", "--root", str(root), "serve", "--port", str(port), "--lang", lang],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def open_tab(context, url: str):
    """A new tab at `url` that notes in `tab.problems` every console error, uncaught exception and
    failed request (Material's language selector used to ask for a missing sitemap.xml on every page)."""
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda message: tab.problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    tab.on("response", lambda response: tab.problems.append(f"{response.status} {response.url}")
           if response.status >= 400 else None)
    tab.goto(url, wait_until="load")
    return tab
