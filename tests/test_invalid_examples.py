"""One invalid example per kind of mistake (tests/fixtures/invalid): each must produce its issue
code on its line, exit 1, and never a traceback."""
import shutil
from pathlib import Path

import json
import pytest

from conftest import ROOT, run_kb
from kb.load import parse_text

INVALID = ROOT / "tests" / "fixtures" / "invalid"
CASES = parse_text((INVALID / "cases.yml").read_text(encoding="utf-8"), "cases.yml")[0].data


def test_the_fixture_itself_is_valid(kb_copy):
    code, out, _ = run_kb("--root", kb_copy, "validate")
    assert code == 0, out


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_invalid_example(case, kb_copy):
    shutil.copy(INVALID / case["file"], kb_copy / case["into"])
    code, out, err = run_kb("--root", kb_copy, "validate", "--format", "json")
    assert code == 1
    assert "Traceback" not in out + err and err == ""
    errors = [issue for issue in json.loads(out)["issues"] if issue["severity"] == "error"]
    matching = [issue for issue in errors if issue["code"] == case["code"] and issue["file"] == case["into"]]
    assert matching, errors
    assert matching[0]["line"] == case["line"]
    assert matching[0]["message"] and matching[0]["hint"]


def test_all_mistakes_are_reported_in_one_run(kb_copy):
    for case in CASES:
        shutil.copy(INVALID / case["file"], kb_copy / case["into"])
    code, out, _ = run_kb("--root", kb_copy, "validate", "--format", "json")
    found = {(issue["code"], issue["file"], issue["line"]) for issue in json.loads(out)["issues"]}
    assert code == 1
    assert [case["file"] for case in CASES if (case["code"], case["into"], case["line"]) not in found] == []


def test_text_report_format(kb_copy):
    shutil.copy(INVALID / "duplicate-key.yml", kb_copy / "practices" / "duplicate-key.yml")
    code, out, _ = run_kb("--root", kb_copy, "validate")
    first = out.splitlines()[0]
    assert first.startswith("practices/duplicate-key.yml:4:1: yaml.duplicate_key: the field 'lang' appears twice")
    assert first.endswith(")")  # the hint, in brackets
    assert out.splitlines()[-1] == "1 error, 1 warning in 2 files."  # the fixture has one outdated translation


def _symlink_outside(kb, tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text("id: secret\n", encoding="utf-8")
    (kb / "practices" / "linked.yml").symlink_to(secret)
    return "practices/linked.yml"


def _too_large(kb, tmp_path):
    from kb.load import MAX_FILE_BYTES
    (kb / "practices" / "huge.yml").write_text("id: huge\nsummary: " + "a" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    return "practices/huge.yml"


def _folder(kb, tmp_path):
    (kb / "practices" / "drafts").mkdir()
    (kb / "practices" / "drafts" / "x.yml").write_text("id: x\n", encoding="utf-8")
    return "practices/drafts"


def _other_file(kb, tmp_path):
    (kb / "standards" / "notes.txt").write_text("notes", encoding="utf-8")
    return "standards/notes.txt"


# Mistakes that cannot be committed as a file: (make it, expected code, severity)
MADE = {"symlink": (_symlink_outside, "file.symlink", "error"), "too-large": (_too_large, "file.too_large", "error"),
        "folder": (_folder, "file.folder", "warning"), "other-file": (_other_file, "file.ignored", "warning")}


@pytest.mark.parametrize("name", MADE)
def test_files_that_are_not_records(name, kb_copy, tmp_path):
    make, code, severity = MADE[name]
    file = make(kb_copy, tmp_path)
    exit_code, out, err = run_kb("--root", kb_copy, "validate", "--format", "json")
    assert "Traceback" not in out + err and err == ""
    found = [issue for issue in json.loads(out)["issues"] if issue["file"] == file]
    assert [(i["code"], i["severity"], i["line"]) for i in found] == [(code, severity, 1)]
    assert file in found[0]["message"] or code in ("file.symlink", "file.too_large")
    assert exit_code == (1 if severity == "error" else 0)
    if name == "symlink":
        assert "secret" not in out  # the linked file was not read
