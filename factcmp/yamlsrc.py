"""Safe YAML reading with positions.

libyaml (through PyYAML's `CSafeLoader`) parses and composes the node tree; this
module turns nodes into plain Python values itself, which lets it

- reject duplicate keys, naming both positions (PyYAML keeps the last silently);
- reject aliases before anything walks them (a "billion laughs" file is refused
  at its first `*alias`, in microseconds);
- reject every tag outside plain YAML (`!!python/...` is never constructed);
- report impossible dates (`2022-09-31`) at their line instead of a bare
  `ValueError`;
- keep the node tree, so any value can be traced back to its line and column
  after validation (`Document.position`).

Scalars keep their YAML 1.1 meaning (`no` is false, `010` is 8): the schema
layer then refuses a boolean where it wants a name and tells the user to quote it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from factcmp.problems import InputError, Problem

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same results
    _Loader = yaml.SafeLoader

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _T + "str",
    _T + "int",
    _T + "float",
    _T + "bool",
    _T + "null",
    _T + "timestamp",
)
_MAP, _SEQ = _T + "map", _T + "seq"
_DATE_RE = re.compile(r"^\d{4}-\d\d?-\d\d?$")
_MAX_DEPTH = 64  # claim files nest four levels deep; anything far deeper is an attack

# Used only for the rare spellings of YAML 1.1 numbers and timestamps (`0x1F`,
# `1_000`, `12:30`, `2022-09-14 10:00:00`); never for mappings or tags.
_constructor = yaml.constructor.SafeConstructor()

PathItem = str | int


@dataclass
class Document:
    """A parsed YAML document: its plain value and the nodes it came from."""

    file: str
    value: Any
    root: yaml.Node | None

    def node_at(self, path: Sequence[PathItem]) -> yaml.Node | None:
        """The node at `path` (keys and list indexes), or the deepest one found."""
        node = self.root
        for item in path:
            child = _child(node, item)
            if child is None:
                break
            node = child
        return node

    def key_node_at(self, path: Sequence[PathItem]) -> yaml.Node | None:
        """The key node of the mapping entry at `path`, if there is one."""
        if not path or not isinstance(path[-1], str):
            return None
        parent = self.node_at(path[:-1])
        if isinstance(parent, yaml.MappingNode):
            for key, _value in parent.value:
                if isinstance(key, yaml.ScalarNode) and key.value == path[-1]:
                    return key
        return None

    def position(self, path: Sequence[PathItem], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `path` (or of its key)."""
        node = self.key_node_at(path) if key else None
        if node is None:
            node = self.node_at(path)
        return mark_position(node.start_mark) if node is not None else (1, 1)

    def problem(
        self, path: Sequence[PathItem], message: str, rule: str, *, key: bool = False
    ) -> Problem:
        line, col = self.position(path, key=key)
        return Problem(self.file, line, col, message, rule)


def _child(node: yaml.Node | None, item: PathItem) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(item, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == item:
                return value  # type: ignore[no-any-return]
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(item, int)
        and 0 <= item < len(node.value)
    ):
        return node.value[item]  # type: ignore[no-any-return]
    return None


def mark_position(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def read_text(data: bytes, file: str) -> str:
    """Decode a file's bytes as UTF-8 (a byte-order mark is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise InputError(
            [
                Problem(
                    file,
                    line,
                    col,
                    f"byte 0x{data[exc.start]:02x} is not UTF-8 text: save the file as UTF-8",
                    "yaml-encoding",
                )
            ]
        ) from None


def parse(text: str, file: str) -> Document:
    """Parse one YAML document safely. Raises `InputError` with every problem found."""
    if "*" in text:
        _reject_aliases(text, file)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise InputError([_syntax_problem(exc, text, file)]) from None
    except RecursionError:
        raise InputError(
            [Problem(file, 1, 1, "the YAML nests too deeply to be a claim file", "yaml-depth")]
        ) from None
    finally:
        loader.dispose()
    problems: list[Problem] = []
    value = None if root is None else _construct(root, file, problems, 0)
    if problems:
        raise InputError(problems)
    return Document(file, value, root)


def _reject_aliases(text: str, file: str) -> None:
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                line, col = mark_position(event.start_mark)
                raise InputError(
                    [
                        Problem(
                            file,
                            line,
                            col,
                            f"alias *{event.anchor} is not allowed in a claim file: "
                            "write the value out in full",
                            "yaml-alias",
                        )
                    ]
                )
    except yaml.YAMLError as exc:
        raise InputError([_syntax_problem(exc, text, file)]) from None
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, col = mark_position(mark)
    elif isinstance(getattr(exc, "position", None), int):
        before = text[: exc.position]  # type: ignore[attr-defined]
        line, col = before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1
    else:
        line, col = 1, 1
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in str(context):
        message = "a claim file holds one YAML document: remove the second `---`"
    elif "\t" in str(problem) or "tab" in str(problem):
        message += ": indent with spaces, not tabs"
    elif "control characters" in str(problem) or "unacceptable character" in str(problem):
        message += ": remove the invisible control character"
    elif "nesting depth" in str(context) or "nesting depth" in str(problem):
        message = "the YAML nests too deeply to be a claim file"
    return Problem(file, line, col, message, "yaml-syntax")


def _construct(node: yaml.Node, file: str, problems: list[Problem], depth: int) -> Any:
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        return _scalar(node, file, problems)
    if depth > _MAX_DEPTH:
        line, col = mark_position(node.start_mark)
        problems.append(
            Problem(file, line, col, "the YAML nests too deeply to be a claim file", "yaml-depth")
        )
        return None
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_construct(item, file, problems, depth + 1) for item in node.value]
    if isinstance(node, yaml.MappingNode) and tag == _MAP:
        result: dict[str, Any] = {}
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                line, col = mark_position(key_node.start_mark)
                problems.append(
                    Problem(
                        file,
                        line,
                        col,
                        "a key must be a plain word, not a list, mapping or tagged value",
                        "yaml-key",
                    )
                )
                continue
            key = key_node.value
            if key in keys:
                line, col = mark_position(key_node.start_mark)
                first, first_col = mark_position(keys[key].start_mark)
                problems.append(
                    Problem(
                        file,
                        line,
                        col,
                        f"duplicate key `{key}` (first at line {first}, column {first_col}): "
                        "YAML would silently keep only the last one; remove or rename one",
                        "yaml-duplicate-key",
                    )
                )
                continue
            keys[key] = key_node
            result[key] = _construct(value_node, file, problems, depth + 1)
        return result
    line, col = mark_position(node.start_mark)
    problems.append(
        Problem(
            file,
            line,
            col,
            f"the tag `{_short_tag(tag)}` is not allowed in a claim file: remove it",
            "yaml-tag",
        )
    )
    return None


_KEY_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})


def _scalar(node: yaml.ScalarNode, file: str, problems: list[Problem]) -> Any:
    tag, value = node.tag, node.value
    try:
        if tag == _INT:
            if value.isdigit() and (value[0] != "0" or value == "0"):
                return int(value)
            return _constructor.construct_yaml_int(node)
        if tag == _FLOAT:
            return _constructor.construct_yaml_float(node)
        if tag == _BOOL:
            return value.lower() in ("yes", "true", "on", "y")
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            if _DATE_RE.match(value):
                year, month, day = value.split("-")
                return _dt.date(int(year), int(month), int(day))
            return _constructor.construct_yaml_timestamp(node)
    except ValueError as exc:
        line, col = mark_position(node.start_mark)
        problems.append(
            Problem(
                file,
                line,
                col,
                f"`{value}` is not a real date ({exc}): write a date that exists, as YYYY-MM-DD",
                "yaml-bad-date",
            )
        )
        return None
    line, col = mark_position(node.start_mark)
    problems.append(
        Problem(
            file,
            line,
            col,
            f"the tag `{_short_tag(tag)}` is not allowed in a claim file: remove it",
            "yaml-tag",
        )
    )
    return None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag
