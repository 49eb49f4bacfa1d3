"""What the standard and self-assessment templates get beyond Page: the rule in words (from the
one evaluator, kb.assessment), the answer choices, what helps with each criterion, and the data
the self-assessment script needs."""
from __future__ import annotations

import html

from markupsafe import Markup

from .. import assessment
from ..model import Criterion, Standard
from . import labels, routes
from .markup import script_json

# Labels the script gets by key (the page's JSON), and those picked by a value (a level, a kind of
# threshold): named here, since no template or call names them one by one.
ASSESS_TEXTS = ("verdict_met", "verdict_not-met", "verdict_incomplete", "verdict_not-applicable", "reason",
                "reason_na", "reason_unanswered", "holds", "fails", "open", "met", "not-met", "na", "unanswered",
                "cleared", "number", "identifier", "area", "level", "requirement", "answer", "answers", "note",
                "institution", "assessor", "date", "report", "next_intro", "next_none", "helps_none", "source")
CHOSEN_BY_VALUE = ("selection_mandatory", "selection_extended", "requires_all", "requires_count", "requires_share")


class StandardPage:
    # The assessment's own fields: name, input type, what the browser may fill in.
    about_fields = (("institution", "text", "organization"), ("assessor", "text", "name"), ("date", "date", "off"))
    limits = {"note": 2000, "field": 300}  # characters kept of a note and of a field: the inputs' maxlength

    def selection(self, standard: Standard, condition: dict) -> str:
        """The criteria a condition counts, named in the reader's language."""
        area = condition.get("area") and self.area_name(condition["area"])
        if condition.get("criteria"):
            numbers = ", ".join(str(c.number) for c in standard.criteria if c.id in condition["criteria"])
            return self.words("assess", "selection_numbers").format(numbers=numbers)
        if condition.get("level") and area:
            return self.words("assess", "selection_level_area").format(level=self.words("assess", f"selection_{condition['level']}"), area=area)
        if condition.get("level"):
            return self.words("assess", f"selection_{condition['level']}")
        if area:
            return self.words("assess", "selection_area").format(area=area)
        return self.words("assess", "selection_all")

    def area_name(self, area: str) -> str:
        return self.renderer.kb.taxonomy["criterion_areas"][area].label[self.lang]

    def area_html(self, area: str) -> Markup:
        return Markup(html.escape(self.area_name(area)))

    def rule_lines(self, standard: Standard) -> list[Markup]:
        """Each condition of the rule in words, with its counts when every criterion applies:
        worked out by the evaluator on an empty assessment."""
        result = assessment.evaluate(standard.rule, standard.data["criteria"], {})
        lines = []
        for condition, counts in zip(standard.rule["require"], result["conditions"]):
            at_least, values = condition["at_least"], {"selection": self.selection(standard, condition),
                                                       "total": counts["selected"], "needed": counts["needed"]}
            if at_least == "all":
                key = "requires_all"
            elif isinstance(at_least, str):
                key, values["percent"] = "requires_share", at_least[:-1]
            else:
                key = "requires_count"
            lines.append(Markup(self.escape(self.words("assess", key).format(**values))))
        return lines

    def assessment_title(self, standard: Standard) -> str:
        return self.words("assess", "title").format(standard=self.pick(standard.title, standard.lang)[0])

    def assessment_href(self, standard: Standard) -> str:
        return self.href(routes.assessment(standard.id, self.lang))

    def assessment_anchor(self, standard: Standard) -> Markup:
        """A link to a standard's self-assessment inside raw HTML."""
        address = routes.rooted_url(self.path, routes.assessment(standard.id, self.lang))
        return Markup('<a href="{}">{}</a>').format(address, self.html_label("field", "self_assessment"))

    def standard_url(self, standard: Standard, anchor: str = "") -> str:
        """For raw HTML, where MkDocs does not rewrite links."""
        return routes.relative_url(self.path, routes.record("standard", standard.id, self.lang)) + (f"#{anchor}" if anchor else "")

    def answer_choices(self) -> list:
        return [(answer, self.html_label("assess", answer)) for answer in assessment.ANSWERS]

    def helps(self, criterion: Criterion) -> list:
        """What addresses a criterion, as (kind label, title, address) for raw HTML."""
        return [(self.html_label("kind", record.kind), self.html(record.title, record.lang),
                 routes.relative_url(self.path, routes.record(record.kind, record.id, self.lang)))
                for record in criterion.practices + criterion.recommendations]

    def assessment_data(self, standard: Standard) -> Markup:
        """What the self-assessment script needs, as JSON safe inside <script>."""
        data = {
            "standard": standard.id,
            "title": self.pick(standard.title, standard.lang)[0],
            "rule": {"require": standard.rule["require"]},
            "criteria": [{"id": c.id, "number": c.number, "level": c.level, "area": c.area} for c in standard.criteria],
            "selections": [self.selection(standard, condition) for condition in standard.rule["require"]],
            "levels": {c.level: labels.text(("level", c.level), self.lang) for c in standard.criteria},
            "areas": {area: self.area_name(area) for area, _ in standard.areas()},
            "texts": {key: labels.text(("assess", key), self.lang) for key in ASSESS_TEXTS},
            "fields": [name for name, _, _ in self.about_fields],
            "limits": self.limits,
            "csv_separator": labels.text(("assess", "csv_separator"), self.lang),
        }
        return script_json(data)
