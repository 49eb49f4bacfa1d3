"""Stage 5: the whole pipeline, and MkDocs at arm's length.

load → validate → model → render into build/docs (a folder per language), then one
`mkdocs build --strict` per language, all at once, into a temporary folder that replaces site/
only when every language succeeded; Pagefind indexes the merged site."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import DEFAULT_LANGUAGE, LANGUAGES, messages, pausing_gc
from . import files as files_
from . import search_index, search_words
from .issues import Issue
from .load import ParseCache, load_tree
from .model import KnowledgeBase, build_model
from .processes import CHILDREN, STOP_SIGNALS
from .render import labels, render_site, routes
from .render.generators import hand_written_issues
from .schemas import Schemas
from .site import CONFIG, Site
from .validate import validate_tree

DOCS_DIR = Path("build/docs")  # build/docs/<lang>: one MkDocs project per language
CONFIG_DIR = Path("build/mkdocs")  # the mkdocs.yml of each language
SITE_DIR = Path("site")
ASSETS = Path("docs/assets")
SITE_SOURCES = (ASSETS, Path("docs/overrides"))  # copied or read by MkDocs as they are: checked file by file


@dataclass
class Checked:
    issues: list[Issue]
    kb: KnowledgeBase | None  # None when there are errors

    @property
    def ok(self) -> bool:
        return self.kb is not None


CACHE_FILE = Path("build/cache/parsed.json")


def check(root: Path, cache: ParseCache | None = None, memo: dict | None = None) -> Checked:
    """Load and validate everything; build the model only if nothing is wrong.
    Without a cache given, parsed files are cached in build/cache between runs."""
    schemas = Schemas.load(root / "schemas")
    cache = cache or ParseCache(root / CACHE_FILE)
    tree, issues = load_tree(root, cache)
    cache.save()
    issues += labels.check(schemas) + hand_written_issues(root / routes.PAGES_DIR, root) + site_issues(root)
    issues += [issue for folder in SITE_SOURCES for issue in files_.tree_issues(root / folder, root)] + synonyms_issues(root)
    issues = capped(sorted(set(issues + validate_tree(tree, schemas, memo))))
    if any(issue.severity == "error" for issue in issues):
        return Checked(issues, None)
    return Checked(issues, build_model(tree, schemas))


MAX_ISSUES_PER_FILE = 100  # a pasted list of 5,000 wrong terms says so in a screenful, not in 5,000 lines


def capped(issues: list[Issue]) -> list[Issue]:
    """At most MAX_ISSUES_PER_FILE issues of one file, then one that counts the rest (issues come
    sorted by file, so each file's stay together and in order)."""
    by_file: dict = {}
    for issue in issues:
        by_file.setdefault(issue.file, []).append(issue)
    kept = []
    for file, found in by_file.items():
        kept += found[:MAX_ISSUES_PER_FILE]
        hidden = found[MAX_ISSUES_PER_FILE:]
        if hidden:
            kept.append(messages.issue(file, hidden[0].line, hidden[0].col, "report.more", count=len(hidden),
                                       severity="error" if any(issue.severity == "error" for issue in hidden) else "warning"))
    return kept


def synonyms_issues(root: Path) -> list[Issue]:
    """synonyms.yml is read by the build's search step: checked with everything else, before it."""
    try:
        search_words.load_synonyms(root)
    except search_words.SynonymsError as error:
        return [error.issue]
    return []


def site_issues(root: Path) -> list[Issue]:
    """mkdocs.yml: a regular file of plain YAML that names no code for MkDocs to run (hooks), and
    the published address, on which permanent links, citations and QR codes are built."""
    if not os.path.lexists(root / CONFIG):
        return []
    try:
        config = yaml.safe_load(files_.read_text(root / CONFIG, root, "settings"))
    except files_.Refused as refused:
        return [refused.issue]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [messages.issue(CONFIG, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "site.config",
                               problem=str(getattr(error, "problem", None) or error).splitlines()[0])]
    if not isinstance(config, dict):
        return [messages.issue(CONFIG, 1, 1, "site.config", problem="it is not a mapping of settings")]
    if "hooks" in config:
        return [messages.issue(CONFIG, 1, 1, "site.hooks")]
    if not Site.load(root).url:
        return [messages.issue(CONFIG, 1, 1, "site.no_url")]
    return []


def render(root: Path, kb: KnowledgeBase) -> dict[str, str]:
    return render_site(kb, Schemas.load(root / "schemas"), root / routes.PAGES_DIR, jobs=os.cpu_count() or 1,
                       site=Site.load(root))


@pausing_gc
def write_docs(files: dict[str, str], docs_dir: Path, known: dict[str, str] | None = None) -> list[str]:
    """Make docs_dir hold exactly `files`, touching only what changed, so that the preview
    server rebuilds only what really changed. `known` is what the caller wrote last time,
    which spares reading every file back. Returns changed paths."""
    changed = []
    fresh = not docs_dir.exists()
    made: set = set()
    for relative, content in files.items():
        target = docs_dir / relative
        if known is not None and known.get(relative) == content:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
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
        except OSError as error:  # a full disk names no file: the report must
            error.filename = error.filename or str(target)
            raise
        changed.append(relative)
    if fresh or (known is not None and set(known) <= set(files)):
        return changed  # nothing can have disappeared
    for existing in sorted(docs_dir.rglob("*"), reverse=True):
        relative = existing.relative_to(docs_dir).as_posix()
        if existing.is_file() and relative not in files:
            existing.unlink()
            changed.append(relative)
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return changed


def with_assets(files: dict, assets_dir: Path) -> dict:
    """The rendered files and the site's assets (docs/assets → assets/), read once for every language."""
    root = assets_dir.parents[len(ASSETS.parts) - 1]  # checked by files.tree_issues before anything is rendered
    assets = {f"assets/{asset.relative_to(assets_dir).as_posix()}": files_.read_bytes(asset, root, "asset")
              for asset in sorted(assets_dir.rglob("*")) if files_.is_regular(asset)} if files_.is_folder(assets_dir, root) else {}
    return {**files, **assets}


def language_layout(files: dict, lang: str, prefix: str | None = None) -> dict:
    """One language's pages and files under plain names below `prefix`, the language's folder in
    the site (uk/practices/x.md) unless told otherwise. Of files without a language suffix (the
    shared assets) the build at the site's root takes them; localised ones
    (assets/guide/x.uk.jpg) go with their language."""
    prefix = routes.URL_PREFIX[lang] if prefix is None else prefix
    own = routes.single_language(files, lang)
    if not prefix:
        own.update({path: content for path, content in files.items() if routes.language_of_file(path) is None})
    return {prefix + path: content for path, content in own.items()}


def real_folder(root: Path, folder: Path) -> Path:
    """root/folder, refusing a symbolic link on the way there: kb writes and removes files in its
    folders under build/, and a link (a repository may hold one) would lead it anywhere."""
    path = root
    for part in folder.parts:
        path = path / part
        if path.is_symlink():
            raise OSError(errno.ELOOP, "a symbolic link", str(path))
    return path


def write_languages(files: dict, root: Path) -> None:
    """build/docs/<lang> for every language: the Markdown that MkDocs turns into that language's pages."""
    docs = real_folder(root, DOCS_DIR)
    for lang in LANGUAGES:
        real_folder(root, DOCS_DIR / lang)
    for stale in (docs.iterdir() if docs.is_dir() else []):  # an older layout's files
        if stale.name not in LANGUAGES:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    files = with_assets(files, root / ASSETS)
    for lang in LANGUAGES:
        write_docs(language_layout(files, lang), docs / lang)


def language_config(root: Path, lang: str, docs_dir: Path, site_dir: Path, prefix: str | None = None) -> dict:
    """MkDocs' settings for one language: the site's own (mkdocs.yml) with that language's name,
    description and interface language, its pages below `prefix` (its folder in the site unless
    told otherwise), and the language switcher (the kb plugin points it at the same page)."""
    config = yaml.safe_load(files_.read_text(root / CONFIG, root, "settings"))  # checked by site_issues
    languages = config.pop("languages")
    language = next(entry for entry in languages if entry["locale"] == lang)
    config.update({key: language[key] for key in ("site_name", "site_description") if key in language})
    prefix = routes.URL_PREFIX[lang] if prefix is None else prefix
    config["nav"] = [prefix + entry if isinstance(entry, str) else {title: prefix + path for title, path in entry.items()}
                     for entry in config["nav"]]
    base = urlsplit(config.get("site_url") or "").path.rstrip("/")
    config["extra"] = {**config.get("extra", {}), "language_prefix": prefix, "alternate": [
        {"name": entry["name"], "link": f"{base}/{routes.URL_PREFIX[entry['locale']]}", "lang": entry["locale"]}
        for entry in languages]}
    config["docs_dir"], config["site_dir"] = str(docs_dir.resolve()), str(site_dir.resolve())
    config["theme"] = {**config["theme"], "language": lang, "custom_dir": str((root / config["theme"]["custom_dir"]).resolve())}
    config["plugins"] = [{"kb": {"root": str(root.resolve())}} if plugin == "kb" else plugin for plugin in config["plugins"]]
    return config


def write_config(config: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_command(command: str, config: Path, *options: str) -> list[str]:
    """The one way MkDocs is invoked (build and serve), so a move to another engine is one change."""
    return [sys.executable, "-m", "mkdocs", command, "--config-file", str(config), *options]


def run_mkdocs(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Every language built by MkDocs at once, each in a process of its own (MkDocs uses one
    core), from build/docs/<lang> into a folder of its own; then merged: the default language's
    build gives the root (its pages, the theme's files, the 404 page), each other language its
    folder. Pagefind then indexes the whole site once. Output and exit code of them all.
    The languages' folders are temporary (build/staging); `site_dir` must be on the same disk."""
    with temporary_folder(root, "languages") as parts:
        configs = {lang: write_config(language_config(root, lang, root / DOCS_DIR / lang, parts / lang), real_folder(root, CONFIG_DIR) / f"{lang}.yml")
                   for lang in LANGUAGES}
        # No --quiet: it hides the warnings that --strict counts, and a broken link would pass.
        with ThreadPoolExecutor(len(configs)) as pool:
            results = list(pool.map(lambda config: CHILDREN.run(mkdocs_command("build", config, "--strict"), cwd=root,
                                                                 env=mkdocs_env()),
                                    configs.values()))
        outcome = subprocess.CompletedProcess([str(config) for config in configs.values()], next((r.returncode for r in results if r.returncode), 0),
                                              "".join(r.stdout for r in results), "".join(r.stderr for r in results))
        raise_os_error(outcome.stdout + outcome.stderr, returncode=outcome.returncode)  # MkDocs could not write (a full disk)
        if outcome.returncode != 0:
            return outcome
        shutil.rmtree(site_dir, ignore_errors=True)
        (parts / DEFAULT_LANGUAGE).replace(site_dir)
        for lang in LANGUAGES:
            if routes.URL_PREFIX[lang]:
                (parts / lang / routes.URL_PREFIX[lang]).replace(site_dir / routes.URL_PREFIX[lang])
    started = time.perf_counter()
    try:  # the word forms and synonyms for the search script, while Pagefind indexes
        indexed = search_index.index(site_dir, meanwhile=lambda: search_words.write(site_dir, root))
    except search_words.SynonymsError as error:
        outcome.returncode, outcome.stderr = 1, outcome.stderr + f"{error}\n"
        return outcome
    raise_os_error(indexed.stdout + indexed.stderr, site_dir, indexed.returncode)
    outcome.returncode = indexed.returncode
    outcome.stderr += indexed.stdout + indexed.stderr + ("" if indexed.returncode == 0 else "Pagefind could not index the site.\n")
    if indexed.returncode == 0:  # the benchmark reads this line
        outcome.stderr += f"INFO    -  Pagefind indexed the site in {time.perf_counter() - started:.2f} s\n"
    return outcome


# What a child process says when it cannot write: Python's "[Errno 28] No space left on device:
# '/path'" or "…: 'from' -> 'to'" (the end of MkDocs' traceback), Rust's "No space left on
# device (os error 28)" (Pagefind).
TRACEBACK = "Traceback (most recent call last)"  # a Python child (MkDocs) that crashed says this first
PYTHON_OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^\n]*)")
RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)")


def raise_os_error(output: str, path: Path | None = None, returncode: int = 0) -> None:
    """A child's failure to read or write a file, raised here as the OSError it was, so that it is
    reported in one line like the same failure in this process (cli.main); a child stopped by
    SIGXFSZ (Pagefind's binary over the file size limit) counts as EFBIG."""
    if returncode in (-signal.SIGXFSZ, 128 + signal.SIGXFSZ):
        raise OSError(errno.EFBIG, os.strerror(errno.EFBIG), str(path) if path else None)
    if returncode == 0:
        return
    if TRACEBACK in output and (found := list(PYTHON_OS_ERROR.finditer(output))):
        number, rest = found[-1].groups()
        reason, _, quoted = rest.partition(": '")
        names = re.findall(r"'([^'\n]*)'", "'" + quoted) if quoted else []
        raise OSError(int(number), reason, names[-1] if names else (str(path) if path else None))
    if found := RUST_OS_ERROR.search(output):
        number = int(found.group(1))
        raise OSError(number, os.strerror(number), str(path) if path else None)


STAGING_DIR = Path("build/staging")  # a build's temporary folders, beside site/ on the same disk; git ignores build/
LEGACY_TEMPORARY = re.compile(r"\.(site|languages)-[a-z0-9_]{8}|\.site-previous")  # where older versions left them


@contextlib.contextmanager
def temporary_folder(root: Path, purpose: str):
    """A fresh folder in build/staging, removed afterwards whatever happens. It is locked while
    this process uses it (flock on the folder itself, released by the system when the process
    dies), so a later build knows a killed build's folder from one another build is using."""
    staging = real_folder(root, STAGING_DIR)
    clear_stale(root)
    staging.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{purpose}-", dir=staging))
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(handle)


def clear_stale(root: Path) -> None:
    """Remove what killed builds left: unlocked folders in build/staging, and the temporary
    folders older versions made beside site/."""
    staging = root / STAGING_DIR
    for folder in sorted(staging.iterdir()) if staging.is_dir() else []:
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()
            continue
        handle = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a build that is running
        else:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(handle)
    for folder in root.iterdir():
        if LEGACY_TEMPORARY.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def build_site(root: Path) -> subprocess.CompletedProcess:
    """Build into a fresh folder on site/'s disk, then swap it in; a failed or interrupted build
    leaves site/ as it was and no temporary folder behind."""
    site = root / SITE_DIR
    with temporary_folder(root, "site") as work:
        result = run_mkdocs(root, work / "site")
        if result.returncode == 0:
            swap(work / "site", site, work / "previous")
    return result


def swap(new: Path, site: Path, previous: Path) -> None:
    """site/ replaced by `new` in two renames; if the second fails, the first is undone. A stop
    signal waits until both are done (site/ is never missing)."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        moved = site.exists() or site.is_symlink()
        if moved:
            site.replace(previous)
        try:
            new.replace(site)
        except OSError:
            if moved:
                previous.replace(site)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
