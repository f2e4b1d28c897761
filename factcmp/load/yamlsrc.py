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

import codecs
import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from factcmp.problems import InputError, Problem

try:
    _Base: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same results
    _Base = yaml.SafeLoader

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

# PyYAML's resolver, as libyaml calls it for every node: candidate patterns for a
# plain scalar by its first character, the YAML 1.1 rules exactly.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: [*resolvers, *_Base.yaml_implicit_resolvers.get(None, [])]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
    if first is not None
}


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader with a leaner resolver: the same tags as PyYAML's (YAML 1.1),
    without its path-resolver bookkeeping, which costs more than the parse itself."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag = _RESOLVED.get(value)
                return _resolved(value) if tag is None else tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


# The tag of each short plain scalar met, by its text: a claim file repeats its keys,
# speakers, sources and dates thousands of times. Bounded: long text is never kept.
_RESOLVED: dict[str, str] = {}
_MAX_RESOLVED, _MAX_RESOLVED_LENGTH = 1 << 14, 40


def _resolved(value: str) -> str:
    tag = next((tag for tag, regexp in _IMPLICIT.get(value[:1], ()) if regexp.match(value)), _STR)
    if len(value) <= _MAX_RESOLVED_LENGTH and len(_RESOLVED) < _MAX_RESOLVED:
        _RESOLVED[value] = tag
    return tag


# YAML 1.1 resolves a plain `=` to !!value and `<<` to !!merge; the claim format has
# no use for either, so they are the text they look like (SafeLoader would fail on `=`).
_AS_TEXT = frozenset({_STR, _T + "value", _T + "merge"})
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")
_FALSE = ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")
_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
# YAML 1.1 (and so libyaml) also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH
# SEPARATOR, which editors, grep and diffs do not: every line number after one would
# be wrong, and a plain scalar holding one fails to parse. A byte-order mark after the
# start of the file is invisible too and confuses the parser. All are refused up front.
_ODD_CHARS = re.compile("[\x85\u2028\u2029\ufeff]")
_ODD_CHAR_MESSAGES = {
    "\x85": "NEXT LINE (U+0085)",
    "\u2028": "LINE SEPARATOR (U+2028)",
    "\u2029": "PARAGRAPH SEPARATOR (U+2029)",
}
_LINE_BREAK = re.compile("\r\n|\r|\n")
_MAX_SHOWN = 40
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?$")
_MAX_DEPTH = 64  # claim files nest four levels deep; anything far deeper is an attack
_SCANNED = 16  # a mapping this small is searched; a larger one gets an index of its keys

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
    text: str = field(default="", repr=False, compare=False)  # the source, for lint rules
    problems: list[Problem] = field(default_factory=list)  # found in values while parsing
    # mapping node -> key -> (key node, value node), built on first use: a file with
    # thousands of problems must not rescan a mapping for each (that was quadratic)
    _entries: dict[yaml.Node, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _entry(self, node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            return None
        if len(node.value) <= _SCANNED:  # a claim's mapping: looked at once or twice
            for key_node, value_node in node.value:
                if key_node.value == key and isinstance(key_node, yaml.ScalarNode):
                    return key_node, value_node
            return None
        entries = self._entries.get(node)
        if entries is None:
            entries = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    entries.setdefault(key_node.value, (key_node, value_node))
            self._entries[node] = entries
        return entries.get(key)

    def entry(self, node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The (key node, value node) of `key` in the mapping `node`, if there."""
        return self._entry(node, key)

    def _child(self, node: yaml.Node | None, item: PathItem) -> yaml.Node | None:
        if isinstance(item, str):
            entry = self._entry(node, item)
            return entry[1] if entry else None
        if isinstance(node, yaml.SequenceNode) and 0 <= item < len(node.value):
            return node.value[item]  # type: ignore[no-any-return]
        return None

    def node_at(self, path: Sequence[PathItem]) -> yaml.Node | None:
        """The node at `path` (keys and list indexes), or the deepest one found."""
        node = self.root
        for item in path:
            child = self._child(node, item)
            if child is None:
                break
            node = child
        return node

    def key_node_at(self, path: Sequence[PathItem]) -> yaml.Node | None:
        """The key node of the mapping entry at `path`, if there is one."""
        if not path or not isinstance(path[-1], str):
            return None
        entry = self._entry(self.node_at(path[:-1]), path[-1])
        return entry[0] if entry else None

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


def mark_position(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def shown(value: object, limit: int = _MAX_SHOWN) -> str:
    """A value from the user's file as it may appear in a message: on one line, with
    control characters made visible, and cut short if long."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def read_text(data: bytes, file: str) -> str:
    """Decode a file's bytes as UTF-8 (a byte-order mark is allowed)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # positions below count from after it, as editors do
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")  # valid up to the first bad byte
        [(line, col)] = _text_positions(before, [len(before)])
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
    doc = parse_all(text, file)
    if doc.problems:
        raise InputError(doc.problems)
    return doc


def parse_all(text: str, file: str) -> Document:
    """Like `parse`, but problems in values (a duplicate key, a tag, a date that does
    not exist) come back in `Document.problems`, the document built around them (the
    first of duplicate keys kept, a bad value as None), so that the checks after this
    one can still report everything else. A file that is not YAML at all, or holds an
    alias, still raises `InputError`."""
    if _ODD_CHARS.search(text, 1) or text[:1] in _ODD_CHAR_MESSAGES:
        _reject_odd_characters(text, file)
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
    return Document(file, value, root, text, problems)


def _text_positions(text: str, indexes: Sequence[int]) -> list[tuple[int, int]]:
    """1-based (line, column) of each character index (ascending), in one pass. Lines
    break at `\\n`, `\\r\\n` and a lone `\\r`, as in libyaml and editors."""
    out = []
    line, line_start = 1, 0
    breaks = _LINE_BREAK.finditer(text)
    pending = next(breaks, None)
    for index in indexes:
        while pending is not None and pending.end() <= index:
            line, line_start = line + 1, pending.end()
            pending = next(breaks, None)
        out.append((line, index - line_start + 1))
    return out


def _reject_odd_characters(text: str, file: str) -> None:
    found = [
        m
        for m in _ODD_CHARS.finditer(text)
        if not (m.start() == 0 and m.group() == "\ufeff")  # a leading byte-order mark is fine
    ]
    positions = _text_positions(text, [m.start() for m in found])
    problems = []
    for match, (line, col) in zip(found, positions, strict=True):
        name = _ODD_CHAR_MESSAGES.get(match.group())
        message = (
            f"invisible {name} (often pasted from a web page): YAML reads it as a line "
            "break, editors do not; replace it with a space or a real line break"
            if name
            else "invisible BYTE ORDER MARK (U+FEFF) inside the file: delete it"
        )
        problems.append(Problem(file, line, col, message, "yaml-invisible-character"))
    raise InputError(problems)


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


_SYNTAX_HINTS = {
    "mapping values are not allowed": (
        "a `: ` inside unquoted text starts a new key; put the whole value in quotes: "
        'text: "He said: ..."'
    ),
    "did not find expected key": (
        "check this line's quotes (a value that starts with a quote must end with it; "
        'for text holding " use single quotes around it) and its indentation'
    ),
    "did not find expected '-' indicator": (
        "every item of a list starts with `- ` at the same indentation as the others"
    ),
    "could not find expected ':'": "a key needs a colon and a space after it: `key: value`",
    "',' or '}'": (
        "inside `{…}` the entries are separated by commas, `{min: 100, max: 300}`; a comma "
        'or `: ` inside a value needs quotes around it: `{role: "Spokesman, MFA"}`'
    ),
    "',' or ']'": (
        "inside `[…]` the items are separated by commas, `[Jermuk, Verin Shorzha]`; a "
        'comma inside an item needs quotes around it: `["Kalbajar, Lachin"]`'
    ),
}


def _syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "could not find expected ':'" in str(getattr(exc, "problem", "")):
        # libyaml notices the missing colon a line late; the key starts at context_mark
        mark = getattr(exc, "context_mark", None) or mark
    if mark is not None:
        line, col = mark_position(mark)
    elif isinstance(getattr(exc, "position", None), int):
        # A reader error (a control character): libyaml gives a byte offset into the
        # UTF-8 text, the pure-Python reader a character offset.
        position: int = exc.position  # type: ignore[attr-defined]
        if _Base is not yaml.SafeLoader:
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        [(line, col)] = _text_positions(text, [min(position, len(text))])
    else:
        line, col = 1, 1
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None)
    problem = problem or " ".join(str(exc).split())  # str() spans lines
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in str(context):
        message = "a claim file holds one YAML document: remove the second `---`"
    elif "\t" in str(problem) or "tab" in str(problem):
        message += ": indent with spaces, not tabs"
    elif "control characters" in str(problem) or "unacceptable character" in str(problem):
        character = getattr(exc, "character", None)
        if isinstance(character, int):
            message = f"invalid YAML: control character U+{character:04X} is not allowed"
        message += ": remove the invisible control character"
    elif "nesting depth" in str(context) or "nesting depth" in str(problem):
        message = "the YAML nests too deeply to be a claim file"
    elif (apostrophe := _apostrophe_hint(text, line, col)) is not None:
        message += f": {apostrophe}"
    else:
        hint = next((h for p, h in _SYNTAX_HINTS.items() if p in str(problem)), None)
        if hint:
            message += f": {hint}"
    return Problem(file, line, col, message, "yaml-syntax")


# text in single quotes that a `'` ended early: `'India's troops'` reads as the text
# `India` followed by `s troops'`, which YAML cannot place
_ENDED_EARLY = re.compile(r"(?:^|[\s:{,\[])'([^'\n]*)'(?=[^\W\d_]| [^\W\d_])")


def _apostrophe_hint(text: str, line: int, col: int) -> str | None:
    """The hint for a `'` inside single-quoted text, when the error's line holds one
    before the error's column."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    text_line = lines[line - 1]
    found = [
        m
        for m in _ENDED_EARLY.finditer(text_line)
        if m.end() <= col
        # a word after a space is a plural's `'` only when the text's own `'` follows
        and (text_line[m.end() : m.end() + 1] != " " or "'" in text_line[m.end() :])
    ]
    if not found:
        return None
    words = found[-1].group(1)
    rest = text_line[found[-1].end() :]
    # the word the `'` cut off (India's), or the word after a plural's (soldiers' families)
    after = (" " if rest.startswith(" ") else "") + rest.split()[0].rstrip("',}]")
    return (
        f"the `'` after `{shown(words)}` ends the text in single quotes: inside single "
        f"quotes write a `'` twice ('{shown(words)}''{shown(after)} …'), or put the text "
        f'in double quotes ("{shown(words)}\'{shown(after)} …")'
    )


def _construct(node: yaml.Node, file: str, problems: list[Problem], depth: int) -> Any:
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag in _AS_TEXT:
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
        return _mapping(node, file, problems, depth)
    line, col = mark_position(node.start_mark)
    problems.append(
        Problem(
            file,
            line,
            col,
            f"the tag `{shown(_short_tag(tag), 80)}` is not allowed in a claim file: remove it",
            "yaml-tag",
        )
    )
    return None


_KEY_TAGS = _AS_TEXT | {_INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}


def _mapping(node: yaml.MappingNode, file: str, problems: list[Problem], depth: int) -> Any:
    result: dict[str, Any] = {}
    firsts: dict[str, yaml.Node] | None = None  # each key's first node, once one repeats
    scalar, as_text = yaml.ScalarNode, _AS_TEXT
    for key_node, value_node in node.value:
        if not isinstance(key_node, scalar) or key_node.tag not in _KEY_TAGS:
            line, col = mark_position(key_node.start_mark)
            message = "a key must be a plain word, not a list, mapping or tagged value"
            problems.append(Problem(file, line, col, message, "yaml-key"))
            continue
        key: str = key_node.value
        if key in result:
            firsts = _first_keys(node) if firsts is None else firsts
            problems.append(_duplicate_key(key_node, firsts[key], file))
        elif isinstance(value_node, scalar) and value_node.tag in as_text:
            result[key] = value_node.value  # most values: text, without a call
        else:
            result[key] = _construct(value_node, file, problems, depth + 1)
    return result


def _first_keys(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    firsts: dict[str, yaml.Node] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _KEY_TAGS:
            firsts.setdefault(key_node.value, key_node)
    return firsts


def _duplicate_key(key_node: yaml.Node, first_node: yaml.Node, file: str) -> Problem:
    key = key_node.value
    line, col = mark_position(key_node.start_mark)
    first, first_col = mark_position(first_node.start_mark)
    message = (
        f"duplicate key `{shown(key)}` (first at line {first}, column {first_col}): "
        "YAML would silently keep only the last one; remove or rename one"
    )
    if key == "id":
        message += " (if it starts a new claim, begin that line with `- `)"
    return Problem(file, line, col, message, "yaml-duplicate-key")


def _scalar(node: yaml.ScalarNode, file: str, problems: list[Problem]) -> Any:
    tag, value = node.tag, node.value
    problem: tuple[str, str] | None = None
    if tag in (_INT, _FLOAT):
        try:
            if tag == _INT and value.isdigit() and (value[0] != "0" or value == "0"):
                return int(value)
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            return _constructor.construct_yaml_float(node)
        # `!!int abc`, `!!int ` (IndexError inside PyYAML), more than 4300 digits
        except (ValueError, IndexError, ArithmeticError):
            problem = (
                f"`{shown(value)}` is not a number factcmp can read: write it in plain "
                "digits (e.g. 105), or put it in quotes if it is text",
                "yaml-bad-number",
            )
    elif tag == _BOOL and value in _BOOLS:
        return _BOOLS[value]
    elif tag == _NULL and value in _NULLS:
        return None
    elif tag == _TIMESTAMP:
        try:
            if _DATE_RE.match(value):
                year, month, day = value.split("-")
                return _dt.date(int(year), int(month), int(day))
            if _constructor.timestamp_regexp.match(value):
                return _constructor.construct_yaml_timestamp(node)
            reason = ""
        except (ValueError, OverflowError) as exc:
            reason = f" ({exc})" if len(str(exc)) < 50 else ""
        fix = "a date that exists, as YYYY-MM-DD"
        if not _DATE_RE.match(value):  # it gave a time too (which `said:` may)
            fix += ", or a real date and time, as YYYY-MM-DDTHH:MM"
        problem = (f"`{shown(value)}` is not a real date{reason}: write {fix}", "yaml-bad-date")
    elif tag in (_BOOL, _NULL):  # an explicit `!!bool maybe` or `!!null x`
        problem = (
            f"`{shown(value)}` cannot be read as {_short_tag(tag)}: remove the tag",
            "yaml-tag",
        )
    line, col = mark_position(node.start_mark)
    message, rule = problem or (
        f"the tag `{shown(_short_tag(tag), 80)}` is not allowed in a claim file: remove it",
        "yaml-tag",
    )
    problems.append(Problem(file, line, col, message, rule))
    return None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag
