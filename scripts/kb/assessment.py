"""The rule of a service standard, evaluated: the one place that says when a standard is met.

The self-assessment page's script (docs/assets/kb-assess.js) mirrors `evaluate` line for line;
tests/test_assessment.py runs the same cases through both and compares the results.

A rule is a list of conditions. Each selects criteria (by level, area, an explicit list, or
all of them when it names none) and asks that at least so many of them be met: `all` of those
that apply, a count, or a percentage of those that apply (rounded up). A criterion answered
"not applicable" leaves the condition's pool; a count is absolute, so it never shrinks.
"""
from __future__ import annotations

ANSWERS = ("met", "not-met", "na")  # an absent answer is "unanswered"
VERDICTS = ("met", "not-met", "incomplete", "not-applicable")


def selects(condition: dict, criterion: dict) -> bool:
    """Whether a condition of the rule counts this criterion."""
    return (condition.get("level") in (None, criterion["level"])
            and condition.get("area") in (None, criterion["area"])
            and (not condition.get("criteria") or criterion["id"] in condition["criteria"]))


def needed(at_least, applicable: int) -> int:
    """How many met criteria a condition asks for, given how many of its criteria apply."""
    if at_least == "all":
        return applicable
    if isinstance(at_least, str):  # "50%": of those that apply, rounded up
        return (int(at_least[:-1]) * applicable + 99) // 100
    return at_least


def evaluate(rule: dict, criteria: list, answers: dict) -> dict:
    """The verdict for a set of answers (criterion id → met / not-met / na; anything else, or
    no entry, is unanswered), with each condition's counts for the reason in words."""
    conditions = []
    for condition in rule["require"]:
        counts = {"selected": 0, "met": 0, "not-met": 0, "na": 0, "unanswered": 0}
        for criterion in criteria:
            if selects(condition, criterion):
                answer = answers.get(criterion["id"])
                counts["selected"] += 1
                counts[answer if answer in ANSWERS else "unanswered"] += 1
        applicable = counts["selected"] - counts["na"]
        counts.update(applicable=applicable, needed=needed(condition["at_least"], applicable))
        counts["passed"] = counts["met"] >= counts["needed"]
        # Could it still pass if every unanswered criterion were met? (Being met never lowers a
        # condition's chances below not applicable, so this is the best case.)
        counts["possible"] = counts["met"] + counts["unanswered"] >= counts["needed"]
        conditions.append(counts)
    given = [answers.get(criterion["id"]) for criterion in criteria]
    unanswered = sum(answer not in ANSWERS for answer in given)
    if unanswered == 0 and all(answer == "na" for answer in given):
        verdict = "not-applicable"
    elif not all(condition["possible"] for condition in conditions):
        verdict = "not-met"  # already certain, whatever the remaining answers
    elif unanswered:
        verdict = "incomplete"
    else:
        verdict = "met" if all(condition["passed"] for condition in conditions) else "not-met"
    return {"verdict": verdict, "unanswered": unanswered, "total": len(criteria), "conditions": conditions}


def problems(rule: dict, criteria: list) -> list:
    """What is wrong with a rule as written: [(path inside the rule, code, values)]. Names a
    criterion or area the standard does not have, mixes a list of criteria with a level or area,
    selects nothing, or cannot be met. A condition given as None (malformed: the schema's to
    report) is skipped."""
    found = []
    ids = [criterion["id"] for criterion in criteria]
    areas = {criterion["area"] for criterion in criteria}
    for position, condition in enumerate(rule["require"]):
        if condition is None:
            continue
        where = ("require", position)
        if condition.get("criteria") and (condition.get("level") or condition.get("area")):
            found.append((where + ("criteria",), "standard.rule_mixed_selection", {}))
            continue
        unknown = [(index, name) for index, name in enumerate(condition.get("criteria") or []) if name not in ids]
        for index, name in unknown:
            found.append((where + ("criteria", index), "standard.rule_unknown_criterion", {"value": name, "choices": ids}))
        if condition.get("area") is not None and condition["area"] not in areas:
            found.append((where + ("area",), "standard.rule_unused_area", {"value": condition["area"], "choices": sorted(areas)}))
        if unknown or any(path[:2] == where for path, _, _ in found):
            continue
        selected = sum(selects(condition, criterion) for criterion in criteria)
        if selected == 0:
            found.append((where, "standard.rule_selects_nothing", {}))
        elif not evaluate({"require": [condition]}, criteria, dict.fromkeys(ids, "met"))["conditions"][0]["passed"]:
            # only a count can ask for more than there is: "all" and a percentage scale with the criteria
            found.append((where + ("at_least",), "standard.rule_unreachable",
                          {"needed": condition["at_least"], "selected": selected}))
    return found


def condition_state(condition: dict) -> str:
    """holds, fails (whatever the remaining answers), or open."""
    return "holds" if condition["passed"] else "fails" if not condition["possible"] else "open"


def describe(result: dict, selections: list, texts: dict) -> dict:
    """The verdict and its reason in words, from the label templates of one language (texts:
    assess label key → template) and each condition's name (selections)."""
    verdict = texts["verdict_" + result["verdict"]].format(unanswered=result["unanswered"], total=result["total"])
    reasons = []
    for selection, condition in zip(selections, result["conditions"]):
        words = texts["reason"].format(selection=selection, met=condition["met"], applicable=condition["applicable"],
                                       needed=condition["needed"])
        extras = [texts["reason_" + count].format(**condition) for count in ("na", "unanswered") if condition[count]]
        if extras:
            words += " (" + "; ".join(extras) + ")"
        reasons.append(words + " — " + texts[condition_state(condition)])
    return {"verdict": verdict, "reasons": reasons}
