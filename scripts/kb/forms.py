"""GitHub issue forms for editors without git, generated from the schemas and the taxonomy, and
`kb from-issue`: a submitted practice form's body → a practice record.

The forms are in Polish with Ukrainian and English help. Their fields, required marks and
choices come from the practice schema and taxonomy.yml; `kb generate` writes them into
.github/ISSUE_TEMPLATE and a test fails when the committed files drift. `from_issue` reads a
body by the forms' own headings, so the two cannot disagree."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import DEFAULT_LANGUAGE, KINDS, LANGUAGES, RESERVED_NAMES, files
from .issues import Issue
from .load import load_file
from .render import labels
from .schemas import Schemas

FORM_LANGUAGE = "pl"  # labels are Polish; help is given in the other languages too
FORMS_DIR = Path(".github/ISSUE_TEMPLATE")
PRACTICE_LABEL = "practice-proposal"  # the label a practice proposal carries; `approved` starts the pull request


@dataclass(frozen=True)
class FormField:
    id: str
    path: tuple  # the practice field it fills
    widget: str  # input, textarea, dropdown, multiple (dropdown), sources (textarea, one per line)


PRACTICE_FIELDS = (
    FormField("lang", ("lang",), "dropdown"),
    FormField("title", ("title",), "input"),
    FormField("summary", ("summary",), "textarea"),
    FormField("actions", ("actions",), "textarea"),
    FormField("results", ("results",), "textarea"),
    FormField("country", ("location", "country"), "dropdown"),
    FormField("regions", ("location", "regions"), "multiple"),
    FormField("themes", ("themes",), "multiple"),
    FormField("target_groups", ("target_groups",), "multiple"),
    FormField("evidence", ("evidence",), "dropdown"),
    FormField("sources", ("sources",), "sources"),
    FormField("id", ("id",), "input"),
)
FIELD = {field.id: field for field in PRACTICE_FIELDS}
# Texts of the forms and of from-issue's answers, in labels.yml under `forms`.
FORM_TEXTS = ("practice_name", "practice_about", "practice_intro", "error_name", "error_about", "translation_name",
              "translation_about", "record", "record_help", "problem", "problem_help", "correction", "correction_help",
              "language", "language_help", "translation", "translation_help", "translator", "translator_help",
              "missing", "bad_choice", "html", "too_long", "bad_source", "bad_id", "long_id", "reserved_id", "no_id",
              "duplicate", "no_form", "exists",
              "written", "source_line", "label_lang", "label_id") + tuple(f"help_{field.id}" for field in PRACTICE_FIELDS)
NO_RESPONSE = "_No response_"  # what GitHub writes for a field left empty
MAX_BODY = 65536  # GitHub's limit on an issue body, in characters
MAX_FIELD = {"input": 300, "textarea": 20000, "sources": 5000, "dropdown": 2000, "multiple": 5000}
CHOICE = re.compile(r"\(([a-z0-9-]+)\)")
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")


def text(key: str, lang: str = FORM_LANGUAGE, **values) -> str:
    words = labels.text(("forms", key), lang)
    return words.format(**values) if values else words


def field_label(field: FormField) -> str:
    """The field's Polish name on the site (labels.yml field.*), else its schema title."""
    names = labels.load_labels()["field"]
    key = field.path[-1]
    return names[key][FORM_LANGUAGE] if key in names else text(f"label_{field.id}")


def helps(key: str) -> str:
    """Help in Ukrainian and English under a Polish label."""
    return " · ".join(f"{lang.upper()}: {text(key, lang)}" for lang in LANGUAGES)


class Forms:
    """The forms' content, from the schemas and the taxonomy of one knowledge base."""

    def __init__(self, root: Path):
        self.schemas = Schemas.load(root / "schemas")
        document, _ = load_file(root / "taxonomy.yml", root)
        self.taxonomy = document.data if document is not None and isinstance(document.data, dict) else {}

    def choices(self, field: FormField) -> list[tuple[str, str]]:
        """(value, option text) of a field with fixed choices; the value is in brackets at the end
        of the option text, which is how from-issue reads it back."""
        schema = self.schemas.inlined_field("practice", field.path)
        items = schema.get("items", {}) if schema.get("type") == "array" else schema
        if "enum" in items:
            return [(value, f"{labels.text(('language_name', value), FORM_LANGUAGE) if field.id == 'lang' else value} ({value})")
                    for value in items["enum"]]
        terms = self.taxonomy.get(items.get("x-taxonomy"), {}) or {}
        return [(term_id, f"{term['label'][FORM_LANGUAGE]} ({term_id})") for term_id, term in terms.items()
                if isinstance(term, dict) and isinstance(term.get("label"), dict)]

    def required(self, field: FormField) -> bool:
        return field.id != "id" and all(step in self.schemas.field_schema("practice", field.path[:depth]).get("required", [])
                                        for depth, step in enumerate(field.path))

    def practice(self) -> dict:
        body = [{"type": "markdown", "attributes": {"value": helps("practice_intro")}}]
        for field in PRACTICE_FIELDS:
            attributes = {"label": field_label(field), "description": helps(f"help_{field.id}")}
            element = {"type": {"input": "input", "dropdown": "dropdown", "multiple": "dropdown"}.get(field.widget, "textarea"),
                       "id": field.id, "attributes": attributes, "validations": {"required": self.required(field)}}
            if field.widget in ("dropdown", "multiple"):
                attributes["options"] = [option for _, option in self.choices(field)]
                attributes["multiple"] = field.widget == "multiple"
            if field.widget == "sources":
                attributes["placeholder"] = text("source_line")
            body.append(element)
        return {"name": text("practice_name"), "description": helps("practice_about"), "title": f"[{text('practice_name')}] ",
                "labels": [PRACTICE_LABEL], "body": body}

    def error_report(self) -> dict:
        return {"name": text("error_name"), "description": helps("error_about"), "title": f"[{text('error_name')}] ",
                "labels": ["record-error"], "body": [
                    _element("input", "record", "record", required=True),
                    _element("textarea", "problem", "problem", required=True),
                    _element("textarea", "correction", "correction", required=False)]}

    def translation(self) -> dict:
        language = _element("dropdown", "language", "language", required=True)
        language["attributes"]["options"] = [f"{labels.text(('language_name', lang), FORM_LANGUAGE)} ({lang})" for lang in LANGUAGES]
        return {"name": text("translation_name"), "description": helps("translation_about"),
                "title": f"[{text('translation_name')}] ", "labels": ["translation-proposal"], "body": [
                    _element("input", "record", "record", required=True), language,
                    _element("textarea", "translation", "translation", required=True),
                    _element("input", "translator", "translator", required=False)]}

    def files(self) -> dict:
        """Form file name → content, for .github/ISSUE_TEMPLATE."""
        return {"propose-practice.yml": self.practice(), "report-error.yml": self.error_report(),
                "propose-translation.yml": self.translation(), "config.yml": {"blank_issues_enabled": True}}


def _element(kind: str, field_id: str, key: str, required: bool) -> dict:
    return {"type": kind, "id": field_id, "attributes": {"label": text(key), "description": helps(f"{key}_help")},
            "validations": {"required": required}}


# -- from-issue ------------------------------------------------------------------------------

def _say(shown: str, line: int, code: str, lang: str, **values) -> Issue:
    return Issue(shown, line, 1, f"form.{code}", text(code, lang, **values))


def sections(body: str) -> list[tuple[str, str, int]]:
    """(heading, value, line where the value starts) of each `### heading` section of an issue body."""
    found, heading, start, lines = [], None, 0, []

    def close():
        first = next((index for index, line in enumerate(lines) if line.strip()), 0)
        found.append((heading, "\n".join(lines).strip(), start + 1 + first))
    for number, line in enumerate(body.split("\n"), start=1):
        if line.startswith("### "):
            if heading is not None:
                close()
            heading, start, lines = line[4:].strip(), number, []
        elif heading is not None:
            lines.append(line)
    if heading is not None:
        close()
    return found


# Ukrainian in Latin letters as the Cabinet of Ministers' resolution No. 55 of 27 January 2010
# has it: ь and the apostrophe are dropped, є ї й ю я are written ye yi y yu ya at the start of a
# word and ie i i iu ia elsewhere, and зг is zgh (to tell it from ж, zh).
UKRAINIAN = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
                     "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch - iu ia".split()))
UKRAINIAN["ь"] = ""
UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
APOSTROPHES = "'’ʼ`"  # inside a word: dropped, and the letter after it does not start a word
ID_LENGTH = 60  # an identifier made from a title is at most this long, cut after a whole word


def transliterate(text: str) -> str:
    """Text in ASCII letters: Ukrainian by the national system (above), Polish and other Latin
    letters without their diacritics (ł → l); what has no ASCII form is left out."""
    out, previous = [], ""
    for char in text.lower():
        if char in APOSTROPHES:
            continue
        if char == "г" and previous == "з":
            out.append("gh")
        elif char in UKRAINIAN_INITIAL and not previous.isalpha():
            out.append(UKRAINIAN_INITIAL[char])
        else:
            out.append(UKRAINIAN.get(char, char))
        previous = char
    latin = "".join(out).replace("ł", "l")
    return unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()


def slug(title: str) -> str:
    """An identifier from a title: its words transliterated, joined by hyphens, at most ID_LENGTH
    characters, cut after a word (a first word longer than that is cut itself)."""
    words = re.findall(r"[a-z0-9]+", transliterate(title))
    kept = ""
    for word in words:
        if len(kept) + bool(kept) + len(word) > ID_LENGTH:
            break
        kept = f"{kept}-{word}" if kept else word
    return kept or (words[0][:ID_LENGTH] if words else "")


def read_practice(body: str, forms: Forms, file: str, today: str) -> tuple[dict | None, list[Issue]]:
    """The practice a form body describes, or the problems, in the submitter's language."""
    if len(body) > MAX_BODY:
        return None, [_say(file, 1, "too_long", FORM_LANGUAGE, limit=MAX_BODY)]
    by_label = {field_label(field): field for field in PRACTICE_FIELDS}
    values, lines, issues = {}, {}, []
    for heading, value, line in sections(body):
        field = by_label.get(heading)
        if field is None:
            continue
        if field.id in values:
            issues.append(_say(file, line, "duplicate", FORM_LANGUAGE, field=heading))
            continue
        values[field.id], lines[field.id] = ("" if value == NO_RESPONSE else value), line
    if not values:
        return None, [_say(file, 1, "no_form", FORM_LANGUAGE, form=text("practice_name"))]
    lang_choice = CHOICE.findall(values.get("lang", ""))
    lang = lang_choice[0] if lang_choice and lang_choice[0] in LANGUAGES else FORM_LANGUAGE
    parsed = {}
    for field in PRACTICE_FIELDS:
        value, line = values.get(field.id, ""), lines.get(field.id, 1)
        name = field_label(field)
        if len(value) > MAX_FIELD[field.widget]:
            issues.append(_say(file, line, "too_long", lang, limit=MAX_FIELD[field.widget]))
            continue
        if TAG.search(value):
            issues.append(_say(file, line, "html", lang, field=name))
            continue
        if not value:
            if forms.required(field):
                issues.append(_say(file, line, "missing", lang, field=name))
            continue
        if field.widget in ("dropdown", "multiple"):
            allowed = {value_ for value_, _ in forms.choices(field)}
            chosen = CHOICE.findall(value)
            wrong = [part.strip() for part in value.split(", ") if not CHOICE.search(part) or CHOICE.findall(part)[-1] not in allowed]
            if wrong or not chosen or (field.widget == "dropdown" and len(chosen) > 1):
                issues.append(_say(file, line, "bad_choice", lang, field=name, value=(wrong or [value])[0][:80]))
                continue
            parsed[field.id] = chosen if field.widget == "multiple" else chosen[0]
        elif field.widget == "sources":
            sources = []
            for offset, entry in enumerate(value.split("\n"), start=1):
                entry = entry.strip().lstrip("-* ").strip()
                if not entry:
                    continue
                title, _, address = entry.rpartition(" | ") if " | " in entry else (entry, "", "")
                if not title.strip() or (address and not address.strip().startswith(("https://", "http://"))):
                    issues.append(_say(file, line + offset - 1, "bad_source", lang, entry=entry[:80]))
                    continue
                sources.append({"title": title.strip(), **({"url": address.strip()} if address else {})})
            parsed["sources"] = sources
        else:
            parsed[field.id] = value
    id_field = field_label(FIELD["id"])
    given = "id" in parsed
    record_id = parsed["id"] if given else slug(parsed.get("title", ""))
    id_line = lines.get("id" if given else "title", 1)
    id_schema = forms.schemas.inlined_field("practice", ("id",))
    if given and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record_id):
        issues.append(_say(file, id_line, "bad_id", lang, value=record_id[:80]))
    elif given and len(record_id) > id_schema["maxLength"]:
        issues.append(_say(file, id_line, "long_id", lang, value=record_id[:80] + "…", limit=id_schema["maxLength"]))
    elif not given and "title" in parsed and not re.search("[a-z]", record_id):
        issues.append(_say(file, id_line, "no_id", lang, field=id_field))
    elif record_id in RESERVED_NAMES:
        issues.append(_say(file, id_line, "reserved_id", lang, value=record_id, field=id_field))
    if issues:
        return None, issues
    record = {"id": record_id, "lang": parsed.get("lang", DEFAULT_LANGUAGE)}
    source = record["lang"]
    for key in ("title", "summary", "actions", "results"):
        if key in parsed:
            record[key] = {source: parsed[key]}
    record["location"] = {"country": parsed.get("country", "")}
    if parsed.get("regions"):
        record["location"]["regions"] = parsed["regions"]
    for key in ("themes", "target_groups", "evidence", "sources"):
        if key in parsed:
            record[key] = parsed[key]
    record["updated"] = today
    return record, []


def record_text(record: dict, issue_number: str | None) -> str:
    """The record as YAML, texts of several lines as blocks, with the schema modeline."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    from .skeleton import EDITOR_SCHEMA

    def blocks(value):
        if isinstance(value, dict):
            return {key: blocks(child) for key, child in value.items()}
        if isinstance(value, list):
            return [blocks(child) for child in value]
        return LiteralScalarString(value) if isinstance(value, str) and "\n" in value else value
    yaml = YAML()
    yaml.width, yaml.allow_unicode = 4096, True
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(blocks(record), stream)
    origin = f"# Proposed in issue #{issue_number} through the practice form.\n" if issue_number else ""
    return f"# yaml-language-server: $schema={EDITOR_SCHEMA.format(kind='practice')}\n{origin}{stream.getvalue()}"


def from_issue(root: Path, body_file: Path, issue_number: str | None, today: str | None, out) -> int:
    """Write practices/<id>.yml from a form body, keep it only if it validates."""
    from .build import check
    from .report import format_text
    shown = body_file.name
    try:  # a regular file inside the knowledge base (the workflow writes it into build/)
        body = files.read_bytes(body_file, root, "issue").decode("utf-8", errors="replace").replace("\r\n", "\n")
    except files.Refused as refused:
        out.write(format_text([refused.issue]) + "\n")
        return 1
    forms = Forms(root)
    record, issues = read_practice(body, forms, shown, today or datetime.date.today().isoformat())
    if record is None:
        out.write(format_text(issues) + "\n")
        return 1
    lang = record["lang"]
    target = root / KINDS["practice"] / f"{record['id']}.yml"
    taken = {path.stem: f"{folder}/{path.name}" for folder in KINDS.values() for path in (root / folder).glob("*.yml")}
    if record["id"] in taken:  # an identifier is its file's name, unique across the kinds
        by_heading = {heading: line for heading, value, line in sections(body) if value and value != NO_RESPONSE}
        line = by_heading.get(field_label(FIELD["id"])) or by_heading.get(field_label(FIELD["title"]), 1)
        out.write(format_text([_say(shown, line, "exists", lang, file=taken[record["id"]])]) + "\n")
        return 1
    try:  # never through a link or into a linked folder
        files.write_text(target, root, record_text(record, issue_number))
    except files.Refused as refused:
        out.write(format_text([refused.issue]) + "\n")
        return 1
    written = target.relative_to(root).as_posix()
    found = [issue for issue in check(root).issues if issue.file == written]
    if any(issue.severity == "error" for issue in found):
        target.unlink()
        out.write(format_text(found) + "\n")
        return 1
    if found:
        out.write(format_text(found) + "\n")
    out.write(text("written", lang, file=written) + "\n")
    return 0
