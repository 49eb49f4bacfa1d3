"""Stage 1: read every record file and taxonomy.yml into Documents (yaml12.py parses them),
before anything is checked or written. Only regular .yml files inside the knowledge base are
read; files over MAX_FILE_BYTES, links, folders and other files are reported, never followed."""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import KINDS, SHARED_FILES, messages, pausing_gc
from .issues import Issue
from .yaml12 import Document, parse_text  # the loader's results; tests reach the parser through here too

MAX_FILE_BYTES = 4 * 2**20  # a record is tens of kB; a whole act in three languages well under 4 MB


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Issue]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [messages.issue(file, 1, 1, "file.encoding", problem="the file is saved as UTF-16, not UTF-8")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        offset = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        before = raw[:error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1 - (offset if line == 1 else 0)
        bad = raw[error.start:error.start + 1].hex().upper()
        return None, [messages.issue(file, line, col, "file.encoding", problem=f"the file is not UTF-8 text (byte 0x{bad} cannot be read)")]


class ParseCache:
    """Parsed documents by the SHA-256 of their bytes, so an unchanged file is never parsed twice:
    kept in memory by the preview server, and on disk (build/cache) between runs."""

    VERSION = 1  # bump when the loader's output changes

    def __init__(self, path: Path | None = None, read_only: bool = False):
        self.path, self.entries, self.used, self.added = path, {}, set(), False
        self.read_only = read_only  # read from disk, kept in memory only (the preview: a save must not wait for it)
        if path is not None and path.is_file():
            try:
                version, entries = pickle.loads(path.read_bytes())
                self.entries = entries if version == self.VERSION else {}
            except Exception:  # a damaged cache is only a slower run
                self.entries = {}

    def get(self, digest: str, file: str) -> Document | None:
        entry = self.entries.get(digest)
        if entry is None:
            return None
        self.used.add(digest)
        data, positions, key_positions = entry
        return Document(file, data, digest, positions, key_positions)

    def put(self, document: Document) -> None:
        self.entries[document.digest] = (document.data, document.positions, document.key_positions)
        self.used.add(document.digest)
        self.added = True

    def save(self) -> None:
        """Keep only what this run used, so the cache does not grow with history; written only
        when that changed it (writing 1,000 records' cache took a third of a second)."""
        kept = {digest: self.entries[digest] for digest in self.used if digest in self.entries}
        changed, self.added = self.added or len(kept) != len(self.entries), False
        self.entries = kept
        if self.path is not None and changed and not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_bytes(pickle.dumps((self.VERSION, self.entries), protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(self.path)
        self.used = set()


def _inside(folder: Path, root: Path) -> bool:
    return folder.resolve().is_relative_to(root.resolve())


def load_file(path: Path, root: Path, cache: ParseCache | None = None,
              folder_inside: bool | None = None) -> tuple[Document | None, list[Issue]]:
    """Read one file. Problems with the bytes or the YAML come back as issues. Only regular files
    inside the knowledge base are read: a link could bring in any file of the machine.
    `folder_inside` says the file's folder is known to lie inside the knowledge base."""
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if path.is_symlink() or not (folder_inside if folder_inside is not None else _inside(path.parent, root)):
        return None, [messages.issue(file, 1, 1, "file.symlink")]
    if not path.is_file():  # a device or a pipe would block or never end
        return None, [messages.issue(file, 1, 1, "file.special", file=file, folder=path.parent.name)]
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                return None, [messages.issue(file, 1, 1, "file.too_large", size=path.stat().st_size / 2**20,
                                             limit=MAX_FILE_BYTES // 2**20)]
    except OSError as error:
        return None, [messages.issue(file, 1, 1, "file.unreadable", reason=error.strerror)]
    digest = hashlib.sha256(raw).hexdigest()
    cached = cache.get(digest, file) if cache is not None else None
    if cached is not None:
        return cached, []
    text, issues = _decode(raw, file)
    if text is None:
        return None, issues
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
        if (root / name).exists():
            document, found = load_file(root / name, root, cache)
            setattr(tree, kind, document)
            issues += found
        else:
            issues.append(messages.issue(name, 1, 1, "file.missing", file=name, about=" (at the top of the knowledge base)"))
    for kind, paths in record_files(root).items():
        folder_inside = _inside(root / KINDS[kind], root)
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
            document, found = load_file(path, root, cache, folder_inside)
            issues += found
            if document is not None:
                tree.records[kind].append(document)
            else:
                tree.unreadable[kind].add(path.stem)
    return tree, issues
