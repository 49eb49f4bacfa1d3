"""What the method guide and indicators templates get beyond Page: deadlines with the provision
that sets each, links to indicators, and the data the work-plan script needs."""
from __future__ import annotations

from markupsafe import Markup

from ..model import Method, Stage
from . import labels, routes
from .markup import script_json

PLAN_TEXTS = ("progress", "cleared")  # labels the work-plan script gets by key


class MethodPage:
    def deadlines(self, stage: Stage) -> list:
        """(when, the provision that sets it) for each deadline of a stage, in order."""
        return list(zip(stage.deadlines, stage.refs.get("deadlines.provision", [])))

    def indicator_link(self, indicator_id: str) -> Markup:
        term = self.renderer.kb.taxonomy["indicators"][indicator_id]
        return Markup(f"[{self.text(term.label, None)}]({self.href(routes.indicators(self.lang), indicator_id)})")

    def stage_anchor_link(self, stage: Stage) -> Markup:
        return Markup(f"[{self.text(stage.title, stage.method.lang)}](#{stage.id})")

    def plan_data(self, method: Method) -> Markup:
        """Stage and item ids and the script's words, as JSON safe inside <script>."""
        data = {"method": method.id,
                "stages": [{"id": stage.id, "items": [item["id"] for item in stage.checklist]} for stage in method.stages],
                "texts": {key: labels.text(("plan", key), self.lang) for key in PLAN_TEXTS}}
        return script_json(data)
