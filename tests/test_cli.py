"""`kb new`: a skeleton with every required field, derived from the schema."""
import json

import pytest

from conftest import ROOT, run_kb
from kb import KINDS
from kb.schemas import Schemas


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_every_required_field_with_comments(kind, kb_copy):
    code, out, _ = run_kb("--root", kb_copy, "new", kind, "brand-new")
    assert code == 0 and f"{KINDS[kind]}/brand-new.yml" in out
    text = (kb_copy / KINDS[kind] / "brand-new.yml").read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/editor/{kind}.schema.json")
    assert (ROOT / "schemas" / "editor" / f"{kind}.schema.json").is_file()  # the modeline leads somewhere
    schema = Schemas(kb_copy / "schemas").root(kind)
    for field in schema["required"]:
        assert f"\n{field}:" in text, field
        assert f"# {schema['properties'][field]['title']}:" in text
    # Unfilled placeholders are reported, each in the new file, none as a YAML or schema-shape problem.
    code, out, _ = run_kb("--root", kb_copy, "validate", "--format", "json")
    issues = json.loads(out)["issues"]
    mine = [i for i in issues if i["file"] == f"{KINDS[kind]}/brand-new.yml"]
    assert code == 1 and mine
    assert {i["code"] for i in mine} <= {"schema.empty", "taxonomy.unknown_term", "schema.format", "schema.enum", "schema.choice",
                                         "practice.no_contact", "practice.no_source_address"}  # reminders, as warnings


def test_filled_in_skeleton_is_valid(kb_copy):
    run_kb("--root", kb_copy, "new", "practice", "filled")
    path = kb_copy / "practices" / "filled.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in [('title:\n  pl: ""', "title:\n  pl: Tytuł"), ('summary:\n  pl: ""', "summary:\n  pl: Opis."),
                     ('actions:\n  pl: ""', "actions:\n  pl: Działania."), ('country: ""', "country: pl"),
                     ("themes: []", "themes: [ngo-cooperation]"), ("target_groups: []", "target_groups: [ngos]"),
                     ('evidence: ""', "evidence: described"), ('- title: ""', "- title: Źródło")]:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_kb("--root", kb_copy, "validate")
    assert code == 0, out


def test_new_refuses_to_overwrite_or_to_take_a_bad_id(kb_copy):
    code, _, err = run_kb("--root", kb_copy, "new", "practice", "ngo-pilot")
    assert code == 1 and "already exists" in err
    code, _, err = run_kb("--root", kb_copy, "new", "practice", "Bad Id")
    assert code == 2 and "not a valid identifier" in err


def test_help_lists_editor_and_developer_commands_apart_with_defaults():
    from kb.cli import parser
    text = parser().format_help()
    editors, developers = text.index("commands for editors:"), text.index("commands for developers:")
    assert editors < developers
    assert all(text.index(f"  {name} ") < developers for name in ("validate", "build", "serve", "new"))
    assert all(text.index(f"  {name} ") > developers for name in ("bench", "search-eval"))
    serve = parser()._subparsers._group_actions[0].choices["serve"].format_help()
    assert "(default: 8000)" in " ".join(serve.split()) and "(default: pl)" in serve


def test_serve_on_a_busy_port_says_so(kb_copy):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run_kb("--root", kb_copy, "serve", "--port", port)
    assert code == 1 and "Traceback" not in err
    assert f"port {port} on 127.0.0.1 is already in use" in err and f"--port {port + 1}" in err


def test_serve_refuses_a_port_out_of_range(kb_copy, capsys):
    import pytest
    from kb.cli import main
    with pytest.raises(SystemExit) as exit:
        main(["--root", str(kb_copy), "serve", "--port", "70000"])
    assert exit.value.code == 2 and "not a port number from 1024 to 65535" in capsys.readouterr().err
