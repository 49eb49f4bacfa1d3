"""What the one-page practice handout shows: the start of each long text, within limits that
keep the page on one sheet of A4 in every language (tests/test_citation.py prints every one)."""
from __future__ import annotations

from markupsafe import Markup

from . import routes
from .markup import plain_text

# Characters of each text on the handout; the rest is on the practice's page (its QR code).
HANDOUT_TEXTS = (("summary", 900), ("actions", 1000), ("results", 650))
HANDOUT_CONTACTS = 2


class HandoutPage:
    """Mixed into Page."""

    def handout_url(self, practice) -> str:
        """For raw HTML, where MkDocs does not rewrite links."""
        return routes.relative_url(self.path, routes.handout(practice.id, self.lang))

    def handout_texts(self, practice) -> list:
        """(field, heading or None for the summary, the start of the text as inline Markup), for the texts it has."""
        parts = []
        for field, limit in HANDOUT_TEXTS:
            value, lang = self.pick(getattr(practice, field), practice.lang)
            if value:
                heading = None if field == "summary" else self.L["field"][field]
                parts.append((field, heading, self.text({lang: plain_text(value, limit)}, lang)))
        return parts

    def handout_contacts(self, practice) -> list:
        return (practice.contacts or [])[:HANDOUT_CONTACTS]
