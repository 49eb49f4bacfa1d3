import contextlib
import io
import shutil
from pathlib import Path

import pytest

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
