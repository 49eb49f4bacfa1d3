"""Stage 5: the whole pipeline, and MkDocs at arm's length.

load → validate → model → render into build/docs, then `mkdocs build --strict` into a
temporary folder that replaces site/ only when everything succeeded."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import messages, pausing_gc
from .issues import Issue
from .load import ParseCache, load_tree
from .model import KnowledgeBase, build_model
from .render import labels, render_site, routes
from .render.generators import hand_written_issues
from .schemas import Schemas
from .site import Site
from .validate import validate_tree

DOCS_DIR = Path("build/docs")
SITE_DIR = Path("site")
ASSETS = Path("docs/assets")


@dataclass
class Checked:
    issues: list[Issue]
    kb: KnowledgeBase | None  # None when there are errors

    @property
    def ok(self) -> bool:
        return self.kb is not None


CACHE_FILE = Path("build/cache/parsed.pickle")


def check(root: Path, cache: ParseCache | None = None, memo: dict | None = None) -> Checked:
    """Load and validate everything; build the model only if nothing is wrong.
    Without a cache given, parsed files are cached in build/cache between runs."""
    schemas = Schemas.load(root / "schemas")
    cache = cache or ParseCache(root / CACHE_FILE)
    tree, issues = load_tree(root, cache)
    cache.save()
    issues += labels.check(schemas) + hand_written_issues(root / routes.PAGES_DIR, root) + site_issues(root)
    issues = sorted(set(issues + validate_tree(tree, schemas, memo)))
    if any(issue.severity == "error" for issue in issues):
        return Checked(issues, None)
    return Checked(issues, build_model(tree, schemas))


def site_issues(root: Path) -> list[Issue]:
    """The published address must be known: permanent links, citations and QR codes are built on it."""
    if (root / "mkdocs.yml").is_file() and not Site.load(root).url:
        return [messages.issue("mkdocs.yml", 1, 1, "site.no_url")]
    return []


def render(root: Path, kb: KnowledgeBase) -> dict[str, str]:
    return render_site(kb, Schemas.load(root / "schemas"), root / routes.PAGES_DIR, jobs=os.cpu_count() or 1,
                       site=Site.load(root))


@pausing_gc
def write_docs(files: dict[str, str], docs_dir: Path, assets_dir: Path | None = None,
               known: dict[str, str] | None = None) -> list[str]:
    """Make docs_dir hold exactly `files` (plus assets), touching only what changed, so that
    the preview server rebuilds only what really changed. `known` is what the caller wrote
    last time, which spares reading every file back. Returns changed paths."""
    wanted = dict(files)
    if assets_dir is not None and assets_dir.is_dir():
        for asset in sorted(assets_dir.rglob("*")):
            if asset.is_file():
                wanted[f"assets/{asset.relative_to(assets_dir).as_posix()}"] = asset.read_bytes()
    changed = []
    fresh = not docs_dir.exists()
    made: set = set()
    for relative, content in wanted.items():
        target = docs_dir / relative
        if known is not None and known.get(relative) == content:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        if not fresh and target.is_file():
            if target.read_bytes() == data:
                continue
            temporary = target.with_name(target.name + ".tmp")  # a watcher may be reading it: replace it whole
            temporary.write_bytes(data)
            temporary.replace(target)
        else:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        changed.append(relative)
    if fresh or (known is not None and set(known) <= set(wanted)):
        return changed  # nothing can have disappeared
    for existing in sorted(docs_dir.rglob("*"), reverse=True):
        relative = existing.relative_to(docs_dir).as_posix()
        if existing.is_file() and relative not in wanted:
            existing.unlink()
            changed.append(relative)
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return changed


def mkdocs_env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_command(command: str, config: Path, *options: str) -> list[str]:
    """The one way MkDocs is invoked (build and serve), so a move to another engine is one change."""
    return [sys.executable, "-m", "mkdocs", command, "--config-file", str(config), *options]


def run_mkdocs(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    # No --quiet: it hides the warnings that --strict counts, and a broken link would pass.
    return subprocess.run(mkdocs_command("build", root / "mkdocs.yml", "--strict", "--site-dir", str(site_dir)),
                          cwd=root, env=mkdocs_env(), capture_output=True, text=True)


def build_site(root: Path) -> subprocess.CompletedProcess:
    """Build into a fresh folder beside site/, then swap it in; a failed build leaves site/ as it was."""
    site = root / SITE_DIR
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=root))
    result = run_mkdocs(root, staging)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return result
    previous = root / ".site-previous"
    shutil.rmtree(previous, ignore_errors=True)
    if site.exists():
        site.replace(previous)
    staging.replace(site)
    shutil.rmtree(previous, ignore_errors=True)
    return result
