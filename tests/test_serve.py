"""`kb serve`: serves on 127.0.0.1 and shows an edited record without a restart.
Polls with a generous limit; how fast it is, is measured by the benchmark, not asserted here."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import FIXTURE, make_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, limit: float = 90.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_preview_refreshes_when_a_record_changes(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kb.cli", "--root", str(root), "serve", "--port", str(port), "--lang", "en"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/standards/quality/"
    try:
        assert wait_for(lambda: "Quality standard" in fetch(url)), "the preview did not start"
        assert "livereload" in fetch(url)  # MkDocs injects the script that reloads the browser
        record = root / "standards" / "quality.yml"
        record.write_text(record.read_text(encoding="utf-8").replace("en: Quality standard", "en: Renamed standard"),
                          encoding="utf-8")
        assert wait_for(lambda: "Renamed standard" in fetch(url)), "the edit did not reach the preview"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
