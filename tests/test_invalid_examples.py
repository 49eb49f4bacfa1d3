"""One invalid example per kind of mistake (tests/fixtures/invalid): each must produce its issue
code on its line, exit 1, and never a traceback."""
import os
import shutil

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
    """Every example at once; examples that replace the same file (taxonomy.yml) take turns."""
    missed, rounds = [], [[]]
    for case in CASES:
        turn = next((cases for cases in rounds if case["into"] not in {other["into"] for other in cases}), None)
        if turn is None:
            turn = []
            rounds.append(turn)
        turn.append(case)
    for cases in rounds:
        for case in cases:
            shutil.copy(INVALID / case["file"], kb_copy / case["into"])
        code, out, _ = run_kb("--root", kb_copy, "validate", "--format", "json")
        found = {(issue["code"], issue["file"], issue["line"]) for issue in json.loads(out)["issues"]}
        assert code == 1
        missed += [case["file"] for case in cases if (case["code"], case["into"], case["line"]) not in found]
    assert missed == []


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


def _pipe(kb, tmp_path):
    os.mkfifo(kb / "practices" / "pipe.yml")  # reading it would wait forever
    return "practices/pipe.yml"


# Mistakes that cannot be committed as a file: (make it, expected code, severity)
MADE = {"symlink": (_symlink_outside, "file.symlink", "error"), "too-large": (_too_large, "file.too_large", "error"),
        "folder": (_folder, "file.folder", "warning"), "other-file": (_other_file, "file.ignored", "warning"),
        "pipe": (_pipe, "file.special", "error")}


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


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


def _replace(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


STRANGE = [None, "", " ", 0, -1, 1.5, True, [], {}, ["x"], {"ru": "x"}, {"pl": None}, {"en": "x"}, {"uk": "x"}, "<b>x</b>", "art_999",
           "[a](java&#x09;script:x)", {"x": {"y": [1, {"z": None}]}}, "2024-13-45", "ru", [None], [[]], {"pl": ["x"]}]


def test_a_missing_or_broken_hand_written_page_is_named(kb_copy):
    (kb_copy / "docs/pages/about.pl.md").unlink()
    with open(kb_copy / "docs/pages/about.en.md", "a", encoding="utf-8") as page:
        page.write("\n\nSee {{ like this, and {% this %}\n")  # not placeholders: shown as written
    with open(kb_copy / "docs/pages/about.uk.md", "a", encoding="utf-8") as page:
        page.write("\n\nText {{ field_reference.nothing }} and {{ lang }}\n")
    lines = (kb_copy / "docs/pages/about.uk.md").read_text(encoding="utf-8").count("\n")
    for command in ("validate", "build"):
        code, out, err = run_kb("--root", kb_copy, command)
        assert code == 1 and "internal error" not in err and "Traceback" not in out + err
        assert "docs/pages/about.pl.md:1:1: file.missing: docs/pages/about.pl.md is missing" in out
        assert "docs/pages/about.en.md" not in out
        assert f"docs/pages/about.uk.md:{lines}:6: page.placeholder: {{{{ field_reference.nothing }}}} is not a placeholder" in out
        assert f"docs/pages/about.uk.md:{lines}:40: page.placeholder: {{{{ lang }}}}" in out


def test_structural_mutations_never_crash_validate_or_build(tmp_path):
    """Any value anywhere replaced by a value of another shape: validation answers with issues,
    and what passes validation renders."""
    import random
    from conftest import FIXTURE, make_project
    kb_copy = make_project(tmp_path / "kb", FIXTURE)
    rng = random.Random(8)
    files = sorted(p for p in kb_copy.glob("*/*.yml")) + [kb_copy / "taxonomy.yml"]
    originals = {path: parse_text(path.read_text(encoding="utf-8"), path.name)[0].data for path in files}
    for round_ in range(60):
        path = rng.choice(files)
        data = originals[path]
        for _ in range(rng.randint(1, 3)):
            data = _replace(data, rng.choice(list(_paths(data))), rng.choice(STRANGE))
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        code, out, err = run_kb("--root", kb_copy, "build", "--docs-only")
        assert code in (0, 1) and "internal error" not in err and "Traceback" not in out + err, (path.name, data, err)
        path.write_text(json.dumps(originals[path], ensure_ascii=False), encoding="utf-8")
