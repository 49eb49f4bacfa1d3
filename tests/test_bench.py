"""The benchmark runs and prints every figure (on a tiny corpus; its numbers are not judged here)."""
from conftest import ROOT, run_kb
from kb.bench import ROWS


def test_benchmark_prints_every_figure(tmp_path):
    code, out, err = run_kb("--root", ROOT, "bench", "--sizes", "5", "--preview", "--keep", tmp_path)
    assert code == 0, err
    assert out.startswith("Machine: ")
    for _, label, _ in ROWS:
        line = next((line for line in out.splitlines() if line.startswith(label)), None)
        assert line is not None, label
        assert line[len(label):].strip() not in ("", "–"), label
    assert (tmp_path / "kb-5" / "site" / "index.html").exists()
