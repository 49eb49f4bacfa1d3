"""The one way the tool reads and writes files on behalf of content: regular files inside the
knowledge base only. Records, pages, excerpts, sheets and issue bodies are untrusted, and so is
the folder they sit in: a symbolic link could bring in (or overwrite) any file of the machine, a
FIFO or a device would block a read forever, a huge file would exhaust memory. So every path is
checked component by component below the knowledge base, opened without following links and
without blocking, checked to be a regular file, and read up to a stated size. A refusal is an
Issue (raised as Refused) that names the file."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from . import messages
from .issues import Issue

# What each kind of file may weigh (bytes), and how it is named in messages (messages.FILE_KINDS).
LIMITS = {
    "record": 4 * 2**20,  # a record is tens of kB; a whole act in three languages well under 4 MB
    "page": 1 * 2**20,  # hand-written pages (about, contributing) are tens of kB
    "excerpt": 2 * 2**20,  # a passage of a source, not the whole document
    "settings": 1 * 2**20,  # synonyms.yml, mkdocs.yml, a schema, a theme override
    "sheet": 64 * 2**20,  # a translators' sheet of one language (3,000 practices: a 30 MB CSV, a 7 MB workbook)
    "issue": 256 * 2**10,  # an issue form's body (GitHub caps bodies at 65,536 characters: 4 bytes each at most)
    "asset": 8 * 2**20,  # an image of the contributors' guide, a script, a style sheet, a theme override
}


class Refused(Exception):
    """A file the tool will not read or write, with the issue that says why."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


def shown(path: Path, root: Path) -> str:
    """A path as issues name files: relative to the knowledge base, with forward slashes."""
    absolute = Path(os.path.abspath(path))
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path)


def _refuse(path: Path, root: Path, code: str, **values) -> Refused:
    return Refused(messages.issue(shown(path, root), 1, 1, code, file=shown(path, root), **{"root": root, **values}))


def inside(path: Path, root: Path) -> Path:
    """The absolute path of `path`, once sure it lies below `root` with no symbolic link on the
    way (the last component is checked when it is opened). `root` is a resolved path."""
    absolute, root = Path(os.path.normpath(os.path.abspath(path))), Path(os.path.normpath(os.path.abspath(root)))
    if not absolute.is_relative_to(root) or absolute == root:
        raise _refuse(path, root, "file.outside")
    walked = root
    for part in absolute.relative_to(root).parts[:-1]:
        walked = walked / part
        try:
            mode = os.lstat(walked).st_mode
        except FileNotFoundError:
            break  # nothing further exists: the open or mkdir will say so
        except OSError as error:
            raise _refuse(walked, root, "file.unreadable", reason=error.strerror) from None
        if stat.S_ISLNK(mode):
            raise _refuse(walked, root, "file.symlink")
        if not stat.S_ISDIR(mode):
            raise _refuse(walked, root, "file.special", folder=walked.parent.name)
    return absolute


def is_regular(path: Path) -> bool:
    """A regular file, not a link (listing folders: what load_tree reads)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def is_folder(folder: Path, root: Path) -> bool:
    """A real folder inside the knowledge base, reached without links (listing what to read)."""
    try:
        inside(folder / "_", root)
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except (Refused, OSError):
        return False


def read_bytes(path: Path, root: Path, kind: str = "record") -> bytes:
    """The bytes of a regular file inside the knowledge base, at most LIMITS[kind] of them."""
    absolute = inside(path, root)
    limit = LIMITS[kind]
    try:
        descriptor = os.open(absolute, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _refuse(path, root, "file.symlink") from None
        if error.errno == errno.ENOENT:
            raise _refuse(path, root, "file.missing", about="") from None
        raise _refuse(path, root, "file.unreadable", reason=error.strerror) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # a FIFO, device or folder (os.fdopen refuses a folder itself)
        os.close(descriptor)
        raise _refuse(path, root, "file.special", folder=absolute.parent.name)
    with os.fdopen(descriptor, "rb") as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise _refuse(path, root, "file.unreadable", reason=error.strerror) from None
    if len(data) > limit:
        what, hint = messages.FILE_KINDS[kind]
        raise _refuse(path, root, "file.too_large", size=os.stat(absolute).st_size / 2**20,
                      limit=f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit // 2**10} kB", what=what, advice=hint)
    return data


def decode(raw: bytes, file: str) -> tuple[str | None, list[Issue]]:
    """UTF-8 text (a BOM is allowed), or an issue at the first byte that is not."""
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


def read_text(path: Path, root: Path, kind: str = "record") -> str:
    """read_bytes, decoded as UTF-8 (refused with the place of the first bad byte)."""
    text, issues = decode(read_bytes(path, root, kind), shown(path, root))
    if text is None:
        raise Refused(issues[0])
    return text


def make_folder(folder: Path, root: Path) -> Path:
    """Make a folder (and its parents) inside the knowledge base; none of them may be a link."""
    absolute = inside(folder / "_", root).parent
    walked = root
    for part in absolute.relative_to(root).parts:
        walked = walked / part
        try:
            os.mkdir(walked)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(walked).st_mode):  # a link or a file in the way
                raise _refuse(walked, root, "file.symlink" if os.path.islink(walked) else "file.special",
                              folder=walked.parent.name) from None
        except OSError as error:
            raise _refuse(walked, root, "file.unwritable", reason=error.strerror) from None
    return absolute


def tree_issues(folder: Path, root: Path, kind: str = "asset") -> list[Issue]:
    """Every entry below a folder the site is made from (docs/assets, docs/overrides) is a real
    folder or a regular file of at most LIMITS[kind]: what MkDocs or the build copies from there
    must not be a link to elsewhere, a pipe or a device."""
    if not os.path.lexists(folder):
        return []
    try:
        inside(folder / "_", root)
    except Refused as refused:
        return [refused.issue]
    if os.path.islink(folder) or not os.path.isdir(folder):
        return [_refuse(folder, root, "file.symlink" if os.path.islink(folder) else "file.special", folder=folder.parent.name).issue]
    issues = []
    for parent, folders, names in os.walk(folder):  # never follows links
        for name in sorted(folders + names):
            path = Path(parent) / name
            mode = os.lstat(path)
            if stat.S_ISLNK(mode.st_mode):
                issues.append(_refuse(path, root, "file.symlink").issue)
            elif stat.S_ISREG(mode.st_mode) and mode.st_size > LIMITS[kind]:
                what, hint = messages.FILE_KINDS[kind]
                issues.append(_refuse(path, root, "file.too_large", size=mode.st_size / 2**20, limit=f"{LIMITS[kind] / 2**20:g} MB",
                                      what=what, advice=hint).issue)
            elif not (stat.S_ISREG(mode.st_mode) or stat.S_ISDIR(mode.st_mode)):
                issues.append(_refuse(path, root, "file.special", folder=Path(parent).name).issue)
    return issues


def write_bytes(path: Path, root: Path, data: bytes) -> None:
    """Write a file inside the knowledge base in one step (write_many): a reader never sees half a
    file, a full disk changes nothing, and a link, FIFO or device at the path is refused."""
    write_many({path: data}, root)


def write_text(path: Path, root: Path, text: str) -> None:
    write_bytes(path, root, text.encode("utf-8"))


def write_many(contents: dict, root: Path) -> None:
    """Several files as one change: every target checked and every new text written beside its
    file first; only then are they renamed into place, so a refusal or a full disk changes none."""
    steps, current = [], root
    try:
        for current, data in contents.items():
            absolute = inside(current, root)
            make_folder(absolute.parent, root)
            mode = os.lstat(absolute).st_mode if os.path.lexists(absolute) else None
            if mode is not None and not stat.S_ISREG(mode):
                raise _refuse(current, root, "file.symlink" if stat.S_ISLNK(mode) else "file.special", folder=absolute.parent.name)
            temporary = absolute.with_name(f".{absolute.name}.{os.getpid()}.tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
            steps.append((temporary, absolute))
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        for temporary, absolute in steps:
            current = absolute
            os.replace(temporary, absolute)
    except (OSError, Refused) as error:
        for temporary, _ in steps:
            try:
                os.unlink(temporary)
            except OSError:  # already renamed into place, or never made
                pass
        if isinstance(error, Refused):
            raise
        raise _refuse(Path(current), root, "file.unwritable", reason=error.strerror or str(error)) from None
