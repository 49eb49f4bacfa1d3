"""A build that is stopped, or cannot write, leaves site/ as it was and nothing behind: one
located line, exit 1 (or 130/143 for a signal), never a traceback; MkDocs' and Pagefind's
processes go with it."""
import errno
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURE, make_project, run_kb
from kb import build
from kb.tools.bench import fetch, free_port

PREVIOUS = "previous build"


def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "kb", FIXTURE)
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text(PREVIOUS, encoding="utf-8")
    return root


def assert_nothing_left(root: Path) -> None:
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == PREVIOUS
    staging = root / build.STAGING_DIR
    assert not staging.exists() or not any(staging.iterdir()), list(staging.iterdir())
    assert not [path.name for path in root.iterdir() if path.name.startswith((".site-", ".languages-"))]


def one_line(err: str, code: str) -> str:
    """The last line of the output (the warnings of the fixture come before it) is the located error."""
    assert "Traceback" not in err and "internal error" not in err, err
    line = err.strip().splitlines()[-1]
    assert f": {code}: " in line and "(" in line, err  # file:line:col: code: message (hint)
    return line


# -- processes ---------------------------------------------------------------------------------

def processes() -> dict:
    """pid → (parent pid, command line) of every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z":
                found[int(entry.name)] = (int(fields[1]), command)
    return found


def descendants(pid: int) -> dict:
    table, found, todo = processes(), {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, command) in table.items():
            if ppid == parent and child not in found:
                found[child] = command
                todo.append(child)
    return found


def wait_until(predicate, limit: float = 120.0, step: float = 0.05):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    return None


def kb_process(root: Path, *args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kb.cli", "--root", str(root), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, **options)


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_mkdocs_and_leaves_the_previous_site_and_nothing_else(tmp_path, signum, code):
    root = project(tmp_path)
    (root / ".site-abcd1234").mkdir()  # what an interrupted build of an older version left
    stale = root / build.STAGING_DIR / "site-killed"  # and one of this version (nobody holds its lock)
    stale.mkdir(parents=True)
    (stale / "page.html").write_text("x", encoding="utf-8")
    command = kb_process(root, "build")
    seen: dict = {}
    try:
        mkdocs = wait_until(lambda: {pid: line for pid, line in descendants(command.pid).items() if "mkdocs build" in line})
        assert mkdocs, "MkDocs did not start"
        seen = descendants(command.pid)
        os.kill(command.pid, signum)  # kb alone, not its group: kb must stop its children itself
        out, err = command.communicate(timeout=60)
        assert command.returncode == code, err
        assert err.strip().splitlines()[-1] == f"kb build: stopped by {signal.Signals(signum).name}; site/ was left as it was."
        assert "Traceback" not in err
        alive = processes()
        assert not [pid for pid in seen if pid in alive and alive[pid][1] == seen[pid]], "a child of kb build survived"
        assert_nothing_left(root)
    finally:
        if command.poll() is None:
            command.kill()
        alive = processes()
        for pid in seen:  # only what this test's kb started
            if pid in alive and alive[pid][1] == seen[pid]:
                os.kill(pid, signal.SIGKILL)


def test_sigterm_stops_the_preview_and_its_mkdocs(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    port = free_port()
    command = kb_process(root, "serve", "--port", str(port), "--lang", "en")
    seen: dict = {}
    try:
        assert wait_until(lambda: "</html>" in fetch(f"http://127.0.0.1:{port}/"), limit=120, step=0.5), "the preview did not start"
        seen = descendants(command.pid)
        assert any("mkdocs serve" in line for line in seen.values())
        os.kill(command.pid, signal.SIGTERM)
        out, err = command.communicate(timeout=60)
        assert command.returncode == 143 and err.strip().splitlines()[-1] == "kb serve: stopped by SIGTERM.", err
        alive = processes()
        assert not [pid for pid in seen if pid in alive and alive[pid][1] == seen[pid]]
    finally:
        if command.poll() is None:
            command.kill()
        alive = processes()
        for pid in seen:
            if pid in alive and alive[pid][1] == seen[pid]:
                os.kill(pid, signal.SIGKILL)


def test_only_folders_no_running_build_holds_are_cleared(tmp_path):
    staging = tmp_path / build.STAGING_DIR
    (staging / "site-stale").mkdir(parents=True)
    with build.temporary_folder(tmp_path, "site") as mine:
        build.clear_stale(tmp_path)  # as another build starting meanwhile would
        assert mine.is_dir() and not (staging / "site-stale").exists()
        handle = os.open(mine, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(handle)
    assert not mine.exists()


def test_a_failed_swap_puts_the_previous_site_back(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PREVIOUS, encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        build.swap(tmp_path / "missing", site, tmp_path / "previous")
    assert (site / "index.html").read_text(encoding="utf-8") == PREVIOUS


# -- the disk ----------------------------------------------------------------------------------

def test_a_full_disk_while_writing_the_pages_is_one_line(tmp_path, monkeypatch):
    root = project(tmp_path)

    write_bytes = Path.write_bytes

    def full(self, data):
        if "build/docs/" not in self.as_posix():
            return write_bytes(self, data)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as write() says it: without the file's name

    monkeypatch.setattr(Path, "write_bytes", full)
    code, out, err = run_kb("--root", root, "build")
    assert code == 1
    line = one_line(err, "disk.full")
    assert line.startswith("build/docs/") and "no space left" in line
    assert_nothing_left(root)


def test_a_full_disk_while_pagefind_runs_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    root = project(tmp_path)

    def full(site_dir, root):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(site_dir / "kb-search" / "synonyms.json"))

    monkeypatch.setattr(build.search_words, "write", full)
    code, out, err = run_kb("--root", root, "build")
    assert code == 1
    assert "synonyms.json" in one_line(err, "disk.full")
    assert_nothing_left(root)


FAKE_CHILDREN = {  # what MkDocs or Pagefind may say when they fail, and the line kb gives instead
    "mkdocs-full-disk": ("mkdocs", "raise OSError(28, 'No space left on device', '/nowhere/site/index.html')", "disk.full", "/nowhere/site/index.html"),
    "mkdocs-copy": ("mkdocs", "raise OSError(27, 'File too large', '/a/bundle.js', None, '/nowhere/bundle.js')", "disk.file_size_limit", "/nowhere/bundle.js"),
    "mkdocs-crash": ("mkdocs", "raise RuntimeError('the theme broke')", "disk.mkdocs", "RuntimeError: the theme broke"),
    "pagefind-full-disk": ("pagefind", "import sys; print('Error: Failed to write (os error 28)', file=sys.stderr); sys.exit(1)", "disk.full", "site"),
    "pagefind-sigxfsz": ("pagefind", "import os, signal; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); os.kill(os.getpid(), signal.SIGXFSZ)",
                         "disk.file_size_limit", "site"),
}


@pytest.mark.parametrize("case", FAKE_CHILDREN)
def test_a_child_that_cannot_write_or_crashes_is_one_line(tmp_path, monkeypatch, case):
    which, program, code, named = FAKE_CHILDREN[case]
    root = project(tmp_path)
    fake = lambda *args, **kwargs: [sys.executable, "-c", program]  # noqa: E731
    monkeypatch.setattr(build if which == "mkdocs" else build.search_index,
                        "mkdocs_command" if which == "mkdocs" else "pagefind_command", fake)
    status, out, err = run_kb("--root", root, "build")
    assert status == 1
    assert named in one_line(err, code)
    assert_nothing_left(root)


def test_the_file_size_limit_in_mkdocs_is_one_line(tmp_path):
    """A real MkDocs child over RLIMIT_FSIZE (EFBIG: Python ignores SIGXFSZ): the theme's 1 MB
    source map cannot be written."""
    root = project(tmp_path)
    assert run_kb("--root", root, "build", "--docs-only")[0] == 0  # build/docs as it will be: only MkDocs writes
    limit = 600 * 1024
    command = kb_process(root, "build", preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    out, err = command.communicate(timeout=300)
    assert command.returncode == 1, err
    assert "larger than this process may write" in one_line(err, "disk.file_size_limit")
    assert_nothing_left(root)


def without_file_permission_override() -> list:
    """A command prefix under which permissions apply: root ignores them unless it drops these
    capabilities (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


@pytest.mark.parametrize("read_only, named", [("site", "site"), (".", "site"), ("build", "build")])
def test_an_unwritable_folder_is_one_line_naming_it(tmp_path, read_only, named):
    root = project(tmp_path)
    assert run_kb("--root", root, "build", "--docs-only")[0] == 0
    folders = [root / read_only] + (list((root / read_only).rglob("*")) if read_only == "build" else [])
    folders = [folder for folder in folders if folder.is_dir()]
    for folder in folders:
        folder.chmod(0o555)
    try:
        done = subprocess.run([*without_file_permission_override(), sys.executable, "-m", "kb.cli", "--root", str(root), "build"],
                              capture_output=True, text=True, timeout=300)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert done.returncode == 1, done.stderr
    line = one_line(done.stderr, "disk.permission")
    assert line.startswith(named) and "permission denied" in line
    assert_nothing_left(root)


def test_one_language_killed_fails_the_build(tmp_path, monkeypatch):
    """A MkDocs process killed (the OOM killer) returns a negative code: one of three is a failure."""
    root = project(tmp_path)
    program = "import os, sys\nif sys.argv[1].endswith('uk.yml'): os.kill(os.getpid(), 9)"
    monkeypatch.setattr(build, "mkdocs_command", lambda command, config, *options: [sys.executable, "-c", program, str(config)])
    status, out, err = run_kb("--root", root, "build")
    assert status == 1 and "MkDocs failed" in err and "internal error" not in err
    assert_nothing_left(root)


@pytest.mark.parametrize("link", ["build", "build/docs", "build/docs/en", "build/staging", "build/mkdocs"])
def test_a_symbolic_link_among_the_build_folders_is_refused_and_what_it_points_to_kept(tmp_path, link):
    """kb removes files in its folders under build/ (stale pages, a killed build's folders): a link
    there, which a repository can hold, must not lead it to remove anything elsewhere."""
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "folder").mkdir(parents=True)
    (elsewhere / "precious.txt").write_text("keep me", encoding="utf-8")
    (elsewhere / "folder" / "precious.txt").write_text("keep me too", encoding="utf-8")
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(elsewhere, target_is_directory=True)
    code, out, err = run_kb("--root", root, "build")
    assert code == 1
    assert one_line(err, "disk.link").startswith(f"{link}:1:1: ")
    assert (elsewhere / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert (elsewhere / "folder" / "precious.txt").read_text(encoding="utf-8") == "keep me too"
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == PREVIOUS
