"""Stage 2: schema and collection rules, messages in an editor's words."""
import json

from conftest import run_kb
from kb.load import load_tree
from kb.schemas import Schemas
from kb.validate import validate_tree


def issues_for(root):
    tree, issues = load_tree(root)
    return issues + validate_tree(tree, Schemas(root / "schemas"))


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_messages_use_field_labels_and_suggest_fixes(kb_copy):
    replace(kb_copy / "standards" / "quality.yml", "level: extended", "level: extendet")
    replace(kb_copy / "practices" / "ngo-pilot.yml", "evidence: described", "evidence: described\nthemse: [x]")
    found = {i.code: i for i in issues_for(kb_copy)}
    assert found["schema.enum"].message == "Criteria (trained-staff) › Level: 'extendet' is not one of the allowed values"
    assert found["schema.enum"].hint.startswith("did you mean 'extended'?")
    assert found["schema.unknown_field"].hint.startswith("did you mean 'themes'?")
    assert found["schema.unknown_field"].field == "themse"


def test_text_map_given_as_plain_text_gets_a_language_hint(kb_copy):
    replace(kb_copy / "recommendations" / "ngo-law.yml", "addressee: {pl: Minister, uk: Міністр, en: Minister}", "addressee: Minister")
    issue = next(i for i in issues_for(kb_copy) if i.code == "schema.type")
    assert issue.message == "Addressee: expected a group of fields, found text"
    assert "pl: …" in issue.hint


def test_stale_translation_is_a_warning_with_the_current_hash(kb_copy):
    stale = [i for i in issues_for(kb_copy) if i.code == "translation.stale"]
    assert [(i.file, i.severity) for i in stale] == [("practices/hromada-visit.yml", "warning")]
    assert "source_hash: 613d03ea3c06" in stale[0].hint


def test_editing_source_text_makes_translations_stale_but_rewrapping_does_not(kb_copy):
    path = kb_copy / "standards" / "quality.yml"
    replace(path, "note: {pl: Wszystkie obowiązkowe.,", "note: {pl: \"Wszystkie   obowiązkowe.\",")
    assert not [i for i in issues_for(kb_copy) if i.code == "translation.stale" and i.file == "standards/quality.yml"]
    replace(path, "Wszystkie   obowiązkowe.", "Wszystkie obowiązkowe i połowa rozszerzonych.")
    stale = [i for i in issues_for(kb_copy) if i.code == "translation.stale" and i.file == "standards/quality.yml"]
    assert {i.field for i in stale} == {"translations.uk.source_hash", "translations.en.source_hash"}


def test_translation_entry_for_the_source_language_is_an_error(kb_copy):
    replace(kb_copy / "practices" / "hromada-visit.yml", "translations:\n", "translations:\n  uk: {status: draft, source_hash: \"0123456789ab\"}\n")
    assert "translation.source_language" in {i.code for i in issues_for(kb_copy)}


def test_references_to_a_broken_file_are_not_called_dangling(kb_copy):
    (kb_copy / "standards" / "quality.yml").write_text("id: [\n", encoding="utf-8")
    codes = [i.code for i in issues_for(kb_copy)]
    assert "yaml.syntax" in codes and "ref.unknown_standard" not in codes and "ref.unknown_criterion" not in codes


def test_broken_taxonomy_does_not_flood_records(kb_copy):
    (kb_copy / "taxonomy.yml").write_text("themes: [\n", encoding="utf-8")
    codes = [i.code for i in issues_for(kb_copy)]
    assert codes.count("yaml.syntax") == 1 and "taxonomy.unknown_term" not in codes


def test_aliases_take_part_in_uniqueness(kb_copy):
    replace(kb_copy / "standards" / "quality.yml", "id: quality", "id: quality\naliases: [old-ngo-pilot]")
    duplicates = [i for i in issues_for(kb_copy) if i.code == "record.duplicate_id"]
    assert {i.file for i in duplicates} == {"standards/quality.yml", "practices/ngo-pilot.yml"}


def test_github_format_and_job_summary(kb_copy, tmp_path, monkeypatch):
    replace(kb_copy / "practices" / "ngo-pilot.yml", "evidence: described", "evidence: anecdotal")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run_kb("--root", kb_copy, "validate", "--format", "github")
    assert code == 1
    annotation = next(line for line in out.splitlines() if line.startswith("::error "))
    assert annotation.startswith("::error file=practices/ngo-pilot.yml,line=33,col=11,title=taxonomy.unknown_term::")
    table = summary.read_text(encoding="utf-8")
    assert "| File | Line | Column | Severity | Code | Problem | How to fix |" in table
    assert "| practices/ngo-pilot\\.yml | 33 | 11 | error | `taxonomy.unknown_term` |" in table
    assert "| practices/hromada-visit\\.yml |" in table  # warnings are listed too


def test_json_format(kb_copy):
    code, out, _ = run_kb("--root", kb_copy, "validate", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["errors"] == 0 and report["warnings"] == 1
    assert set(report["issues"][0]) == {"file", "line", "col", "code", "message", "hint", "field", "severity"}


def test_not_a_knowledge_base(tmp_path):
    code, out, err = run_kb("--root", tmp_path, "validate")
    assert code == 2 and "no schemas/ folder" in err and "Traceback" not in err


def test_memoised_validation_sees_changes_elsewhere(kb_copy):
    memo = {}
    schemas = Schemas.load(kb_copy / "schemas")
    first = validate_tree(load_tree(kb_copy)[0], schemas, memo)
    assert validate_tree(load_tree(kb_copy)[0], schemas, memo) == first
    # ngo-pilot.yml is unchanged, but the criterion it points at disappears from quality.yml
    replace(kb_copy / "standards" / "quality.yml", "  - id: open-hours", "  - id: opening-hours")
    codes = {(i.file, i.code) for i in validate_tree(load_tree(kb_copy)[0], schemas, memo)}
    assert ("practices/ngo-pilot.yml", "ref.unknown_criterion") in codes


def test_unknown_unit_suggests_only_close_ids_else_lists_the_articles(kb_copy):
    path = kb_copy / "practices" / "ngo-pilot.yml"
    replace(path, "provision: art_2__para_1__point_2", "provision: art_999")
    issue = next(i for i in issues_for(kb_copy) if i.code == "ref.unknown_provision")
    assert "did you mean" not in issue.hint and "the act's articles are art_1, art_2;" in issue.hint
    replace(path, "provision: art_999", "provision: art_2__para_1__point_3")
    issue = next(i for i in issues_for(kb_copy) if i.code == "ref.unknown_provision")
    assert issue.hint.startswith("did you mean 'art_2__para_1__point_2'?")


def test_unknown_criterion_lists_the_standards_criteria(kb_copy):
    replace(kb_copy / "practices" / "ngo-pilot.yml", "criterion: open-hours", "criterion: evenings")
    issue = next(i for i in issues_for(kb_copy) if i.code == "ref.unknown_criterion")
    assert issue.hint == "its criteria are open-hours, trained-staff"


def test_empty_term_is_called_empty_and_lists_the_choices(kb_copy):
    replace(kb_copy / "practices" / "ngo-pilot.yml", "country: pl,", 'country: "",')
    found = issues_for(kb_copy)
    issue = next(i for i in found if i.file == "practices/ngo-pilot.yml" and i.severity == "error")
    assert (issue.code, issue.message) == ("schema.empty", "Location › Country: must not be empty")
    assert issue.hint.startswith("write one of: pl, ua")
    assert "taxonomy.region_country" not in {i.code for i in found}  # one problem, said once


def test_a_script_address_is_named_as_such(kb_copy):
    replace(kb_copy / "practices" / "ngo-pilot.yml", 'url: "https://example.org/raport"', 'url: "javascript:alert(1)"')
    issue = next(i for i in issues_for(kb_copy) if i.file == "practices/ngo-pilot.yml" and i.severity == "error")
    assert issue.code == "schema.unsafe_url" and "javascript:" in issue.message and "https://" in issue.hint
    replace(kb_copy / "practices" / "ngo-pilot.yml", 'url: "javascript:alert(1)"', 'url: "www.example.org"')
    issue = next(i for i in issues_for(kb_copy) if i.file == "practices/ngo-pilot.yml" and i.severity == "error")
    assert issue.code == "schema.url" and issue.message.endswith("'www.example.org' is not a web address")


def test_yaml_syntax_error_says_the_rest_was_not_checked(kb_copy):
    replace(kb_copy / "practices" / "ngo-pilot.yml", "title:\n", "title:\n   bad: [\n")
    issue = next(i for i in issues_for(kb_copy) if i.code == "yaml.syntax")
    assert "the rest of the file was not checked" in issue.message


def test_unknown_language_keys_never_crash_any_kind(kb_copy):
    """A `ru:` key in every translatable map and translations block of every kind and of the taxonomy."""
    import re
    for path in [*kb_copy.glob("*/*.yml"), kb_copy / "taxonomy.yml"]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{pl: ", "{ru: x, pl: ", text)
        text = re.sub(r"^(\s+)uk: \{status", r"\1ru: {status: draft, source_hash: '000000000000'}\n\1uk: {status", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    code, out, err = run_kb("--root", kb_copy, "validate", "--format", "json")
    assert code == 1 and err == ""
    issues = json.loads(out)["issues"]
    assert {i["code"] for i in issues if i["severity"] == "error"} == {"text.unknown_language"}
    assert {i["file"] for i in issues if i["code"] == "text.unknown_language"} >= {
        "taxonomy.yml", "practices/ngo-pilot.yml", "standards/quality.yml", "recommendations/ngo-law.yml", "acts/sample-act.yml"}


def test_memoised_rule_sees_a_changed_term(kb_copy):
    """The region rule reads terms' attributes: a region moved to another country must be noticed
    by the preview's memo although the practice file did not change."""
    memo, schemas = {}, Schemas.load(kb_copy / "schemas")
    assert "taxonomy.region_country" not in {i.code for i in validate_tree(load_tree(kb_copy)[0], schemas, memo)}
    replace(kb_copy / "taxonomy.yml", "lubelskie: {country: pl,", "lubelskie: {country: ua,")
    codes = {(i.file, i.code) for i in validate_tree(load_tree(kb_copy)[0], schemas, memo)}
    assert ("practices/ngo-pilot.yml", "taxonomy.region_country") in codes


def test_translation_analysis_is_computed_once_per_document(kb_copy, monkeypatch):
    from kb import translations
    from kb.build import check
    calls = []
    original = translations.analyse
    monkeypatch.setattr(translations, "analyse", lambda *args: calls.append(args[1]) or original(*args))
    translations._MEMO.clear()
    assert check(kb_copy).ok
    assert len(calls) == sum(1 for _ in kb_copy.glob("*/*.yml"))  # validate and the model share one analysis


def test_a_rule_reading_an_undeclared_fact_is_caught(kb_copy, monkeypatch):
    """Rules name the facts they read (the preview's memo is keyed by them); reading another is an error."""
    import pytest
    from kb.validate import rules
    sneaky = rules.Rule("sneaky", lambda document, kind, context: context.index.term_data and [], ("practice",))
    monkeypatch.setattr(rules, "RULES", rules.RULES + [sneaky])
    monkeypatch.setattr("kb.validate.RULES", rules.RULES + [sneaky])
    with pytest.raises(RuntimeError, match="'term_data' without declaring it"):
        validate_tree(load_tree(kb_copy)[0], Schemas.load(kb_copy / "schemas"))


def test_a_criterion_citing_a_missing_letter_gets_the_nearest_ids(kb_copy):
    replace(kb_copy / "standards" / "quality.yml", "provision: art_2__para_1}", "provision: art_2__para_1__point_2__letter_a}")
    issue = next(i for i in issues_for(kb_copy) if i.code == "ref.unknown_provision")
    assert issue.file == "standards/quality.yml" and issue.field == "criteria[1].cites[1].provision"
    assert issue.hint.startswith("did you mean 'art_2__para_1__point_2'?")


def test_an_eli_address_must_be_the_elis(kb_copy):
    replace(kb_copy / "acts" / "sample-act.yml", "eli: DU/2004/593", "eli: DU/2004/593\neli_url: https://eli.gov.pl/eli/DU/2004/594/ogl")
    issue = next(i for i in issues_for(kb_copy) if i.code == "act.eli_url")
    assert "DU/2004/593" in issue.message and issue.line == 6


# -- the glossary, quotations and addresses ---------------------------------------------------

def test_a_phrase_the_glossary_avoids_is_a_warning_naming_the_term_to_use(kb_copy):
    replace(kb_copy / "practices" / "ngo-pilot.yml", "1. Training for NGOs.", "1. Training at the Social Assistance Centre.")
    warned = [i for i in issues_for(kb_copy) if i.code == "text.avoided_term"]
    assert [(i.file, i.severity, i.field) for i in warned] == [("practices/ngo-pilot.yml", "warning", "actions.en")]
    assert "'Social Assistance Centre'" in warned[0].message and "social welfare centre (OPS)" in warned[0].hint


def test_an_avoided_phrase_inside_a_longer_word_is_not_flagged(kb_copy):
    replace(kb_copy / "glossary.yml", "avoid: [social assistance centre]", "avoid: [social assistance centre, NGO]")
    replace(kb_copy / "practices" / "ngo-pilot.yml", "1. Training for NGOs.", "1. Training for NGOs, and for one NGO.")
    warned = [i for i in issues_for(kb_copy) if i.code == "text.avoided_term"]
    assert sorted((i.field, i.message.split("uses ")[1].split(",")[0]) for i in warned) == \
        [("actions.en", "'NGO'"), ("title.en", "'NGO'")]  # 'NGOs' is another word


def test_a_typewriter_apostrophe_in_ukrainian_is_a_warning(kb_copy):
    replace(kb_copy / "standards" / "quality.yml", "Усі обов’язкові", "Усі обов'язкові")
    warned = [i for i in issues_for(kb_copy) if i.code == "text.apostrophe"]
    assert [(i.file, i.field) for i in warned] == [("standards/quality.yml", "rule.note.uk")]


def test_a_quotation_must_be_word_for_word_in_its_excerpt_and_in_the_text(kb_copy):
    path = kb_copy / "practices" / "ngo-pilot.yml"
    replace(path, "quotes: [wspólna diagnoza potrzeb]", "quotes: [wspólna diagnoza potrzeb, diagnoza wspólna potrzeb]")
    found = [i for i in issues_for(kb_copy) if i.code.startswith("source.")]
    assert [(i.code, i.field) for i in found] == [("source.quote_not_in_excerpt", "sources[1].quotes[2]")]
    replace(path, "„wspólna diagnoza potrzeb”", "wspólną diagnozę")
    assert "source.quote_unused" in {i.code for i in issues_for(kb_copy)}


def test_a_missing_excerpt_is_an_error(kb_copy):
    (kb_copy / "excerpts" / "raport-z-pilotazu.txt").unlink()
    found = [i for i in issues_for(kb_copy) if i.code == "source.excerpt_missing"]
    assert [(i.file, i.severity, i.line) for i in found] == [("practices/ngo-pilot.yml", "error", 40)]


def test_a_practice_without_a_source_address_or_contact_is_warned_about(kb_copy):
    path = kb_copy / "practices" / "hromada-visit.yml"
    replace(path, '  - {organisation: Асоціація громад, url: "https://example.org/hromady"}\n', "  []\n")
    replace(path, 'contacts:\n  []\n', "")
    replace(path, '{title: Звіт про візит, url: "https://example.org/zvit"}', "{title: Звіт про візит}")
    codes = sorted(i.code for i in issues_for(kb_copy) if i.file == "practices/hromada-visit.yml" and i.code.startswith("practice."))
    assert codes == ["practice.no_contact", "practice.no_source_address"]


def test_the_bundled_records_use_the_glossary_and_quote_exactly():
    from conftest import ROOT
    found = [f"{i.file}:{i.line}: {i.code}: {i.message}" for i in issues_for(ROOT)
             if i.code in ("text.avoided_term", "text.apostrophe") or i.code.startswith("source.")]
    assert found == []


def test_a_term_identifier_with_a_line_break_is_found_at_its_key(kb_copy):
    replace(kb_copy / "taxonomy.yml", "  social-services:\n", '  "social-services\\n":\n')
    found = [i for i in issues_for(kb_copy) if i.file == "taxonomy.yml" and i.code == "text.hidden_character"]
    assert [(i.line, i.col) for i in found] == [(4, 3)]
    assert found[0].message.startswith("Themes › social-services\n: contains the invisible character U+000A LINE FEED")
