"""Stage 1: read every record file and taxonomy.yml into Documents (yaml12.py parses them),
before anything is checked or written. Only regular .yml files inside the knowledge base are
read; files over MAX_FILE_BYTES, links, folders and other files are reported, never followed."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from . import KINDS, SHARED_FILES, files, messages, pausing_gc
from .issues import Issue
from .yaml12 import Document, parse_text  # the loader's results; tests reach the parser through here too

MAX_FILE_BYTES = files.LIMITS["record"]
LINE_SEPARATORS = re.compile("[\u0085\u2028\u2029]")
MAX_CACHE_BYTES = 512 * 2**20  # 1,000 practices' cache is about 40 MB


def cache_key() -> bytes | None:
    """The secret that signs parse caches, kept outside any knowledge base (in the user's cache
    folder, written once by the tool, never named by content), so that a cache committed to a
    repository or copied from elsewhere is not trusted. None when it cannot be kept: then
    nothing is cached on disk."""
    path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kb" / "cache-key"
    try:
        if path.is_file() and not path.is_symlink():
            key = path.read_bytes()
            if len(key) == 32:
                return key
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        temporary = path.with_name(f".cache-key.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
        os.replace(temporary, path)  # two runs at once: the last key wins, the other's cache is only rebuilt
        return key
    except (OSError, RuntimeError):  # no home folder, or not writable
        return None


def _entry(value) -> tuple | None:
    """A cache entry read back from JSON, or None if it is not of the shape save() writes."""
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(table, list) for table in value[1:])):
        return None
    positions = []
    for table in value[1:]:
        converted = {}
        for item in table:
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], list)
                    and type(item[1]) is int and type(item[2]) is int):
                return None
            converted[tuple(item[0])] = (item[1], item[2])
        positions.append(converted)
    return value[0], positions[0], positions[1]


def _plain(data) -> bool:
    """Only data JSON gives back unchanged is cached (YAML allows keys that are not text)."""
    if isinstance(data, dict):
        return all(isinstance(key, str) and _plain(value) for key, value in data.items())
    if isinstance(data, list):
        return all(_plain(value) for value in data)
    return data is None or isinstance(data, (str, bool, int)) or isinstance(data, float) and data == data and abs(data) != float("inf")


class ParseCache:
    """Parsed documents by the SHA-256 of their bytes, so an unchanged file is never parsed twice:
    kept in memory by the preview server, and on disk (build/cache) between runs. On disk it is
    JSON (never a format that can run code when read) signed with cache_key(): a cache that was
    tampered with, planted in the repository or made on another machine is ignored and rebuilt."""

    VERSION = 2  # bump when the loader's output changes

    def __init__(self, path: Path | None = None, read_only: bool = False):
        self.path, self.entries, self.used, self.added = path, {}, set(), False
        self.read_only = read_only  # read from disk, kept in memory only (the preview: a save must not wait for it)
        self.key = cache_key() if path is not None else None
        if self.key is not None and files.is_regular(path):
            self.entries = self._read(path)

    def _read(self, path: Path) -> dict:
        try:
            with path.open("rb") as stream:
                raw = stream.read(MAX_CACHE_BYTES + 1)
            signature, _, body = raw.partition(b"\n")
            if len(raw) > MAX_CACHE_BYTES or not hmac.compare_digest(signature, self._sign(body)):
                return {}
            version, entries = json.loads(body)
        except (OSError, ValueError, TypeError):  # a damaged cache is only a slower run
            return {}
        if version != self.VERSION or not isinstance(entries, dict):
            return {}
        return {digest: entry for digest, value in entries.items() if (entry := _entry(value)) is not None}

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self.key, body, hashlib.sha256).hexdigest().encode()

    def get(self, digest: str, file: str) -> Document | None:
        entry = self.entries.get(digest)
        if entry is None:
            return None
        self.used.add(digest)
        data, positions, key_positions = entry
        return Document(file, data, digest, positions, key_positions)

    def put(self, document: Document) -> None:
        if _plain(document.data):
            self.entries[document.digest] = (document.data, document.positions, document.key_positions)
            self.used.add(document.digest)
            self.added = True

    def save(self) -> None:
        """Keep only what this run used, so the cache does not grow with history; written only
        when that changed it (writing 1,000 records' cache took a third of a second)."""
        kept = {digest: self.entries[digest] for digest in self.used if digest in self.entries}
        changed, self.added = self.added or len(kept) != len(self.entries), False
        self.entries = kept
        if self.path is not None and self.key is not None and changed and not self.read_only:
            body = json.dumps([self.VERSION, {digest: [data, [[list(path), *at] for path, at in positions.items()],
                                                       [[list(path), *at] for path, at in key_positions.items()]]
                                              for digest, (data, positions, key_positions) in self.entries.items()}],
                              ensure_ascii=False, separators=(",", ":")).encode()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                temporary = self.path.with_suffix(".tmp")
                temporary.write_bytes(self._sign(body) + b"\n" + body)
                temporary.replace(self.path)
            except OSError:  # no room for a cache is only a slower next run
                pass
        self.used = set()


def load_file(path: Path, root: Path, cache: ParseCache | None = None) -> tuple[Document | None, list[Issue]]:
    """Read one file through files.read_bytes (regular files inside the knowledge base only, at
    most MAX_FILE_BYTES). Problems with the bytes or the YAML come back as issues."""
    file = files.shown(path, root)
    try:
        raw = files.read_bytes(path, root, "record")
    except files.Refused as refused:
        return None, [refused.issue]
    digest = hashlib.sha256(raw).hexdigest()
    cached = cache.get(digest, file) if cache is not None else None
    if cached is not None:
        return cached, []
    text, issues = files.decode(raw, file)
    if text is None:
        return None, issues
    separator = LINE_SEPARATORS.search(text)
    if separator:  # YAML 1.2 and git read them as text, the parser as line breaks: a comment could hide a field
        line = text.count("\n", 0, separator.start()) + 1
        return None, [messages.issue(file, line, separator.start() - text.rfind("\n", 0, separator.start()), "yaml.line_separator",
                                     character=ord(separator.group(0)))]
    document, issues = parse_text(text, file, digest)
    if document is not None and cache is not None:
        cache.put(document)
    return document, issues


@dataclass
class Tree:
    """Every document of a knowledge base, read before anything is written."""

    root: Path
    records: dict = field(default_factory=dict)  # kind → list of Documents
    taxonomy: Document | None = None  # the SHARED_FILES, each None when it did not load
    glossary: Document | None = None
    unreadable: dict = field(default_factory=dict)  # kind → stems of files that failed to load


def record_files(root: Path) -> dict[str, list[Path]]:
    """Everything in each record folder but hidden files (editors' and git's own)."""
    return {kind: sorted(p for p in (root / folder).glob("*") if not p.name.startswith("."))
            for kind, folder in KINDS.items()}


@pausing_gc
def load_tree(root: Path, cache: ParseCache | None = None) -> tuple[Tree, list[Issue]]:
    """Load the shared files (taxonomy.yml, glossary.yml) and every record file under the kind folders."""
    tree = Tree(root, {kind: [] for kind in KINDS}, unreadable={kind: set() for kind in KINDS})
    issues: list[Issue] = []
    for kind, name in SHARED_FILES.items():
        if os.path.lexists(root / name):  # a dangling link is refused as a link, not reported missing
            document, found = load_file(root / name, root, cache)
            setattr(tree, kind, document)
            issues += found
        else:
            issues.append(messages.issue(name, 1, 1, "file.missing", file=name, about=" (at the top of the knowledge base)"))
    for kind, paths in record_files(root).items():
        for path in paths:
            file = path.relative_to(root).as_posix()
            if path.is_dir() and not path.is_symlink():
                issues.append(messages.issue(file, 1, 1, "file.folder", severity="warning", file=file, folder=KINDS[kind]))
                continue
            if path.suffix == ".yaml":
                issues.append(messages.issue(file, 1, 1, "file.extension", stem=path.stem))
                continue
            if path.suffix != ".yml" and not path.is_symlink():
                issues.append(messages.issue(file, 1, 1, "file.ignored", severity="warning", file=file, folder=KINDS[kind]))
                continue
            document, found = load_file(path, root, cache)
            issues += found
            if document is not None:
                tree.records[kind].append(document)
            else:
                tree.unreadable[kind].add(path.stem)
    return tree, issues
