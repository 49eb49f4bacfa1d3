"""YAML text → plain data, keeping the line and column of every value and key.

YAML 1.2 core schema (``no`` and ``2024-01-01`` stay text), on PyYAML's C parser where
available. Never raises on bad input: every problem becomes an Issue. Refuses what records never
need and what could harm: tags, anchors and aliases, duplicate keys, nesting beyond MAX_DEPTH.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from . import messages
from .issues import Issue

Path_ = tuple  # a field path inside a record: ("criteria", 2, "level")

MAX_DEPTH = 40  # records nest about 8 levels deep (an act's points); far deeper is a mistake or an attack
# libyaml composes nodes recursively in C: past ~20,000 levels it overflows the C stack. A file
# with fewer brackets and dashes than this cannot nest that deep, so only others are pre-scanned.
_SCAN_ABOVE = 5000

STR, INT, FLOAT, BOOL, NULL, MAP, SEQ = (
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
)


class _Resolver12(yaml.resolver.BaseResolver):
    """Implicit typing of plain scalars by the YAML 1.2 core schema, not YAML 1.1."""


for _tag, _pattern, _first in (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (FLOAT, r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
):
    _Resolver12.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

try:
    from yaml._yaml import CParser as _Parser  # libyaml: the fast path
except ImportError:  # pragma: no cover
    _Parser = None


if _Parser is not None:
    class _Composer(_Parser, _Resolver12):  # type: ignore[misc, valid-type]
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _Resolver12.__init__(self)
else:  # pragma: no cover - pure-Python fallback when libyaml is missing
    class _Composer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                    yaml.composer.Composer, _Resolver12):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver12.__init__(self)


@dataclass
class Document:
    """One YAML file as plain data, with where each value and key stands in the file."""

    path: str  # as shown to editors, relative to the knowledge base root
    data: object
    digest: str  # sha256 of the file's bytes, for caching
    positions: dict = field(default_factory=dict)  # field path → (line, col) of the value
    key_positions: dict = field(default_factory=dict)  # field path → (line, col) of its key

    def position(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Where a field stands; for a field that is not there, the key of its nearest parent."""
        path = tuple(path)
        table = self.key_positions if key else self.positions
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            for table in (self.key_positions, self.positions):
                if path in table:
                    return table[path]
        return 1, 1


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


MAX_ITEMS = 5_000  # entries of one list or fields of one group: an act has hundreds of units, a record tens of themes
MAX_INT_DIGITS = 18  # whole numbers in records are years, counts and percentages


def _scalar(node: ScalarNode):
    value = node.value
    if node.tag == STR:
        return value
    if node.tag == NULL:
        return None
    if node.tag == BOOL:
        return value.lower() == "true"
    if node.tag == INT:
        if len(value.lstrip("+-0")) > MAX_INT_DIGITS:  # not a year or a count; Python refuses to print some as text
            raise ValueError(value)
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value, 10)
    if node.tag == FLOAT:
        lowered = value.lower()
        return float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
    raise ValueError(node.tag)


_ALLOWED_TAGS = {STR, INT, FLOAT, BOOL, NULL, MAP, SEQ}


class _Converter:
    """Turns a composed node tree into plain data, recording positions and problems."""

    def __init__(self, file: str):
        self.file = file
        self.issues: list[Issue] = []
        self.positions: dict = {}
        self.key_positions: dict = {}
        self._seen: set[int] = set()

    def issue(self, node, code, path=(), **values):
        line, col = _mark(node)
        self.issues.append(messages.issue(self.file, line, col, code, at=_dotted(path), **values))

    def convert(self, node, path: Path_ = ()):
        self.positions[path] = _mark(node)
        if len(path) >= MAX_DEPTH and isinstance(node, (MappingNode, SequenceNode)):  # as the pre-scan counts
            self.issue(node, "yaml.too_deep", path, limit=MAX_DEPTH)
            return None
        if id(node) in self._seen:
            self.issue(node, "yaml.alias", path)
            return None
        self._seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self.issue(node, "yaml.forbidden_tag", path, tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
            return None
        if isinstance(node, ScalarNode):
            hidden = UNPRINTABLE.search(node.value)
            if hidden:  # written as an escape ("\x0b"): the reader let it through, XML and front matter would not
                self.issue(node, "yaml.control_character", path, character=ord(hidden.group(0)))
                return None
            try:
                return _scalar(node)
            except ValueError:
                self.issue(node, "yaml.bad_scalar", path, value=node.value[:40] + "…" * (len(node.value) > 40),
                           kind=node.tag.rsplit(":", 1)[-1])
                return None
        if isinstance(node, (SequenceNode, MappingNode)) and len(node.value) > MAX_ITEMS:
            self.issue(node, "yaml.too_many_items", path, count=len(node.value), limit=MAX_ITEMS)
            return None
        if isinstance(node, SequenceNode):
            return [self.convert(child, path + (index,)) for index, child in enumerate(node.value)]
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: Path_) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (STR, INT, FLOAT, BOOL, NULL):
                self.issue(key_node, "yaml.complex_key", path)
                continue
            key = key_node.value
            if key in result or (path + (key,)) in self.key_positions:
                first_line = self.key_positions[path + (key,)][0]
                self.issue(key_node, "yaml.duplicate_key", path + (key,), key=key, first_line=first_line)
                continue
            self.key_positions[path + (key,)] = _mark(key_node)
            result[key] = self.convert(value_node, path + (key,))
        return result


# What YAML's reader refuses in a file, written instead as an escape inside a quoted string:
# C0 and C1 controls (but tab, line breaks and NEL), and the non-characters U+FFFE, U+FFFF.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _too_deep(text: str, file: str) -> Issue | None:
    """Nesting deeper than MAX_DEPTH, found from the parser's events before anything is composed."""
    if sum(text.count(char) for char in "[{-?:") <= _SCAN_ABOVE:
        return None
    parser = _Composer(text)
    try:
        depth = 0
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = event.start_mark.line + 1, event.start_mark.column + 1
                    return messages.issue(file, line, col, "yaml.too_deep", limit=MAX_DEPTH)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its position
    finally:
        parser.dispose()


def parse_text(text: str, file: str, digest: str = "") -> tuple[Document | None, list[Issue]]:
    """Parse YAML text into a Document; on failure return None and the issues."""
    loader = None
    try:
        deep = _too_deep(text, file)
        if deep:
            return None, [deep]
        loader = _Composer(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "another document" in str(error.problem):
            return None, [messages.issue(file, line, col, "yaml.multiple_documents")]
        problem = " ".join(part for part in (error.problem, error.context and f"({error.context})") if part)
        return None, [messages.issue(file, line, col, "yaml.syntax", problem=problem)]
    except yaml.reader.ReaderError as error:  # control characters and the like
        before = text[:error.position]
        line, col = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        return None, [messages.issue(file, line, col, "yaml.control_character", character=error.character)]
    except UnicodeEncodeError as error:  # lone surrogates: text that did not come from a UTF-8 file
        return None, [messages.issue(file, 1, 1, "file.encoding", problem=f"the text contains a character that is not valid Unicode ({error.reason})")]
    except yaml.YAMLError as error:
        return None, [messages.issue(file, 1, 1, "yaml.syntax", problem=str(error))]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, [messages.issue(file, 1, 1, "yaml.empty")]
    converter = _Converter(file)
    data = converter.convert(node)
    if converter.issues:
        return None, converter.issues
    document = Document(file, data, digest, converter.positions, converter.key_positions)
    return document, []
