"""Issue forms and `kb from-issue`: the forms are generated from the schemas and taxonomy (a
drift fails here), GitHub's own schemas accept them and the workflows (checked offline with the
schemas check-jsonschema ships), and saved form bodies, good and bad, become a record or a
located list of problems in the submitter's language."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, make_project, run_kb
from kb.forms import ID_LENGTH, MAX_BODY, PRACTICE_FIELDS, Forms, field_label, slug, transliterate

BODIES = ROOT / "tests" / "fixtures" / "issues"
GOOD = (BODIES / "practice-ok.md").read_text(encoding="utf-8")
CHECK = [sys.executable, "-m", "check_jsonschema"]


def test_generated_files_are_up_to_date():
    code, out, _ = run_kb("--root", ROOT, "generate", "--check")
    assert code == 0, out


def test_a_changed_taxonomy_makes_the_forms_stale(tmp_path):
    root = make_project(tmp_path / "kb", ROOT)
    for name in (".github", ".vscode"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(root / name)], check=True)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "themes:\n", "themes:\n  new-theme:\n    label: {pl: Nowy temat, uk: Нова тема, en: New theme}\n", 1), encoding="utf-8")
    code, out, _ = run_kb("--root", root, "generate", "--check")
    assert code == 1
    assert ".github/ISSUE_TEMPLATE/propose-practice.yml:1:1: generated.stale" in out
    assert "schemas/editor/practice.schema.json" in out
    assert run_kb("--root", root, "generate")[0] == 0
    assert "Nowy temat (new-theme)" in (root / ".github/ISSUE_TEMPLATE/propose-practice.yml").read_text(encoding="utf-8")
    assert run_kb("--root", root, "generate", "--check")[0] == 0


@pytest.mark.parametrize("path", sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml")), ids=lambda p: p.name)
def test_issue_forms_pass_githubs_schema(path):
    schema = "vendor.github-issue-config" if path.name == "config.yml" else "vendor.github-issue-forms"
    result = subprocess.run(CHECK + ["--builtin-schema", schema, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted((ROOT / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_workflows_pass_githubs_schema(path):
    result = subprocess.run(CHECK + ["--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_does_fail_on_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: [push]\njobs:\n  build:\n    steps: [{run: true}]\n", encoding="utf-8")
    assert subprocess.run(CHECK + ["--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True).returncode == 1


def test_workflows_do_what_the_guide_promises():
    ci = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    pages = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    for step in ("kb validate --format github", "kb build --strict", "./dev test", "actions/upload-artifact"):
        assert step in ci, step
    assert "actions/upload-pages-artifact" in pages and "actions/deploy-pages" in pages
    assert "secrets." not in ci + pages  # nothing beyond the default token
    assert "${{ github.event.issue.body }}" not in "".join(
        line for line in (ROOT / ".github/workflows/from-issue.yml").read_text(encoding="utf-8").splitlines(True)
        if "run:" in line or line.startswith("          ") and "BODY:" not in line)  # the body never enters a shell line


def test_form_choices_come_from_the_taxonomy_and_schema():
    forms = Forms(ROOT)
    field = next(f for f in PRACTICE_FIELDS if f.id == "themes")
    assert ("family-policy", "Polityka rodzinna (family-policy)") in forms.choices(field)
    assert [value for value, _ in forms.choices(next(f for f in PRACTICE_FIELDS if f.id == "lang"))] == ["pl", "uk", "en"]
    assert forms.required(field) and not forms.required(next(f for f in PRACTICE_FIELDS if f.id == "results"))


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "kb", ROOT)


def from_issue(project, tmp_path, body: str):
    path = project / "build" / "issue.md"  # inside the knowledge base, as the workflow writes it
    path.parent.mkdir(exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return run_kb("--root", project, "from-issue", path, "--issue", "7", "--date", "2026-01-15")


def test_a_submitted_form_becomes_a_valid_record(project, tmp_path):
    code, out, _ = from_issue(project, tmp_path, GOOD)
    record = project / "practices" / "punkt-konsultacyjny-dla-rodzin-w-gminie-janow.yml"
    assert code == 0, out
    assert "Zapisano practices/punkt-konsultacyjny-dla-rodzin-w-gminie-janow.yml" in out
    text = record.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/editor/practice.schema.json\n# Proposed in issue #7")
    assert "themes:\n  - family-policy\n  - ngo-cooperation\n" in text and "evidence: described" in text
    assert "  pl: |-\n    1. Gmina wynajęła lokal.\n    2. Zatrudniono dwóch doradców.\n" in text
    assert "results" not in text  # "_No response_" is no text
    code, out, _ = run_kb("--root", project, "validate", record)
    assert code == 0, out


def test_the_identifier_given_is_used_and_a_taken_one_refused(project, tmp_path):
    body = GOOD.replace("### Identyfikator (opcjonalnie)\n\n_No response_", "### Identyfikator (opcjonalnie)\n\nozps-ngo-cooperation-lubelskie")
    code, out, _ = from_issue(project, tmp_path, body)
    assert code == 1 and "form.exists" in out and "już istnieje" in out


@pytest.mark.parametrize("change, code, line, words", [
    (("### Tytuł\n\nPunkt konsultacyjny dla rodzin w gminie Janów", "### Tytuł\n\n_No response_"), "form.missing", 7,
     "Brak wymaganego pola „Tytuł”"),
    (("Polityka rodzinna (family-policy)", "Polityka rodzinna (family-policy), Hacking (rm-rf)"), "form.bad_choice", 32, "Hacking (rm-rf)"),
    (("Polska (pl)", "Polska (pl), Ukraina (ua)"), "form.bad_choice", 24, "„Kraj”"),
    (("Gmina wynajęła lokal.", "Gmina <script>alert(1)</script> wynajęła lokal."), "form.html", 15, "zawiera kod HTML"),
    (("Sprawozdanie gminy | https://example.org/sprawozdanie", "Sprawozdanie | javascript:alert(1)"), "form.bad_source", 44, "https://"),
    (("### Identyfikator (opcjonalnie)\n\n_No response_", "### Identyfikator (opcjonalnie)\n\nZły Identyfikator!"), "form.bad_id", 48, "Zły"),
])
def test_wrong_answers_are_located_and_in_the_forms_language(project, tmp_path, change, code, line, words):
    assert change[0] in GOOD
    status, out, _ = from_issue(project, tmp_path, GOOD.replace(*change))
    assert status == 1
    assert f"issue.md:{line}:1: {code}: " in out and words in out, out
    assert not any(project.joinpath("practices").glob("punkt-*.yml"))  # nothing written


def test_answers_follow_the_language_the_submitter_chose(project, tmp_path):
    body = GOOD.replace("polski (pl)", "ukraiński (uk)").replace("### Tytuł\n\nPunkt konsultacyjny dla rodzin w gminie Janów",
                                                                  "### Tytuł\n\n_No response_")
    status, out, _ = from_issue(project, tmp_path, body)
    assert status == 1 and "Не заповнено обов’язкове поле «Tytuł»" in out


def test_a_truncated_body_lists_everything_missing(project, tmp_path):
    status, out, _ = from_issue(project, tmp_path, GOOD[:GOOD.index("### Kraj")])
    assert status == 1
    missing = [line for line in out.splitlines() if ": form.missing: " in line]
    assert len(missing) == 5, out  # country, themes, target groups, evidence, sources
    assert all(line.startswith("issue.md:1:1:") for line in missing)  # absent fields: the top of the body


def test_a_body_that_is_no_form_and_a_huge_body_are_refused(project, tmp_path):
    status, out, _ = from_issue(project, tmp_path, "Hello, please add my practice!\n<b>thanks</b>")
    assert status == 1 and "form.no_form" in out
    status, out, _ = from_issue(project, tmp_path, GOOD + "x" * (MAX_BODY + 10))
    assert status == 1 and "form.too_long" in out
    status, out, _ = from_issue(project, tmp_path, GOOD.replace("### Podsumowanie\n\n", "### Podsumowanie\n\n" + "słowo " * 4000))
    assert status == 1 and "form.too_long" in out and ":11:1:" in out


def test_duplicate_and_foreign_sections(project, tmp_path):
    status, out, _ = from_issue(project, tmp_path, GOOD + "\n### Tytuł\n\nDrugi tytuł\n\n### Something else\n\nignored\n")
    assert status == 1 and "form.duplicate" in out and "Something" not in out


def test_a_record_the_validator_refuses_is_not_kept(project, tmp_path):
    body = GOOD.replace("Gmina wynajęła lokal.", "Zobacz [to](javascript:alert(1)).")
    status, out, _ = from_issue(project, tmp_path, body)
    assert status == 1 and "text.unsafe_link" in out
    assert not any(project.joinpath("practices").glob("punkt-*.yml"))


def test_every_form_label_is_a_heading_from_reads():
    assert len({field_label(field) for field in PRACTICE_FIELDS}) == len(PRACTICE_FIELDS)


def test_slugs_transliterate():
    assert slug("Łódź: wsparcie rodzin") == "lodz-wsparcie-rodzin"
    assert slug("Соціальні послуги в громадах") == "sotsialni-posluhy-v-hromadakh"


# The resolution's own examples (Cabinet of Ministers of Ukraine, No. 55 of 27 January 2010), with
# each of its special cases: зг, word-initial є ї й ю я, ь and the apostrophe dropped.
RESOLUTION_EXAMPLES = {
    "Алушта": "Alushta", "Андрій": "Andrii", "Борщагівка": "Borshchahivka", "Борисенко": "Borysenko",
    "Вінниця": "Vinnytsia", "Володимир": "Volodymyr", "Гадяч": "Hadiach", "Богдан": "Bohdan", "Згурський": "Zghurskyi",
    "Ґалаґан": "Galagan", "Ґорґани": "Gorgany", "Донецьк": "Donetsk", "Дмитро": "Dmytro", "Рівне": "Rivne",
    "Олег": "Oleh", "Есмань": "Esman", "Єнакієве": "Yenakiieve", "Гаєвич": "Haievych", "Короп’є": "Koropie",
    "Житомир": "Zhytomyr", "Жанна": "Zhanna", "Жежелів": "Zhezheliv", "Закарпаття": "Zakarpattia", "Казимирчук": "Kazymyrchuk",
    "Медвин": "Medvyn", "Михайленко": "Mykhailenko", "Іванків": "Ivankiv", "Іващенко": "Ivashchenko", "Їжакевич": "Yizhakevych",
    "Кадиївка": "Kadyivka", "Мар’їне": "Marine", "Йосипівка": "Yosypivka", "Стрий": "Stryi", "Олексій": "Oleksii",
    "Київ": "Kyiv", "Коваленко": "Kovalenko", "Лебедин": "Lebedyn", "Леонід": "Leonid", "Миколаїв": "Mykolaiv",
    "Маринич": "Marynych", "Ніжин": "Nizhyn", "Наталія": "Nataliia", "Одеса": "Odesa", "Онищенко": "Onyshchenko",
    "Полтава": "Poltava", "Петро": "Petro", "Решетилівка": "Reshetylivka", "Рибчинський": "Rybchynskyi",
    "Суми": "Sumy", "Соломія": "Solomiia", "Тернопіль": "Ternopil", "Троць": "Trots", "Ужгород": "Uzhhorod",
    "Уляна": "Uliana", "Фастів": "Fastiv", "Філіпчук": "Filipchuk", "Харків": "Kharkiv", "Христина": "Khrystyna",
    "Біла Церква": "Bila Tserkva", "Стеценко": "Stetsenko", "Чернівці": "Chernivtsi", "Шевченко": "Shevchenko",
    "Шостка": "Shostka", "Кишеньки": "Kyshenky", "Щербухи": "Shcherbukhy", "Гоща": "Hoshcha", "Гаращенко": "Harashchenko",
    "Юрій": "Yurii", "Корюківка": "Koriukivka", "Яготин": "Yahotyn", "Ярошенко": "Yaroshenko", "Костянтин": "Kostiantyn",
    "Знам’янка": "Znamianka", "Феодосія": "Feodosiia", "Згорани": "Zghorany", "Розгон": "Rozghon",
    "Гуляйполе": "Huliaipole", "Крютьки": "Kriutky", "Знам'янка": "Znamianka",
}


@pytest.mark.parametrize("ukrainian, latin", RESOLUTION_EXAMPLES.items())
def test_ukrainian_is_transliterated_by_the_national_system(ukrainian, latin):
    assert transliterate(ukrainian) == latin.lower()


def test_polish_letters_lose_their_diacritics():
    assert transliterate("Zażółć gęślą jaźń. ŁÓDŹ") == "zazolc gesla jazn. lodz"


def test_an_identifier_from_a_long_title_is_cut_after_a_word():
    title = "Współpraca gminy z organizacjami pozarządowymi przy diagnozie potrzeb mieszkańców i planowaniu usług"
    made = slug(title)
    assert made == "wspolpraca-gminy-z-organizacjami-pozarzadowymi-przy"  # "-diagnozie" would make 62
    assert len(made) <= ID_LENGTH and title.lower().startswith("współpraca")
    assert slug("a" * 260) == "a" * ID_LENGTH  # one word longer than the limit is cut itself
    assert slug("Пілот — 2024 ★") == "pilot-2024" and slug("!!! ★ ???") == ""


TITLE = "### Tytuł\n\nPunkt konsultacyjny dla rodzin w gminie Janów"
ID = "### Identyfikator (opcjonalnie)\n\n_No response_"


def test_a_260_character_title_makes_a_short_identifier(project, tmp_path):
    words = ("Punkt konsultacyjny dla rodzin " * 9)[:260].strip()
    code, out, _ = from_issue(project, tmp_path, GOOD.replace(TITLE, f"### Tytuł\n\n{words}"))
    assert code == 0, out
    written = list(project.joinpath("practices").glob("punkt-*.yml"))
    assert [path.stem for path in written] == ["punkt-konsultacyjny-dla-rodzin-punkt-konsultacyjny-dla"]


@pytest.mark.parametrize("change, code, line, words", [
    ((ID, "### Identyfikator (opcjonalnie)\n\n" + "a" * 260), "form.long_id", 48, "za długi (najwyżej 80 znaków)"),
    ((ID, "### Identyfikator (opcjonalnie)\n\nindex"), "form.reserved_id", 48, "„index” jest zajęty"),
    ((ID, "### Identyfikator (opcjonalnie)\n\nlpt1"), "form.reserved_id", 48, "„lpt1” jest zajęty"),
    ((TITLE, "### Tytuł\n\nIndex"), "form.reserved_id", 7, "„index” jest zajęty"),
    ((TITLE, "### Tytuł\n\n2024 — ★ ???"), "form.no_id", 7, "nie ma w nim liter"),
    ((TITLE, "### Tytuł\n\nGdańsk: Large family card"), "form.exists", 7, "Wpis practices/gdansk-large-family-card.yml już istnieje"),
    ((TITLE, "### Tytuł\n\nPL social assistance act"), "form.exists", 7, "Wpis acts/pl-social-assistance-act.yml już istnieje"),
])
def test_an_identifier_that_cannot_be_used_is_located(project, tmp_path, change, code, line, words):
    assert change[0] in GOOD
    taken = {path.stem for folder in ("practices", "acts") for path in project.joinpath(folder).glob("*.yml")}
    if code == "form.exists":
        assert slug(change[1].split("\n")[-1]) in taken, sorted(taken)
    status, out, _ = from_issue(project, tmp_path, GOOD.replace(*change))
    assert status == 1, out
    assert f"issue.md:{line}:1: {code}: " in out and words in out, out
    assert "internal error" not in out
    assert sorted(path.stem for folder in ("practices", "acts") for path in project.joinpath(folder).glob("*.yml")) == sorted(taken)


def test_from_issue_reads_and_writes_only_regular_files_inside_the_knowledge_base(project, tmp_path):
    outside = tmp_path / "issue.md"
    outside.write_text(GOOD, encoding="utf-8")
    code, out, err = run_kb("--root", project, "from-issue", outside)
    assert code == 1 and "file.outside" in out and "Traceback" not in out + err
    (project / "build").mkdir(exist_ok=True)
    os.mkfifo(project / "build" / "pipe.md")
    code, out, err = run_kb("--root", project, "from-issue", project / "build" / "pipe.md")
    assert code == 1 and "file.special" in out
    # A dangling link where the record would go: refused, nothing written through it.
    code, out, _ = from_issue(project, tmp_path, GOOD)
    written = next(line for line in out.splitlines() if "practices/" in line)
    record = project / re.search(r"practices/[a-z0-9-]+\.yml", written).group(0)
    record.unlink()
    record.symlink_to(tmp_path / "elsewhere.yml")
    code, out, _ = from_issue(project, tmp_path, GOOD)
    assert code == 1 and "form.exists" in out and not (tmp_path / "elsewhere.yml").exists()
    # The practices folder a link to a folder outside: nothing written there.
    record.unlink()
    (project / "practices").rename(tmp_path / "practices")
    (project / "practices").symlink_to(tmp_path / "practices")
    code, out, _ = from_issue(project, tmp_path, GOOD)
    assert code == 1 and "practices:1:1: file.symlink" in out and not record.name in {p.name for p in (tmp_path / "practices").iterdir()}


def test_issue_bodies_of_any_shape_never_crash_and_leave_nothing_behind(project, tmp_path):
    """Fuzz: the practice form's body with pieces an attacker or a careless submitter adds.
    The answer is a record that validates, or located issues and no file written."""
    import random
    rng = random.Random(11)
    pieces = ["### Tytuł\n\n", "### Identyfikator\n\n", "_No response_", "\n\n", "- [x] ", "index", "CON", "\x00", "\x07",
              "\u202e", "\u200b", "\u2028", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "[x](javascript:alert(1))",
              "@everyone ", "x" * 5000, "Згорани Їжакевич ", "żółć ", "../../etc/passwd", "### \n", "\r\n", "\udcff", "{{ 7*7 }}"]
    before = sorted(p.name for p in (project / "practices").iterdir())
    for round_ in range(40):
        body = GOOD
        for _ in range(rng.randint(1, 5)):
            at = rng.randrange(len(body) + 1)
            body = body[:at] + rng.choice(pieces) + body[at:]
        path = project / "build" / "issue.md"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(body.encode("utf-8", "surrogateescape"))
        code, out, err = run_kb("--root", project, "from-issue", path, "--date", "2026-01-15")
        assert code in (0, 1) and "Traceback" not in out + err and "internal error" not in err, (round_, err)
        now = sorted(p.name for p in (project / "practices").iterdir())
        if code == 1:
            assert now == before, round_
        else:
            new = set(now) - set(before)
            assert len(new) == 1 and run_kb("--root", project, "validate", f"practices/{new.pop()}")[0] == 0
            for name in set(now) - set(before):
                (project / "practices" / name).unlink()
