"""The benchmark runs and prints every figure (on a tiny corpus; its numbers are not judged here)."""
import shutil
import subprocess
import sys

from conftest import ROOT
from kb.tools.bench import ROWS


def test_benchmark_prints_every_figure(tmp_path):
    # A separate process: the benchmark drives its own Chromium, and Playwright's synchronous API
    # cannot start while the browser tests' session already runs in this one.
    result = subprocess.run([sys.executable, "-m", "kb.cli", "--root", str(ROOT), "bench", "--sizes", "5", "--preview",
                             "--keep", str(tmp_path)], capture_output=True, text=True)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("Machine: ")
    for key, label, _ in ROWS:
        if key.startswith("hugo") and shutil.which("hugo") is None:  # the raw-engine row is optional: ./dev does not install Hugo
            continue
        line = next((line for line in out.splitlines() if line.startswith(label)), None)
        assert line is not None, label
        assert line[len(label):].strip() not in ("", "–"), label
    assert (tmp_path / "kb-5" / "site" / "index.html").exists()
