"""Validating a claim file's values: msgspec converts them to the schema's types,
and every error becomes a `Problem` at the value's position, in words a curator
reads ("`count` must be a number, not a list"), with what to do about it."""

from __future__ import annotations

import functools
import math
import re
import typing
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import msgspec
import yaml

from factcmp.facets import BY_KEY
from factcmp.load import schema
from factcmp.load.yamlsrc import Document, PathItem, shown
from factcmp.model import (
    Tolerance,
)
from factcmp.problems import InputError, Problem

if TYPE_CHECKING:
    pass

T = TypeVar("T")

_ERROR_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_PATH_ITEM = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[\.\.\.\]")
_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "int | float": "a number",
    "bool": "a yes/no value",
    "null": "empty",
    "array": "a list",
    "object": "a mapping (`key: value` lines)",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time",
}
# How a number is written in a claim file: digits, `_` between them, a fraction and an
# exponent; not YAML 1.1's octal, hexadecimal, binary or base-60 forms.
PLAIN_NUMBER = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$")
_TOLERANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


def after_yaml_problems(doc: Document, validate: Callable[[], T]) -> T:
    """Validate a document even when its values had problems, so that one run reports
    all of them: the value problems first, then every other one, less those at the
    same place (a date that does not exist is not also "empty")."""
    try:
        result = validate()
    except InputError as exc:
        taken = {(p.line, p.col) for p in doc.problems}
        rest = [p for p in exc.problems if (p.line, p.col) not in taken]
        raise InputError([*doc.problems, *rest]) from None
    if doc.problems:
        raise InputError(doc.problems)
    return result


def visible(text: str | None) -> TypeGuard[str]:
    """Whether `text` shows anything: not empty, blank or only invisible characters
    (zero-width spaces, joiners, marks)."""
    return text is not None and any(
        not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text
    )


def parse_tolerance(
    doc: Document, path: list[PathItem], value: str | float | None, problems: list[Problem]
) -> Tolerance:
    if value is None:
        return Tolerance(0, percent=False)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value >= 0 and finite(value):
            return Tolerance(float(value), percent=False)
    elif isinstance(value, str) and (match := _TOLERANCE.match(value)):
        return Tolerance(float(match.group(1)), percent=bool(match.group(2)))
    problems.append(
        doc.problem(
            path,
            f"tolerance `{shown(value)}` is not understood: "
            "write a number (`3`) or a percentage (`5%`)",
            "value",
        )
    )
    return Tolerance(0, percent=False)


def top_mapping(
    doc: Document, keys: dict[str, bool], problems: list[Problem], what: str
) -> dict[str, Any]:
    value = doc.value
    if value is None:
        raise InputError(
            [
                Problem(
                    doc.file, 1, 1, f"the file is empty: a {what} starts with `factcmp: 1`", "empty"
                )
            ]
        )
    if not isinstance(value, dict):
        raise InputError(
            [
                doc.problem(
                    [],
                    f"a {what} is a mapping of {', '.join(f'`{k}:`' for k in keys)}; "
                    "this file holds something else",
                    "type",
                )
            ]
        )
    for key in value:
        if key not in keys:
            problems.append(
                doc.problem(
                    [key],
                    f"unknown key `{shown(key)}`{_did_you_mean(key, keys)}",
                    "unknown-key",
                    key=True,
                )
            )
    for key, required in keys.items():
        if required and key not in value:
            problems.append(
                Problem(doc.file, 1, 1, f"`{key}:` is missing: add it at the top level", "missing")
            )
    version = value.get("factcmp", schema.FORMAT_VERSION)
    if type(version) is not int or version != schema.FORMAT_VERSION:
        written = getattr(doc.node_at(["factcmp"]), "value", version)
        written = shown(written) if isinstance(written, str) else "(a list or mapping)"
        message = (
            f"`factcmp: {written}` is not a format version this factcmp reads: "
            f"write `factcmp: {schema.FORMAT_VERSION}`"
        )
        if isinstance(version, str) and version.strip() == str(schema.FORMAT_VERSION):
            message = (
                f'`factcmp: "{shown(version)}"` is in quotes, which makes it text: the version '
                f"is a number; write `factcmp: {schema.FORMAT_VERSION}` without quotes"
            )
        problems.append(doc.problem(["factcmp"], message, "version"))
    return value


def finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def _did_you_mean(word: str, choices: Sequence[str] | dict[str, Any]) -> str:
    return _suggest(word, tuple(choices))


@functools.lru_cache(maxsize=1024)
def _suggest(word: str, names: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if close:
        return f": did you mean `{close[0]}`?"
    return f" (expected one of: {', '.join(names)})" if names else ""


def convert(
    doc: Document,
    path: list[PathItem],
    value: Any,
    kind: type[T],
    problems: list[Problem],
) -> T | None:
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as exc:
        # msgspec stops at the first error; look at every field to report them all
        found = _struct_problems(doc, path, value, kind)
        problems.extend(found or [_validation_problem(doc, path, str(exc), kind)])
        return None


def _struct_types(kind: Any) -> list[type[msgspec.Struct]]:
    return [
        a
        for a in (kind, *typing.get_args(kind))
        if isinstance(a, type) and issubclass(a, msgspec.Struct)
    ]


def _unknown_key(doc: Document, path: Sequence[PathItem], key: str, choices: Any) -> str:
    """`unknown key ...`, with a hint when a comma inside a flow mapping `{...}` cut a
    value in two: `role: Spokesperson, Ministry of Foreign Affairs` reads as a key
    `Ministry of Foreign Affairs` with no value."""
    message = f"unknown key `{shown(key)}`"
    node = doc.node_at(path)
    entry = doc.entry(node, key) if isinstance(node, yaml.MappingNode) else None
    if node is not None and getattr(node, "flow_style", False) and entry is not None:
        value = entry[1]
        empty = isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style
        close = _did_you_mean(str(key), choices).startswith(": did you mean")
        if empty and (" " in str(key).strip() or not close):
            return (
                f"{message}: a comma inside `{{…}}` ended the value before it, and YAML "
                "read the rest as a key; put the whole value in quotes "
                f'(`"…, {shown(str(key))}"`)'
            )
    return message + _did_you_mean(str(key), choices)


def _struct_problems(doc: Document, path: list[PathItem], value: Any, kind: Any) -> list[Problem]:
    """Every problem of a mapping meant to be a struct (`kind` or a union holding one),
    field by field. Empty if `value` is no mapping: the caller reports msgspec's error."""
    structs = _struct_types(kind)
    if not isinstance(value, dict) or len(structs) != 1:
        return []
    fields = _struct_fields(structs[0])
    found: list[Problem] = []
    for key in value:
        if key not in fields:
            found.append(
                doc.problem(
                    [*path, key],
                    _unknown_key(doc, path, key, list(fields)),
                    "unknown-key",
                    key=True,
                )
            )
    for name, field in fields.items():
        at = [*path, name]
        if name not in value:
            if field.required:
                found.append(
                    doc.problem(path, f"this {_what(path)} has no `{name}:`: add one", "missing")
                )
        elif value[name] is None and field.required:
            found.append(doc.problem(at, f"`{name}` is empty: fill it in", "empty"))
        else:
            try:
                msgspec.convert(value[name], field.type)
            except msgspec.ValidationError as exc:
                nested = _struct_problems(doc, at, value[name], field.type)
                nested = nested or _list_problems(doc, at, value[name], field.type)
                found.extend(nested or [_validation_problem(doc, at, str(exc), field.type)])
    return found


def _list_problems(doc: Document, path: list[PathItem], value: Any, kind: Any) -> list[Problem]:
    """Every bad item of a list (msgspec stops at the first); empty if `value` is no
    list or `kind` holds no list type."""
    item_type = next(
        (
            typing.get_args(t)[0]
            for t in (kind, *typing.get_args(kind))
            if typing.get_origin(t) is list
        ),
        None,
    )
    if item_type is None or not isinstance(value, list):
        return []
    found = []
    for index, item in enumerate(value):
        try:
            msgspec.convert(item, item_type)
        except msgspec.ValidationError as exc:
            found.append(_validation_problem(doc, [*path, index], str(exc), item_type))
    return found


@functools.cache
def _struct_fields(kind: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    return {f.encode_name: f for f in msgspec.structs.fields(kind)}


def _what(path: Sequence[PathItem]) -> str:
    if len(path) == 2 and path[0] == "claims":
        return "claim"
    return f"`{shown(next((p for p in reversed(path) if isinstance(p, str)), 'value'))}`"


def _type_words(want: str) -> str:
    if want in _TYPE_WORDS:
        return _TYPE_WORDS[want]
    words: list[str] = []
    for part in want.split(" | "):
        word = _TYPE_WORDS.get(part, part)
        if part in ("int", "float"):
            word = "a number"
        if word not in words:
            words.append(word)
    return " or ".join(words)


_NUMBER_FIELDS = ("count", "best", "min", "max")


def _validation_problem(doc: Document, base: list[PathItem], error: str, kind: Any) -> Problem:
    """Turn msgspec's message into a sentence a curator can act on, at the right place."""
    match = _ERROR_AT.match(error)
    message = match.group("msg") if match else error
    path = list(base)
    dict_key_unknown = False
    where = (match.group("path") if match else None) or ""
    for attr, index in _PATH_ITEM.findall(where):
        if attr:
            path.append(attr)
        elif index:
            path.append(int(index))
        else:
            dict_key_unknown = True
    if dict_key_unknown:  # msgspec does not name dict keys; point at the section
        path = list(base)
    field = shown(next((p for p in reversed(path) if isinstance(p, str)), "value"))
    node = doc.node_at(path)
    raw = getattr(node, "value", None) if node is not None and node.tag != "" else None
    value = shown(raw) if isinstance(raw, str) else None

    if unknown := re.match(r"Object contains unknown field `(.+)`", message, re.S):
        key = unknown.group(1)
        fields = _fields_at(kind, path[len(base) :])
        return doc.problem(
            [*path, key], _unknown_key(doc, path, key, fields), "unknown-key", key=True
        )
    if missing := re.match(r"Object missing required field `(.+)`", message):
        key = missing.group(1)
        return doc.problem(path, f"this {_what(path)} has no `{key}:`: add one", "missing")
    if enum := re.match(r"Invalid enum value '(.*)'", message, re.S):
        facet = BY_KEY.get(field)
        allowed = facet.choices if facet is not None and facet.choices else "an allowed value"
        if path == ["side", "role"]:
            allowed = "`party` (a side of the dispute, the default) or `observer` (who assesses it)"
        return doc.problem(
            path,
            f"`{shown(enum.group(1))}` is not a valid {field}: use {allowed}",
            "value",
        )
    if "RFC3339" in message or ("date" in message and "got `str`" in message):
        return doc.problem(
            path,
            f"`{field}: {value}` is not a date: write it as YYYY-MM-DD, e.g. 2022-09-14",
            "date",
        )
    if expected := re.match(r"Expected `(.+?)`, got `(.+?)`", message):
        want, got = expected.group(1).replace(" | null", ""), expected.group(2)
        want_words = _type_words(want)
        if len(path) == 2 and path[0] == "claims" and want == "object":
            text = (
                "a claim is a mapping of `id:`, `topic:`, `text:` and the other keys, "
                f"not {_TYPE_WORDS.get(got, got)}"
            )
        elif got == "datetime" and want == "date":
            text = f"`{field}` takes a date without a time: write YYYY-MM-DD"
        elif got == "null" and path and isinstance(path[-1], int):
            text = f"item {path[-1] + 1} of `{field}` is empty: write it, or remove it"
        elif got == "null":
            text = f"`{field}` is empty: give it {want_words} or remove the line"
        elif want.startswith("str") and value is not None and got in _READ_AS:
            text = (
                f"`{value}` is read by YAML as {_READ_AS[got]}, but `{field}` takes text: "
                f'put it in quotes: "{value}"'
            )
            return doc.problem(path, text, "yaml-1.1")
        elif want.startswith("date") and got in ("int", "float") and value is not None:
            text = (
                f"`{value}` is read by YAML as a number, but `{field}` takes a date: "
                "write it as YYYY-MM-DD, e.g. 2022-09-14"
            )
            return doc.problem(path, text, "yaml-1.1")
        elif field in _NUMBER_FIELDS and got == "str" and value is not None:
            text = f"`{field}: {value}` is not a number: write digits only, e.g. `{field}: 105`"
            if field == "count":
                text += ", or an interval, e.g. `count: {min: 100, max: 110}`"
        else:
            text = f"`{field}` must be {want_words}, not {_TYPE_WORDS.get(got, got)}"
        return doc.problem(path, text, "type")
    return doc.problem(path, f"`{field}`: {shown(message, 200)}", "invalid")


_READ_AS = {"bool": "a yes/no value", "int": "a number", "float": "a number", "date": "a date"}


def _fields_at(kind: Any, path: Sequence[PathItem]) -> list[str]:
    """The key names a struct type allows at `path` inside `kind` (for did-you-mean)."""
    current: Any = kind
    for item in path:
        if isinstance(item, int):
            args = typing.get_args(current)
            current = args[0] if args else current
            continue
        for f in msgspec.structs.fields(current):
            if f.encode_name == item:
                current = f.type
                break
        current = next(
            (
                a
                for a in typing.get_args(current)
                if isinstance(a, type) and issubclass(a, msgspec.Struct)
            ),
            current,
        )
    if isinstance(current, type) and issubclass(current, msgspec.Struct):
        return [f.encode_name for f in msgspec.structs.fields(current)]
    return []
