"""The site's own facts, read from mkdocs.yml (their one place): its published address and its
name in each language. Permanent addresses, citations, QR codes, feeds and the sitemap are
built from them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import DEFAULT_LANGUAGE, PACKAGE_DIR, files

CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class Site:
    url: str  # the published address of the default language's home page, ending in /
    names: dict  # lang → the site's name in that language
    permalink_title: str = "Permanent link"  # the headings' ¶ link (the toc extension's permalink_title)

    @classmethod
    def load(cls, root: Path) -> "Site":
        return _load(str((root / CONFIG).resolve()) if (root / CONFIG).is_file() else str(PACKAGE_DIR.parents[1] / CONFIG))

    @classmethod
    def default(cls) -> "Site":
        """The repository's own mkdocs.yml (for a renderer made without a project root, as in tests)."""
        return _load(str(PACKAGE_DIR.parents[1] / CONFIG))


@lru_cache(maxsize=None)
def _load(path: str) -> Site:
    config = yaml.safe_load(files.read_text(Path(path), Path(path).parent, "settings"))
    url = config.get("site_url") or ""  # missing: kb build says so (build.check) before anything is made
    names = {DEFAULT_LANGUAGE: config["site_name"]}
    for language in config.get("languages", []):
        names[language["locale"]] = language.get("site_name", config["site_name"])
    toc = next((extension["toc"] for extension in config.get("markdown_extensions", [])
                if isinstance(extension, dict) and "toc" in extension), {}) or {}
    return Site(url.rstrip("/") + "/" if url else "", names, toc.get("permalink_title", "Permanent link"))
