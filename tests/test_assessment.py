"""The rule of a standard: kb.assessment's evaluator on edge cases, its checks of a rule as
written, and the page script's mirror (docs/assets/kb-assess.js, run in Node) giving the very
same results and words on the same cases."""
import json
import random
import shutil
import subprocess

import pytest

from conftest import ROOT
from test_address import KB_IN_NODE
from kb import assessment
from kb.render import labels

SCRIPT = ROOT / "docs" / "assets" / "kb-assess.js"


def criteria(mandatory: int, extended: int, areas=("access", "staff")) -> list:
    made = [{"id": f"m{n}", "level": "mandatory", "area": areas[n % len(areas)]} for n in range(1, mandatory + 1)]
    return made + [{"id": f"e{n}", "level": "extended", "area": areas[n % len(areas)]} for n in range(1, extended + 1)]


RULE = {"require": [{"level": "mandatory", "at_least": "all"}, {"level": "extended", "at_least": "50%"}]}
FIVE_SEVEN = criteria(5, 7)


def answers(met=(), not_met=(), na=()) -> dict:
    return {**dict.fromkeys(met, "met"), **dict.fromkeys(not_met, "not-met"), **dict.fromkeys(na, "na")}


def everything(value: str, of=FIVE_SEVEN) -> dict:
    return {criterion["id"]: value for criterion in of}


def test_all_met():
    result = assessment.evaluate(RULE, FIVE_SEVEN, everything("met"))
    assert result["verdict"] == "met"
    assert [(c["met"], c["needed"]) for c in result["conditions"]] == [(5, 5), (7, 4)]


def test_one_mandatory_missing_fails_whatever_the_rest():
    given = {**everything("met"), "m3": "not-met"}
    assert assessment.evaluate(RULE, FIVE_SEVEN, given)["verdict"] == "not-met"
    given = {"m3": "not-met"}  # only that answered: already certain
    result = assessment.evaluate(RULE, FIVE_SEVEN, given)
    assert result["verdict"] == "not-met" and result["unanswered"] == 11


def test_extended_exactly_at_the_threshold():
    mandatory = [f"m{n}" for n in range(1, 6)]
    at = answers(met=mandatory + ["e1", "e2", "e3", "e4"], not_met=["e5", "e6", "e7"])  # 4 of 7: ceil(3.5)
    below = answers(met=mandatory + ["e1", "e2", "e3"], not_met=["e4", "e5", "e6", "e7"])
    assert assessment.evaluate(RULE, FIVE_SEVEN, at)["verdict"] == "met"
    assert assessment.evaluate(RULE, FIVE_SEVEN, below)["verdict"] == "not-met"
    count_rule = {"require": [{"level": "extended", "at_least": 3}]}
    assert assessment.evaluate(count_rule, FIVE_SEVEN, {**everything("not-met"), "e1": "met", "e2": "met", "e3": "met"})["verdict"] == "met"
    assert assessment.evaluate(count_rule, FIVE_SEVEN, {**everything("not-met"), "e1": "met", "e2": "met"})["verdict"] == "not-met"


def test_not_applicable_leaves_the_pool_of_all_and_percent_but_not_of_a_count():
    mandatory = [f"m{n}" for n in range(1, 6)]
    given = answers(met=mandatory[:4] + ["e1", "e2"], na=[mandatory[4], "e3", "e4", "e5"], not_met=["e6", "e7"])
    result = assessment.evaluate(RULE, FIVE_SEVEN, given)
    assert [(c["applicable"], c["needed"]) for c in result["conditions"]] == [(4, 4), (4, 2)]
    assert result["verdict"] == "met"
    count_rule = {"require": [{"level": "extended", "at_least": 3}]}
    assert assessment.evaluate(count_rule, FIVE_SEVEN, {**given, "e6": "met"})["verdict"] == "met"
    assert assessment.evaluate(count_rule, FIVE_SEVEN, given)["verdict"] == "not-met"


def test_everything_not_applicable():
    assert assessment.evaluate(RULE, FIVE_SEVEN, everything("na"))["verdict"] == "not-applicable"


def test_a_criterion_added_after_the_answers_were_saved_is_unanswered():
    saved = everything("met")
    grown = FIVE_SEVEN + [{"id": "m9", "level": "mandatory", "area": "staff"}]
    result = assessment.evaluate(RULE, grown, saved)
    assert result["verdict"] == "incomplete" and result["unanswered"] == 1


def test_garbage_answers_count_as_unanswered():
    result = assessment.evaluate(RULE, FIVE_SEVEN, {"m1": "yes", "m2": None, "m3": 7, "nope": "met"})
    assert result["unanswered"] == 12 and result["verdict"] == "incomplete"


def test_conditions_by_area_and_by_identifiers():
    rule = {"require": [{"area": "staff", "at_least": 1}, {"criteria": ["m1", "e2"], "at_least": "all"}]}
    given = {**everything("not-met"), "m1": "met", "e2": "met"}
    assert [c["selected"] for c in assessment.evaluate(rule, FIVE_SEVEN, given)["conditions"]] == [7, 2]  # odd numbers are staff
    assert assessment.evaluate(rule, FIVE_SEVEN, given)["verdict"] == "met"
    given["m1"] = "not-met"  # now no staff criterion is met, and m1 is listed
    assert assessment.evaluate(rule, FIVE_SEVEN, given)["verdict"] == "not-met"


@pytest.mark.parametrize("rule, code", [
    ({"require": [{"criteria": ["m1", "m99"], "at_least": "all"}]}, "standard.rule_unknown_criterion"),
    ({"require": [{"area": "health", "at_least": 1}]}, "standard.rule_unused_area"),
    ({"require": [{"level": "extended", "at_least": 8}]}, "standard.rule_unreachable"),
    ({"require": [{"level": "extended", "area": "access", "at_least": 1}]}, None),
    ({"require": [{"level": "extended", "criteria": ["e1"], "at_least": 1}]}, "standard.rule_mixed_selection"),
])
def test_problems_of_a_rule_as_written(rule, code):
    found = assessment.problems(rule, FIVE_SEVEN)
    assert [problem[1] for problem in found] == ([code] if code else [])


def test_a_condition_that_selects_nothing():
    only_mandatory = criteria(3, 0)
    found = assessment.problems({"require": [{"level": "extended", "at_least": "all"}]}, only_mandatory)
    assert [problem[1] for problem in found] == ["standard.rule_selects_nothing"]


# -- the page script gives the same results -------------------------------------------------

def random_cases(count: int) -> list:
    rng = random.Random(2026)
    cases = []
    for _ in range(count):
        pool = criteria(rng.randint(0, 6), rng.randint(0, 8), rng.choice([("access",), ("access", "staff", "health")]))
        if not pool:
            continue
        conditions = []
        for _ in range(rng.randint(1, 3)):
            condition = {"at_least": rng.choice(["all", 1, 2, 3, "1%", "50%", "67%", "100%"])}
            if rng.random() < 0.6:
                condition["level"] = rng.choice(["mandatory", "extended"])
            if rng.random() < 0.3:
                condition["area"] = rng.choice(["access", "staff"])
            if rng.random() < 0.2:
                condition["criteria"] = rng.sample([c["id"] for c in pool], rng.randint(1, len(pool)))
            conditions.append(condition)
        given = {c["id"]: rng.choice(["met", "not-met", "na", None, "yes"]) for c in pool if rng.random() < 0.85}
        given = {key: value for key, value in given.items() if value is not None}
        cases.append({"rule": {"require": conditions}, "criteria": pool, "answers": given})
    return cases


EDGE_CASES = [
    {"rule": RULE, "criteria": FIVE_SEVEN, "answers": everything("met")},
    {"rule": RULE, "criteria": FIVE_SEVEN, "answers": {**everything("met"), "m2": "not-met"}},
    {"rule": RULE, "criteria": FIVE_SEVEN, "answers": everything("na")},
    {"rule": RULE, "criteria": FIVE_SEVEN, "answers": {}},
    {"rule": RULE, "criteria": FIVE_SEVEN, "answers": {"constructor": "met", "__proto__": "met", "toString": "na"}},
    {"rule": RULE, "criteria": [{"id": "constructor", "level": "mandatory", "area": "access"}], "answers": {}},
    # the shape the page receives: the schema's completed data, absent keys as null and []
    {"rule": {"require": [{"level": "mandatory", "area": None, "criteria": [], "at_least": "all"},
                          {"level": None, "area": "staff", "criteria": [], "at_least": 2},
                          {"level": None, "area": None, "criteria": ["e1", "m2"], "at_least": "50%"}]},
     "criteria": FIVE_SEVEN, "answers": {**everything("met"), "e1": "not-met", "m3": "na"}},
]


def _in_node(cases: list, texts: dict, selections: list) -> list:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: the README's test command installs it (npm)")
    program = f"""
const assess = require({json.dumps(str(SCRIPT))});
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.cases.map(c => {{
  const result = assess.evaluate(c.rule, c.criteria, c.answers);
  return {{result: result, words: assess.describe(result, c.rule.require.map((_, i) => 'S' + i), input.texts)}};
}});
process.stdout.write(JSON.stringify(out));
"""
    done = subprocess.run([node, "-e", program], input=json.dumps({"cases": cases, "texts": texts}),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("lang", ["pl", "uk", "en"])
def test_the_page_script_mirrors_the_evaluator_exactly(lang):
    cases = EDGE_CASES + random_cases(400)
    texts = {key: labels.text(("assess", key), lang) for key in
             ("verdict_met", "verdict_not-met", "verdict_incomplete", "verdict_not-applicable", "reason",
              "reason_na", "reason_unanswered", "holds", "fails", "open")}
    from_node = _in_node(cases, texts, [])
    assert len(from_node) == len(cases)
    verdicts = set()
    for case, mirrored in zip(cases, from_node):
        # JSON has no None answers: what the script received is what Python evaluates
        result = assessment.evaluate(case["rule"], case["criteria"], case["answers"])
        selections = [f"S{i}" for i in range(len(case["rule"]["require"]))]
        assert mirrored["result"] == result, case
        assert mirrored["words"] == assessment.describe(result, selections, texts), case
        verdicts.add(result["verdict"])
    assert verdicts == set(assessment.VERDICTS)  # the cases reach every verdict


def test_the_script_reads_any_address_without_failing():
    program = KB_IN_NODE + f"""
const assess = require({json.dumps(str(SCRIPT))});
const ids = ['a', 'b', 'constructor'];
const inputs = ['', '=', '&&&', 'met=', 'met=a,,b,zz', 'na=%E0%A4%A', 'note.a=%', 'date=2026-02-31', 'met=a&not-met=a',
                'constructor=met', '__proto__=x', 'note.constructor=hi', 'institution=' + 'x'.repeat(5000), '%%%=%%%',
                'date=2028-02-29', 'utm_source=newsletter'];
const fields = ['institution', 'assessor', 'date'], limits = {{note: 2000, field: 300}};
const out = inputs.map(text => assess.readState(kb.params(text), ids, fields, limits));
const back = assess.readState(kb.params(assess.writeState(out[4], ids, fields)), ids, fields, limits);
process.stdout.write(JSON.stringify({{out: out, back: back}}));
"""
    done = subprocess.run([shutil.which("node"), "-e", program], capture_output=True, text=True, check=True)
    read = json.loads(done.stdout)
    assert done.stderr == ""
    assert read["out"][4]["answers"] == {"a": "met", "b": "met"}  # the unknown zz is ignored
    assert read["out"][8]["answers"] == {"a": "met"}  # listed twice: the first answer counts
    assert read["out"][7]["fields"] == {}  # not a day of the calendar
    assert read["out"][14]["fields"] == {"date": "2028-02-29"}  # a leap day is
    assert read["out"][11]["notes"] == {"constructor": "hi"}
    assert len(read["out"][12]["fields"]["institution"]) == 300
    assert read["back"] == read["out"][4]


def test_bundled_standards_have_a_rule_areas_evidence_and_a_practice_per_area():
    from kb.load import load_tree
    from kb.model import build_model
    from kb.schemas import Schemas
    tree, _ = load_tree(ROOT)
    kb = build_model(tree, Schemas(ROOT / "schemas"))
    assert len(kb.records["standard"]) >= 2
    for standard in kb.records["standard"].values():
        assert standard.rule["require"] and assessment.problems(standard.rule, standard.data["criteria"]) == []
        assert all(criterion.evidence for criterion in standard.criteria), standard.id
        uncited = [area for area, criteria in standard.areas()
                   if not any(criterion.practices for criterion in criteria)]
        assert uncited == [], f"{standard.id}: no practice cites a criterion in {uncited}"


def test_every_id_of_a_standards_pages_is_a_criterion_or_reserved():
    """The anchors validation keeps criteria from taking are all the pages use for themselves."""
    import re as regex
    from conftest import FIXTURE
    from kb import PAGE_ANCHOR_PREFIXES, PAGE_ANCHOR_SUFFIXES, PAGE_ANCHORS
    from kb.load import load_tree
    from kb.model import build_model
    from kb.render import render_site
    from kb.schemas import Schemas
    schemas = Schemas(FIXTURE / "schemas")
    kb = build_model(load_tree(FIXTURE)[0], schemas)
    files = render_site(kb, schemas, None)
    criteria = {criterion.id for standard in kb.records["standard"].values() for criterion in standard.criteria}
    for path, text in files.items():
        if path.startswith(("standards/quality.", "self-assessment/quality.")):
            ids = set(regex.findall(r'\{#([\w-]+)\}', text)) | set(regex.findall(r'\bid="([\w-]+)"', text))
            own = {name for name in ids - criteria if not (name in PAGE_ANCHORS or name.startswith(PAGE_ANCHOR_PREFIXES)
                                                          or name.endswith(PAGE_ANCHOR_SUFFIXES))}
            assert own == set(), path
