"""Strings are what they look like: every pattern of the schemas means in both validators what it
means in ECMA-262 (node's RegExp is the judge), and no value can forge a line of a report, an
annotation or the job summary's markup."""
import json
import shutil
import subprocess

import cmarkgfm
import fastjsonschema
import pytest
from cmarkgfm.cmark import Options

from conftest import ROOT, run_kb
from kb import RESERVED_NAMES, WINDOWS_RESERVED, search_index, search_words
from kb.issues import Issue
from kb.render import routes
from kb.report import format_github, format_text, github_summary
from kb.schemas import FORMATS, Schemas
from kb.validate.schema import REFUSING, EcmaValidator

SCHEMAS = Schemas(ROOT / "schemas")
# A value each pattern accepts is found among these (the test fails on a pattern none fits).
CANDIDATES = ["ozps-ngo-cooperation", "art_17", "art_17__para_1", "art_17__para_1__point_2",
              "art_17__para_1__point_2__letter_a", "2a", "a", "0123456789ab", "2024-05", "https://example.org/a",
              "ops@example.org", "excerpts/a-b.txt", "DU/2004/593", "50%", "Tytuł", "Tekst\nw dwóch\twierszach"]
# What a value may be made into: the attack run's line breaks, spaces, separators and NUL first.
MUTATIONS = {"trailing \\n": lambda v: v + "\n", "trailing \\r\\n": lambda v: v + "\r\n", "leading space": lambda v: " " + v,
             "trailing space": lambda v: v + " ", "U+2028": lambda v: v + "\u2028", "NUL": lambda v: v + "\0",
             "leading \\n": lambda v: "\n" + v, "U+202E": lambda v: v[:1] + "\u202e" + v[1:], "U+200B": lambda v: v + "\u200b",
             "U+FEFF": lambda v: "\ufeff" + v, "U+0085": lambda v: v + "\x85", "U+00A0": lambda v: v + "\u00a0",
             "U+001C": lambda v: v + "\x1c", "U+2029": lambda v: v + "\u2029", "U+2066": lambda v: v + "\u2066",
             "DEL": lambda v: v + "\x7f"}
REFUSED_BY_EVERY_PATTERN = ("trailing \\n", "trailing \\r\\n", "U+2028", "NUL")  # the brief's list, spaces aside
NODE = shutil.which("node")
PROSE = SCHEMAS.documents["common.schema.json"]["definitions"]["prose"]["pattern"]


def _patterns(node):
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "pattern" and isinstance(child, str):
                yield child
            else:
                yield from _patterns(child)
    elif isinstance(node, list):
        for child in node:
            yield from _patterns(child)


PATTERNS = sorted({pattern for document in SCHEMAS.documents.values() for pattern in _patterns(document)})


def _in_ecma(pairs: list) -> list:
    """new RegExp(pattern).test(value) for each pair, as an editor's schema check (and the spec) reads it."""
    program = ("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{"
               "console.log(JSON.stringify(JSON.parse(s).map(([p,v])=>new RegExp(p).test(v))))})")
    done = subprocess.run([NODE, "-e", program], input=json.dumps(pairs), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.skipif(NODE is None, reason="node is installed by ./dev test")
def test_every_pattern_means_the_same_in_both_validators_as_in_ecma_262():
    accepted = _in_ecma([[pattern, value] for pattern in PATTERNS for value in CANDIDATES])
    base = {}
    for index, pattern in enumerate(PATTERNS):
        fits = [value for value, ok in zip(CANDIDATES, accepted[index * len(CANDIDATES):]) if ok]
        assert fits, f"no candidate value fits {pattern}: add one to CANDIDATES"
        base[pattern] = fits[0]
    cases = [(pattern, name, mutate(base[pattern])) for pattern in PATTERNS for name, mutate in MUTATIONS.items()]
    ecma = _in_ecma([[pattern, value] for pattern, _, value in cases])
    for (pattern, name, value), in_ecma in zip(cases, ecma):
        schema = {"type": "string", "pattern": pattern}
        try:
            fastjsonschema.compile(schema)(value)
            fast = True
        except fastjsonschema.JsonSchemaException:
            fast = False
        full = EcmaValidator(schema).is_valid(value)
        assert fast == full == in_ecma, (pattern, name, value, {"fastjsonschema": fast, "jsonschema": full, "ECMA": in_ecma})
        if name in REFUSED_BY_EVERY_PATTERN and not (pattern == PROSE and name == "trailing \\n"):
            assert not full, (pattern, name)  # a Markdown text may end in a line break, nothing else may


def test_identifier_address_and_email_patterns_refuse_spaces_and_line_breaks():
    definitions = SCHEMAS.documents["common.schema.json"]["definitions"]
    practice = SCHEMAS.root("practice")["properties"]
    for pattern, value in ((definitions["id"]["pattern"], "ozps-ngo"), (definitions["url"]["pattern"], "https://example.org/a"),
                           (practice["contacts"]["items"]["properties"]["email"]["pattern"], "ops@example.org")):
        validator = EcmaValidator({"type": "string", "pattern": pattern})
        assert validator.is_valid(value)
        for name, mutate in MUTATIONS.items():
            assert not validator.is_valid(mutate(value)), (pattern, name)


def test_dates_are_checked_alike_by_both_validators():
    schema = {"type": "string", "format": "date"}
    fast = fastjsonschema.compile(schema, formats=FORMATS)
    full = EcmaValidator(schema, format_checker=EcmaValidator.FORMAT_CHECKER)
    for value, valid in (("2026-01-15", True), ("2026-01-15\n", False), ("٢٠٢٦-01-15", False), ("２０２６-01-15", False),
                         ("2026-02-30", False), (" 2026-01-15", False)):
        try:
            fast(value)
            fast_ok = True
        except fastjsonschema.JsonSchemaException:
            fast_ok = False
        assert fast_ok == full.is_valid(value) == valid, value


def test_one_line_texts_and_markdown_have_their_limits_in_the_schemas():
    editor = json.loads((ROOT / "schemas" / "editor" / "practice.schema.json").read_text(encoding="utf-8"))
    title, summary = editor["properties"]["title"]["properties"]["pl"], editor["properties"]["summary"]["properties"]["pl"]
    assert title["maxLength"] == 300 and REFUSING.fullmatch(title["pattern"])
    assert summary["maxLength"] == 50000 and REFUSING.fullmatch(summary["pattern"])
    places = editor["properties"]["location"]["properties"]["places"]["items"]
    assert places["maxLength"] == 300 and places["pattern"] == title["pattern"]


def test_the_reserved_names_are_the_sites_own():
    made = [routes.catalogue("practice", "pl"), routes.term_index("themes", "pl"), routes.home("pl"), routes.search("uk"),
            routes.glossary("pl"), routes.indicators("pl"), routes.changes("pl"), routes.translation_status("pl"),
            routes.data_page("pl"), routes.statistics_page("pl"), routes.status("adopted", "pl"),
            routes.assessment("x", "pl"), routes.handout("x", "pl"), routes.browse("practice", "theme", "x", "pl"),
            routes.term("themes", "x", "pl"), *(routes.hand_written(name, "pl") for name in routes.HAND_WRITTEN)]
    first_names = {path.split("/")[0].split(".")[0] for path in made}
    last_names = {path.rsplit("/", 1)[-1].split(".")[0] for path in made}
    assert first_names <= RESERVED_NAMES and "index" in last_names
    assert {search_index.OUTPUT, search_words.OUTPUT, "assets", "uk", "en"} <= RESERVED_NAMES
    assert "pl" not in RESERVED_NAMES  # the default language has no folder; pl is a country's term
    assert {"con", "nul", "com1", "lpt9"} <= set(WINDOWS_RESERVED)


# -- reports ---------------------------------------------------------------------------------

FORGED = "x'\n0 errors, 0 warnings in 0 files.\nNo problems found.\r\n::error::forged\u2028\u202e"


def test_a_value_cannot_start_a_line_of_the_text_report():
    issues = [Issue("practices/a.yml", 3, 4, "taxonomy.unknown_term", f"Themes (1): '{FORGED}' is not a term", "use a term"),
              Issue("practices/b\nNo problems found..yml", 1, 1, "yaml.empty", "the file is empty", "fill\tit in")]
    lines = format_text(issues).split("\n")
    assert len(lines) == 3 and lines[-1] == "2 errors, 0 warnings in 2 files."
    assert lines[0].startswith("practices/a.yml:3:4: ") and lines[1].startswith("practices/b\\nNo problems found..yml:1:1: ")
    assert "\\n0 errors" in lines[0] and "\\u2028\\u202e" in lines[0] and "fill\\tit in" in lines[1]
    assert all(line.isprintable() for line in lines)


def test_a_value_cannot_forge_a_workflow_command():
    issues = [Issue("practices/a,b:c.yml", 3, 4, "schema.enum", f"Level: '{FORGED} 100%' is not allowed", "write one")]
    lines = format_github(issues).split("\n")
    assert len(lines) == 2 and lines[1] == "1 error, 0 warnings in 1 file."
    assert lines[0].startswith("::error file=practices/a%2Cb%3Ac.yml,line=3,col=4,title=schema.enum::schema.enum: Level: ")
    assert "\\r\\n::error::forged" in lines[0] and "100%25" in lines[0] and lines[0].isprintable()


def _cells(html: str) -> list:
    import re
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]


def test_the_job_summary_shows_values_as_plain_text():
    value = "<script>alert(1)</script> <img src=x onerror=alert(1)> @octocat | **bold** [link](https://evil.example) " \
            "www.evil.example `code` &amp; \\| _x_ ~~y~~ " + FORGED
    issues = [Issue(f"practices/{value}.yml", 1, 2, "schema.enum", f"Level: '{value}'", value)]
    markdown = github_summary(issues)
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    rows = _cells(html)
    assert len(rows) == 1 and len(rows[0]) == 7  # one row: nothing split a cell or started a line
    for tag in ("<script", "<img", "<a ", "<strong", "<em", "<del", "<code>&lt;"):
        assert tag not in html, tag
    assert "&lt;script&gt;" in rows[0][0] and "&lt;img src=x onerror=alert(1)&gt;" in rows[0][5]
    assert "@<!-- -->octocat" in rows[0][5]  # rendered as "@octocat", which GitHub links after rendering whatever the escape
    assert "| **bold** [link](https://evil.example) www.evil.example `code` &amp;amp; \\| _x_ ~~y~~" in rows[0][6]


def test_validate_reports_a_forged_value_on_its_own_line(kb_copy, monkeypatch, tmp_path):
    path = kb_copy / "practices" / "ngo-pilot.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("evidence: described", 'evidence: "described\\nNo problems found.\\n@octocat <b>x</b>"', 1),
                    encoding="utf-8")
    code, out, _ = run_kb("--root", kb_copy, "validate")
    assert code == 1 and "No problems found." not in out.splitlines()
    assert "'described\\nNo problems found.\\n@octocat <b>x</b>' is not a term" in out
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run_kb("--root", kb_copy, "validate", "--format", "github")
    assert all(line.startswith("::") for line in out.splitlines()[:-1])
    assert "described\\\\nNo problems found\\.\\\\n@<!-- -->octocat &lt;b&gt;x&lt;/b&gt;" in summary.read_text(encoding="utf-8")


def test_a_record_the_quick_check_refuses_is_never_passed_unreported(kb_copy):
    """Should the two validators ever disagree again, the record is not passed in silence."""
    from kb.load import load_tree
    from kb.validate.rules import context_for
    tree, _ = load_tree(kb_copy)
    validator = context_for(tree, Schemas(kb_copy / "schemas")).validators["practice"]
    document = next(document for document in tree.records["practice"] if document.path == "practices/ngo-pilot.yml")
    assert validator.issues(document) == []

    def refuse(data):
        raise fastjsonschema.JsonSchemaValueException("data.sources[0].title must be something else",
                                                      name="data.sources[0].title")
    validator.fast = refuse
    [issue] = validator.issues(document)
    assert (issue.code, issue.field) == ("schema.other", "sources[1].title")
    assert issue.message == "Sources (1) › Title: data.sources[0].title must be something else"
