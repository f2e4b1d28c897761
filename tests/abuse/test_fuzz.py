"""A seeded mutation fuzzer: hostile claim files through every reading command.

Each case takes a folder of claim files (the sample in claims/ or a fixture folder),
mutates one file (byte flips, deleted, duplicated or re-indented lines, swapped
values, control characters, huge numbers, odd YAML, forged annotation keys,
non-UTF-8 bytes, ...) and runs `check` (json, github, text), `diff` (json, table),
`brief` and, for some cases, `topics list|suggest` on the folder, in process
through click's CliRunner; every 100th case also through the installed `factcmp`.
The detectors say what must hold whatever the input:

- `traceback`: no Python traceback, no exception other than SystemExit;
- `exit-code`: the exit code is 0, 1 or 2;
- `json`: JSON output parses (exit 0 or 1);
- `position`: every problem has a position, line and column >= 1 (check's JSON
  findings; `file:line:col: ` lines in check's text and in the problems that
  diff and brief report on standard error);
- `control`: no raw control character (C0 but newline and tab, DEL, C1, bidi
  overrides and isolates, U+2028/U+2029) in text, table, markdown or github
  output, nor on standard error;
- `one-line`: one problem is one line: check's github output is annotations and
  the summary line only, check's text output is problems, their quoted source
  line and caret, file headings and the summary only, and the number of problem
  lines is the number of findings (or the count diff/brief print).

A case is a function of the seed, its index and the claim files of the repository
(new fixture folders join the bases), so one case re-runs by itself:

    FACTCMP_FUZZ_SEED=7 python -m pytest 'tests/abuse/test_fuzz.py::test_mutant[123]'

FACTCMP_FUZZ_SEED changes the seed, FACTCMP_FUZZ_MUTANTS the number of cases. A
failing case writes its folder (claims/, with the mutant) under its tmp_path and
names the seed, the index, the mutations, the command and an excerpt.

Failure classes found and not fixed yet may be listed in KNOWN (none are today): a
case whose every failure is of a known class is an xfail naming the class; any
other failure fails. Classes found and fixed keep their minimal reproducer in FIXED,
run by test_a_fixed_failure_stays_fixed.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from tests.conftest import CLAIMS, REPO

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("FACTCMP_FUZZ_SEED", "20240312"))
MUTANTS = int(os.environ.get("FACTCMP_FUZZ_MUTANTS", "500"))
FACTCMP = shutil.which("factcmp")

# Known failure classes: found by this fuzzer, reported, to be fixed in the product (not
# here). Name -> the detector and what it finds; `failure_class` below matches a
# failure to its class precisely (a detector and a character or a sub-kind), and FIXED
# holds the smallest case of each class once fixed. Any failure not known fails.
KNOWN: dict[str, str] = {}  # none today: add a class here with a comment when found


# The bases: every folder of claim files the repository has ---------------------------


def _folders() -> list[tuple[str, list[Path]]]:
    found = [("claims", sorted(CLAIMS.glob("*.yaml")))]
    for folder in sorted({p.parent for p in (REPO / "tests" / "fixtures").rglob("*.yaml")}):
        found.append((str(folder.relative_to(REPO)), sorted(folder.glob("*.yaml"))))
    return found


FOLDERS = _folders()


# Mutations -----------------------------------------------------------------------------
# Each takes the file's bytes and returns the mutant's and a short description (with
# the line it changed, 1-based), for the failure report.

Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]

CONTROLS = [
    "\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2028", "\u2029", "\x85", "\r", "\x08",
    "\x7f", "\u2066", "\x1b[31mred\x1b[0m", "\x1b]52;c;SGVsbG8=\x07", "\x9b2J", "\x0b", "\x0c",
]  # fmt: skip
EVIL = [
    "a\n::error file=evil.yaml,line=1,col=1::forged",
    "x\r\n::warning file=README.md,line=1::forged",
    "k\n\nevil.yaml:1:1: error: forged [yaml-syntax]",
    "::error file=x,line=1,col=1::inline",
    "t\u2028::error::forged",
    "k\x85::notice::forged",
    "id\x1b[2J\x1b[H",
    "%0A::error::pct",
    "t\n## Forged heading\n",
]
HUGE = [
    "1e309", "9" * 400, "-1", ".inf", "-.inf", ".nan", "0x7fffffffffffffffffff", "1_000_000",
    "0o777", "10e1000", "18446744073709551616", "-0", "1.7976931348623157e309", "0.1e-400",
    "{min: 1e400, max: -1e400}", "{best: .nan}", "{min: .inf}", "{max: -.inf, best: 1}",
    "9999-12-31", "0001-01-01", "2022-02-29", "2020-06-16T23:59:60+14:01", "99999-01-01",
    "1" + "0" * 4000 + "%", "5e308%", "-5%", "2020-06-16T21:30:15.999999999999+05:30",
]  # fmt: skip
ODD = [
    "!!binary ", "!!python/object/apply:os.system ['true'] ", "!custom ", "!!str ", "!!set ",
    "!!timestamp ", "!!int ", "!!float ", "!<tag:yaml.org,2002:str> ", "&anchor ",
]  # fmt: skip
BAD_BYTES = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xfe\xff"]
VALUE_LINE = re.compile(r"^(?P<head>[ \t]*(?:- )?(?P<key>[^\s:#][^:#]*):[ \t]+)(?P<value>\S.*)$")
PLAIN = re.compile(r"^[^\s{\[\"'&*!|>%@`#].*$")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _lines(data: bytes) -> list[str]:
    return _text(data).split("\n")


def _value_lines(lines: list[str], plain: bool = False) -> list[int]:
    found = []
    for i, line in enumerate(lines):
        match = VALUE_LINE.match(line)
        if match and (not plain or PLAIN.match(match["value"])):
            found.append(i)
    return found


def _value(line: str) -> str:
    """The value of a `key: value` line, without a trailing comment."""
    match = VALUE_LINE.match(line)
    return match["value"].split(" #")[0] if match else ""


def _pick_value(rng: random.Random, lines: list[str], plain: bool = False) -> int | None:
    candidates = _value_lines(lines, plain)
    return rng.choice(candidates) if candidates else None


def _key_column(line: str) -> int:
    """The column of a line's first key: after its indent and a list item's `- `."""
    lead = re.match(r"^ *(?:- )?", line)
    return lead.end() if lead else 0


def byte_flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return b"\xff", "byte-flip: empty file -> \\xff"
    out = bytearray(data)
    done = []
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(out))
        old = out[pos]
        out[pos] = old ^ (1 << rng.randrange(8))
        done.append(f"@{pos} (line {data[:pos].count(10) + 1}) {old:#04x}->{out[pos]:#04x}")
    return bytes(out), "byte-flip " + ", ".join(done)


def delete_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    gone = lines.pop(i)
    return _bytes("\n".join(lines)), f"delete line {i + 1}: {gone!r}"


def duplicate_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return _bytes("\n".join(lines)), f"duplicate line {i + 1}: {lines[i]!r}"


def indent(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    body = line.lstrip(" ")
    width = len(line) - len(body)
    how = rng.choice(["more", "less", "tab", "none"])
    if how == "more":
        new = " " * (width + rng.randint(1, 4)) + body
    elif how == "less":
        new = " " * max(0, width - rng.randint(1, 4)) + body
    elif how == "tab":
        new = "\t" * rng.randint(1, 2) + body
    else:
        new = body
    lines[i] = new
    return _bytes("\n".join(lines)), f"indent ({how}) line {i + 1}: {line!r} -> {new!r}"


def swap_values(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    candidates = _value_lines(lines)
    if len(candidates) < 2:
        return delete_line(rng, data)
    i, j = rng.sample(candidates, 2)
    a, b = VALUE_LINE.match(lines[i]), VALUE_LINE.match(lines[j])
    assert a
    assert b
    lines[i], lines[j] = a["head"] + b["value"], b["head"] + a["value"]
    return _bytes("\n".join(lines)), f"swap values of lines {i + 1} and {j + 1}"


def control_char(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    char = rng.choice(CONTROLS)
    mode = rng.choice(["raw", "escaped", "escaped", "key"])
    if mode == "escaped":
        i = _pick_value(rng, lines, plain=True)
        if i is not None:
            match = VALUE_LINE.match(lines[i])
            assert match
            value = match["value"].split(" #")[0]
            k = rng.randrange(len(value) + 1)
            lines[i] = match["head"] + json.dumps(value[:k] + char + value[k:])
            return _bytes("\n".join(lines)), f"escaped {char!r} into line {i + 1}: {lines[i]!r}"
    if mode == "key":
        i = _pick_value(rng, lines)
        if i is not None:
            match = VALUE_LINE.match(lines[i])
            assert match
            key = match["key"].lstrip("- ")
            evil = json.dumps(key[:1] + char + key[1:])
            lines[i] = lines[i].replace(key + ":", evil + ":", 1)
            return _bytes("\n".join(lines)), f"{char!r} into the key of line {i + 1}: {lines[i]!r}"
    i = _pick_value(rng, lines)
    if i is None:
        i = rng.randrange(len(lines))
    line = lines[i]
    k = rng.randrange(len(line) // 2, len(line) + 1)
    lines[i] = line[:k] + char + line[k:]
    return _bytes("\n".join(lines)), f"raw {char!r} into line {i + 1}: {lines[i]!r}"


def huge_number(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    number = rng.choice(HUGE)
    numeric = re.compile(r"^-?[\d.]+%?$|^\d{4}-\d\d-\d\d")
    candidates = [i for i in _value_lines(lines) if numeric.match(_value(lines[i]))]
    if candidates and rng.random() < 0.7:
        i = rng.choice(candidates)
        match = VALUE_LINE.match(lines[i])
        assert match
        lines[i] = match["head"] + number
        return _bytes("\n".join(lines)), f"number in line {i + 1}: {lines[i][:80]!r}"
    ids = [i for i, line in enumerate(lines) if re.match(r"^\s*- id:", line)]
    if not ids:
        return _bytes(_text(data).replace("factcmp: 1", "factcmp: " + number, 1)), (
            f"factcmp: {number[:40]}"
        )
    i = rng.choice(ids)
    pad = " " * (lines[i].index("-") + 2)
    key = rng.choice(["count", "said", "count", "period"])
    value = f"{{from: {number}}}" if key == "period" else number
    lines.insert(i + 1, f"{pad}{key}: {value}")
    return _bytes("\n".join(lines)), f"insert after line {i + 1}: {lines[i + 1][:80]!r}"


def odd_yaml(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    text = _text(data)
    lines = text.split("\n")
    how = rng.choice(
        ["tag", "alias", "flow", "documents", "bom", "bom-mid", "tabs", "directive", "merge",
         "complex-key", "null", "deep", "long", "block-scalar", "truncate", "empty", "crlf"]
    )  # fmt: skip
    i = _pick_value(rng, lines)
    match = VALUE_LINE.match(lines[i]) if i is not None else None
    if how == "tag" and match and i is not None:
        lines[i] = match["head"] + rng.choice(ODD) + match["value"]
    elif how == "alias" and match and i is not None:
        j = _pick_value(rng, lines)
        assert j is not None
        other = VALUE_LINE.match(lines[j])
        assert other
        lines[i] = match["head"] + "&a " + match["value"]
        lines[j] = other["head"] + "*a"
    elif how == "flow" and match and i is not None:
        flows = ["{}", "[]", "{x: [y, {z: 1}]}", "[a, [b, [c]]]", "{name: {name: x}}",
                 "{? [a]: b}", "[{id: x, topic: t, text: y}]", "{text: }", "[,]"]  # fmt: skip
        lines[i] = match["head"] + rng.choice(flows)
    elif how == "documents":
        text = rng.choice([text + "\n---\n" + text, "---\n" + text + "\n...\n", text + "\n---\n"])
        return _bytes(text), "multi-document"
    elif how == "bom":
        return b"\xef\xbb\xbf" + data, "BOM at the start"
    elif how == "bom-mid" and i is not None:
        lines[i] = lines[i] + "\ufeff"
    elif how == "tabs":
        lines = [re.sub(r"^( +)", lambda m: "\t" * (len(m[1]) // 2), li) for li in lines]
        return _bytes("\n".join(lines)), "tabs for indentation"
    elif how == "directive":
        head = rng.choice(["%YAML 1.1\n---\n", "%TAG ! tag:evil,2000:\n---\n", "%YAML 9.9\n---\n"])
        return _bytes(head + text), f"directive {head!r}"
    elif how == "merge" and i is not None:
        lines.insert(i + 1, " " * _key_column(lines[i]) + "<<: {extra: 1}")
    elif how == "complex-key" and i is not None:
        pad = " " * _key_column(lines[i])
        lines.insert(i + 1, f"{pad}? [a, b]\n{pad}: c")
    elif how == "null" and match and i is not None:
        lines[i] = match["head"].rstrip() + rng.choice(["", " ~", " null", " ''", ' ""'])
    elif how == "deep" and match and i is not None:
        depth = rng.choice([50, 200, 2000])
        lines[i] = match["head"] + "[" * depth + "]" * depth
    elif how == "long" and match and i is not None:
        lines[i] = match["head"] + rng.choice(["x", "é", "\u0301", "字"]) * 20000
    elif how == "block-scalar" and match and i is not None:
        inner = " " * (_key_column(lines[i]) + 2)
        lines[i] = match["head"] + rng.choice(["|", ">-", "|+", "|2"]) + "\n" + inner + "line one"
        lines[i] += "\n" + inner + "\x1b[1mline two"
    elif how == "truncate":
        cut = rng.randrange(len(data) + 1)
        return data[:cut], f"truncate at byte {cut}"
    elif how == "empty":
        return rng.choice([b"", b"\n", b"---\n", b"~\n", b"[]\n", b"factcmp: 1\n"]), "empty-ish"
    elif how == "crlf":
        return data.replace(b"\n", rng.choice([b"\r\n", b"\r"])), "line ends CRLF or CR"
    else:
        return duplicate_line(rng, data)
    where = f" at line {i + 1}" if i is not None else ""
    return _bytes("\n".join(lines)), f"odd YAML: {how}{where}"


def evil_key(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    evil = rng.choice(EVIL)
    where = rng.choice(["key", "value", "speaker", "topic"])
    quoted = json.dumps(evil)
    if where == "speaker":
        for k, line in enumerate(lines):
            if line.startswith("speakers:"):
                lines.insert(k + 1, f"  {quoted}: {{name: N}}")
                return _bytes("\n".join(lines)), f"speaker key {quoted} after line {k + 1}"
    if where == "topic":
        tops = [i for i, line in enumerate(lines) if re.match(r"^\s*(?:- )?topic:", line)]
        if tops:
            t = rng.choice(tops)
            lines[t] = lines[t].split("topic:")[0] + "topic: " + quoted
            return _bytes("\n".join(lines)), f"topic {quoted} at line {t + 1}"
    i = _pick_value(rng, lines)
    if i is None:
        return _bytes(quoted + ": 1\n") + data, f"key {quoted} at line 1"
    match = VALUE_LINE.match(lines[i])
    assert match
    if where == "value":
        lines[i] = match["head"] + quoted
        return _bytes("\n".join(lines)), f"value {quoted} at line {i + 1}"
    lines.insert(i + 1, " " * _key_column(lines[i]) + f"{quoted}: 1")
    return _bytes("\n".join(lines)), f"key {quoted} at line {i + 2}"


def non_utf8(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    how = rng.choice(["bytes", "bytes", "utf-16", "latin-1", "cp1252"])
    if how == "bytes":
        bad = rng.choice(BAD_BYTES)
        lines = _lines(data)
        i = _pick_value(rng, lines)
        if i is None:
            pos = rng.randrange(len(data) + 1)
            return data[:pos] + bad + data[pos:], f"bytes {bad!r} at byte {pos}"
        head = sum(len(_bytes(line)) + 1 for line in lines[:i])
        pos = head + rng.randrange(len(_bytes(lines[i])) + 1)
        return data[:pos] + bad + data[pos:], f"bytes {bad!r} into line {i + 1}"
    text = _text(data).replace("Armenian", "Arméniän").replace("Southland", "Südland")
    text = text.replace("text: ", "text: Œuvre – ", 1)
    return text.encode(how, "replace"), f"the file encoded as {how}"


TEXT_KEY = re.compile(
    r"^(?P<head>\s*(?:- )?(?P<key>text|quote|topic|id|name|role|label|claim|outlet|title|author"
    r"|subject|actor|description|places|aliases):[ \t]+)(?P<value>.*)$"
)


def hostile_text(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A text value made hostile but still valid, so that it reaches diff and brief."""
    lines = _lines(data)
    candidates = [i for i, line in enumerate(lines) if TEXT_KEY.match(line)]
    if not candidates:
        return control_char(rng, data)
    i = rng.choice(candidates)
    match = TEXT_KEY.match(lines[i])
    assert match
    parts = [rng.choice(["", "Jermuk ", "105 troops ", "Lorn"])]
    for _ in range(rng.randint(1, 3)):
        parts.append(rng.choice(CONTROLS + EVIL + ["​", "­", "*bold* _x_ `c` <b>"]))
        parts.append(rng.choice(["", " killed.", " x", "\n"]))
    value = json.dumps("".join(parts))
    if match["key"] in ("places", "aliases"):
        value = f"[Somewhere, {value}]"
    lines[i] = match["head"] + value
    return _bytes("\n".join(lines)), f"hostile text in line {i + 1}: {lines[i][:160]!r}"


MUTATIONS: dict[str, Mutation] = {
    "byte-flip": byte_flip,
    "delete-line": delete_line,
    "duplicate-line": duplicate_line,
    "indent": indent,
    "swap-values": swap_values,
    "control-char": control_char,
    "huge-number": huge_number,
    "odd-yaml": odd_yaml,
    "evil-key": evil_key,
    "non-utf8": non_utf8,
    "hostile-text": hostile_text,
}
KINDS = list(MUTATIONS)
# The first mutation of case i is ROTATION[i % len(ROTATION)]: every kind in turn, hostile
# text twice as often, as most other mutations stop a file from loading (diff and brief
# then render only the problems).
ROTATION = [*KINDS, "hostile-text"]


# Now and then the mutated file also gets a hostile name (os.fsdecode'd bytes), and the
# terminal an odd width.
NAMES = [
    b"ev\x1b[31mil", b"a\nb", b"::error file=x,line=1::forged", b"bad\xffname", b"\xc3\x28",
    b"r\xe2\x80\xaeevil", b"tab\tname", b"-dash", b" space ", b"\xe2\x80\xa8sep", b"x\x07y",
]  # fmt: skip
COLUMNS = ["0", "1", "7", "40", "-1", "wide", "1000", ""]


@dataclass
class Mutant:
    index: int
    folder: str  # the base folder, relative to the repository
    files: dict[str, bytes]  # file name -> content, the mutated one among them
    target: str
    steps: list[str] = field(default_factory=list)
    columns: str = "120"

    def describe(self) -> str:
        odd = f" (COLUMNS={self.columns!r})" if self.columns != "120" else ""
        return f"{self.folder}/{self.target!r}{odd}: " + "; ".join(self.steps)


def make_mutant(index: int, seed: int = SEED) -> Mutant:
    """The mutant of case `index`: a function of the seed and the index alone."""
    rng = random.Random(f"{seed}:{index}")
    folder, paths = FOLDERS[rng.randrange(len(FOLDERS))]
    sides = [p for p in paths if p.name != "topics.yaml"]
    target = rng.choice(paths) if rng.random() < 0.15 else rng.choice(sides)
    files = {p.name: p.read_bytes() for p in paths}
    mutant = Mutant(index, folder, files, target.name)
    kinds = [ROTATION[index % len(ROTATION)]]
    if kinds[0] == "hostile-text":
        kinds *= rng.choice([1, 2, 3])  # keep the file loadable
    else:
        kinds += rng.sample(KINDS, rng.choice([0, 0, 0, 1, 1, 2]))
    data = files[target.name]
    for kind in kinds:
        data, step = MUTATIONS[kind](rng, data)
        mutant.steps.append(step)
    files[target.name] = data
    if rng.random() < 0.08:
        name = os.fsdecode(rng.choice(NAMES) + (b".yml" if rng.random() < 0.3 else b".yaml"))
        if name not in files:
            files[name] = files.pop(target.name)
            mutant.steps.append(f"renamed {target.name} to {name!r}")
            mutant.target = name
    if rng.random() < 0.08:
        mutant.columns = rng.choice(COLUMNS)
    return mutant


# Running the commands ------------------------------------------------------------------


@dataclass
class Run:
    label: str
    args: list[str]
    code: int
    stdout: str
    stderr: str
    crash: str | None = None  # the traceback of an exception that escaped


ENV = {
    "NO_COLOR": "1",
    "COLUMNS": "120",
    "GITHUB_ACTIONS": None,
    "FACTCMP_CLAIMS": None,
    "FORCE_COLOR": None,
}
COMMANDS: list[tuple[str, list[str]]] = [
    ("check json", ["check", "claims", "--format", "json"]),
    ("check github", ["check", "claims", "--format", "github"]),
    ("check text", ["check", "claims", "--format", "text"]),
    ("diff json", ["diff", "--claims-dir", "claims", "--format", "json"]),
    ("diff table", ["diff", "--claims-dir", "claims"]),
    ("brief", ["brief", "--claims-dir", "claims", "--date", "2024-03-12"]),
]
TOPICS_COMMANDS: list[tuple[str, list[str]]] = [
    ("topics list", ["topics", "list", "--claims-dir", "claims"]),
    ("topics suggest", ["topics", "suggest", "--claims-dir", "claims"]),
]
SUBPROCESS_COMMANDS = ["check github", "check text", "diff table", "brief"]


def run_in_process(label: str, args: list[str], columns: str) -> Run:
    result = CliRunner().invoke(main, args, env={**ENV, "COLUMNS": columns})
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        crash = "".join(traceback.format_exception(*result.exc_info))
    stderr = result.stderr if result.stderr_bytes is not None else ""
    return Run(label, args, result.exit_code, result.stdout, stderr, crash)


def run_installed(label: str, args: list[str], cwd: Path, columns: str) -> Run:
    assert FACTCMP is not None
    env = {k: v for k, v in os.environ.items() if k not in ENV}
    env.update({k: v for k, v in ENV.items() if v is not None})
    env["COLUMNS"] = columns
    done = subprocess.run(
        [FACTCMP, *args], cwd=cwd, env=env, capture_output=True, timeout=60, check=False
    )
    out: list[str] = []
    crash = None
    for raw in (done.stdout, done.stderr):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            out.append(raw.decode("utf-8", "backslashreplace"))
            crash = crash or f"output is not UTF-8: {exc}"
    return Run("factcmp " + label, args, done.returncode, out[0], out[1], crash)


# Detectors -----------------------------------------------------------------------------


@dataclass
class Failure:
    detector: str
    run: Run
    what: str  # what is wrong, with the offending excerpt
    tag: str = ""  # which failure of its detector: for `control`, the character


RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
POSITION = re.compile(r"^(?P<file>.+?):(?P<line>-?\d+):(?P<col>-?\d+): ")
PROBLEM = re.compile(POSITION.pattern + r"(error|warning): .* \[[a-z0-9.-]+\]$")
CONTEXT = re.compile(r"^ +\d+ \| ")
CARET = re.compile(r"^ *\^$")
SUMMARY = re.compile(
    r"^(\d+ errors?, \d+ warnings? in \d+ files? \(\d+ checked\)|\d+ files? checked: no problems)$"
)
COUNT = re.compile(r"^factcmp: (?P<n>\d+) problems? in \d+ files?; fix (it|them) and run again$")
# The starts of the lines that EVIL's newlines would forge, were they passed raw.
FORGED = re.compile(
    r"^(::error file=evil\.yaml|::warning file=README\.md|evil\.yaml:1:1: error: forged"
    r"|## Forged heading|::notice::forged|::error::(forged|pct))",
    re.MULTILINE,
)
GITHUB = re.compile(r"^::(error|warning|notice)( |::)")


def excerpt(text: str, start: int, end: int | None = None, width: int = 120) -> str:
    end = start + 1 if end is None else end
    return repr(text[max(0, start - width // 2) : end + width // 2])


def line_excerpt(lines: list[str], i: int) -> str:
    return f"line {i + 1} of the output: " + repr("\n".join(lines[max(0, i - 1) : i + 2]))


def detect(run: Run, findings: int | None) -> Iterator[Failure]:
    """What is wrong with one run; `findings`: check's count of findings from its JSON."""
    for stream in (run.stdout, run.stderr):
        at = stream.find("Traceback (most recent call last)")
        if at >= 0:
            yield Failure("traceback", run, repr(stream[at:][-1500:]))
    if run.crash:
        yield Failure("traceback", run, run.crash[-1500:])
    if run.code not in (0, 1, 2):
        yield Failure("exit-code", run, f"exit code {run.code}")
    is_json = run.label.endswith("json")
    if is_json and run.code in (0, 1):
        try:
            data = json.loads(run.stdout)
        except json.JSONDecodeError as exc:
            yield Failure("json", run, f"{exc}: {excerpt(run.stdout, exc.pos)}")
        else:
            if run.label.startswith("check"):
                for finding in data.get("findings", []):
                    line, col = finding.get("line"), finding.get("col")
                    if not (type(line) is int and type(col) is int and line >= 1 and col >= 1):
                        yield Failure("position", run, f"finding without a position: {finding}")
    for name, stream in (("stdout", run.stdout), ("stderr", run.stderr)):
        if name == "stdout" and is_json:
            continue  # JSON escapes what it must; it is for scripts, not terminals
        seen: set[str] = set()
        for match in RAW_CONTROL.finditer(stream):
            if match[0] not in seen:  # each character apart: each may be its own class
                seen.add(match[0])
                where = f"raw {match[0]!r} in {name} at {match.start()}: "
                yield Failure("control", run, where + excerpt(stream, match.start()), tag=match[0])
        forged = FORGED.search(stream)
        if forged:
            yield Failure(
                "one-line", run, f"a forged line in {name}: " + excerpt(stream, forged.start())
            )
    if run.code == 2 and run.args[0] in ("diff", "brief", "topics"):
        yield from _detect_problems_on_stderr(run)
    if run.label.endswith("check github") and run.code in (0, 1):
        yield from _detect_github(run, findings)
    if run.label.endswith("check text") and run.code in (0, 1):
        yield from _detect_check_text(run, findings)


def _detect_problems_on_stderr(run: Run) -> Iterator[Failure]:
    lines = run.stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and lines[0].startswith("Usage: "):
        return  # a usage error (never from a file's content here)
    counted = None
    problems = 0
    for i, line in enumerate(lines):
        count = COUNT.match(line)
        if count:
            counted = int(count["n"])
            continue
        if line.startswith("factcmp: ") and not POSITION.match(line):
            continue  # a note (undated claims left out, ...), not a problem
        position = POSITION.match(line)
        if not position:
            what = "a problem without file:line:col: " + line_excerpt(lines, i)
            yield Failure("position", run, what)
            continue
        problems += 1
        if int(position["line"]) < 1 or int(position["col"]) < 1:
            yield Failure("position", run, "line or column below 1: " + line_excerpt(lines, i))
    if counted is not None and counted != problems:
        what = f"{problems} problem lines but the count says {counted}: "
        yield Failure("one-line", run, what + repr(run.stderr[-600:]))


def _detect_github(run: Run, findings: int | None) -> Iterator[Failure]:
    lines = run.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    annotations = 0
    for i, line in enumerate(lines):
        if GITHUB.match(line):
            annotations += 1
        elif line and not (i == len(lines) - 1 and SUMMARY.match(line)):
            yield Failure("one-line", run, "not an annotation: " + line_excerpt(lines, i))
    if findings is not None and annotations != findings:
        yield Failure("one-line", run, f"{annotations} annotations for {findings} findings")


def _detect_check_text(run: Run, findings: int | None) -> Iterator[Failure]:
    lines = run.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for k in range(2, 5):  # the summary, wrapped to the terminal's width
        if len(lines) >= k and SUMMARY.match(" ".join(x.strip() for x in lines[-k:])):
            wrapped = repr("\n".join(lines[-k:]))
            yield Failure("one-line", run, "the summary wrapped: " + wrapped, tag="summary")
            del lines[-k:]
            break
    problems = 0
    for i, line in enumerate(lines):
        problem = PROBLEM.match(line)
        if problem:
            problems += 1
            if int(problem["line"]) < 1 or int(problem["col"]) < 1:
                yield Failure("position", run, "line or column below 1: " + line_excerpt(lines, i))
            continue
        if not line or CONTEXT.match(line) or CARET.match(line):
            continue
        if i == len(lines) - 1 and SUMMARY.match(line):
            continue
        following = PROBLEM.match(lines[i + 1]) if i + 1 < len(lines) else None
        if following and following["file"] == line:
            continue  # the file's heading
        what = "a line that is no part of a problem: " + line_excerpt(lines, i)
        yield Failure("one-line", run, what)
    if findings is not None and problems != findings:
        yield Failure("one-line", run, f"{problems} problem lines for {findings} findings")


def check_findings(run: Run) -> int | None:
    try:
        return len(json.loads(run.stdout)["findings"])
    except (ValueError, KeyError, TypeError):
        return None


def run_all(mutant: Mutant, root: Path) -> list[Failure]:
    claims = root / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    for name, data in mutant.files.items():
        (claims / name).write_bytes(data)  # names are os.fsdecode'd: any bytes but / and NUL
    commands = list(COMMANDS)
    if mutant.index % 4 == 0:
        commands += TOPICS_COMMANDS
    runs = [run_in_process(label, args, mutant.columns) for label, args in commands]
    findings = check_findings(runs[0]) if runs[0].code in (0, 1) else None
    if FACTCMP and mutant.index % 100 == 7:
        runs += [run_installed(label, args, root, mutant.columns) for label, args in commands
                 if label in SUBPROCESS_COMMANDS]  # fmt: skip
    return [failure for run in runs for failure in detect(run, findings)]


# Known failures ------------------------------------------------------------------------


def failure_class(failure: Failure) -> str | None:
    """The class of a failure found before (see FIXED), or None."""
    if failure.detector == "control" and failure.tag in ("\u2028", "\u2029"):
        return "line-separator-raw"
    if failure.detector == "one-line" and failure.tag == "summary":
        return "check-summary-wraps"
    return None


def known_class(failure: Failure) -> str | None:
    """The KNOWN class of a failure, or None when it is not a known one."""
    found = failure_class(failure)
    return found if found in KNOWN else None


def report(seed: int, mutant: Mutant, failures: list[Failure], where: Path) -> str:
    out = [
        f"seed {seed}, mutant {mutant.index}: {mutant.describe()}",
        f"the mutant folder: {where / 'claims'} (re-run: FACTCMP_FUZZ_SEED={seed} "
        f"python -m pytest 'tests/abuse/test_fuzz.py::test_mutant[{mutant.index}]')",
    ]
    for failure in failures[:8]:
        command = " ".join(failure.run.args)
        out.append(f"- [{failure.detector}] {failure.run.label}: factcmp {command}")
        out.append(f"  exit {failure.run.code}: {failure.what[:1600]}")
    if len(failures) > 8:
        out.append(f"... and {len(failures) - 8} more")
    return "\n".join(out)


# Minimal reproducers of the classes the fuzzer found, all fixed since: claim files,
# the command and COLUMNS. (U+2028 and U+2029 reached the table raw; check's summary
# wrapped at COLUMNS=40.)
HEAD = "factcmp: 1\nside: {name: %s}\nclaims:\n"
FIXED: dict[str, tuple[dict[str, bytes], str, str]] = {
    "line-separator-raw": (
        {
            "a.yaml": _bytes(HEAD % "A" + '  - {id: c, topic: t, text: "x\\u2028y", count: 1}\n'),
            "b.yaml": _bytes(HEAD % "B" + "  - {id: c, topic: t, text: z, count: 2}\n"),
        },
        "diff table",
        "120",
    ),
    "check-summary-wraps": (
        {"a.yaml": _bytes(HEAD % "A" + "  - {id: c, topic: t, text: x, cout: 1}\n")},
        "check text",
        "40",
    ),
}


# The tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(MUTANTS))
def test_mutant(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    mutant = make_mutant(index)
    failures = run_all(mutant, tmp_path)
    unknown = [f for f in failures if known_class(f) is None]
    if unknown:
        pytest.fail(report(SEED, mutant, unknown, tmp_path), pytrace=False)
    if failures:
        classes = sorted({known_class(f) or "" for f in failures})
        pytest.xfail(f"known failure class(es) {', '.join(classes)}: {mutant.describe()[:200]}")


def test_mutants_are_seeded_and_varied() -> None:
    """The same seed and index give the same mutant; every kind of mutation is used."""
    assert make_mutant(3).files == make_mutant(3).files
    assert make_mutant(3).files != make_mutant(3, seed=SEED + 1).files
    kinds = {ROTATION[i % len(ROTATION)] for i in range(MUTANTS)}
    assert kinds == set(KINDS)
    assert MUTANTS >= 500 or "FACTCMP_FUZZ_MUTANTS" in os.environ


@pytest.mark.parametrize("name", sorted(FIXED))
def test_a_fixed_failure_stays_fixed(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each class the fuzzer found, by its minimal reproducer: fixed, and kept so."""
    files, label, columns = FIXED[name]
    monkeypatch.chdir(tmp_path)
    mutant = Mutant(-1, "reproducer", dict(files), next(iter(files)), [name], columns)
    claims = tmp_path / "claims"
    claims.mkdir()
    for file, data in mutant.files.items():
        (claims / file).write_bytes(data)
    args = dict(COMMANDS)[label]
    run = run_in_process(label, args, columns)
    failures = [f for f in detect(run, None) if failure_class(f) == name]
    assert not failures, report(SEED, mutant, failures, tmp_path)


def _run(label: str, stdout: str, stderr: str = "", code: int = 1) -> Run:
    return Run(label, dict(COMMANDS)[label], code, stdout, stderr)


COUNTED = "factcmp: 1 problem in 1 file; fix it and run again\n"
GITHUB_FORGED = "::error file=a,line=1,col=1::x\n::error file=evil.yaml::y\n"
BAD_RUNS = [
    (_run("check json", "{"), "json"),
    (_run("check json", '{"findings": [{"line": 0, "col": 1}]}'), "position"),
    (_run("check text", "Traceback (most recent call last):\n  boom\n"), "traceback"),
    (_run("diff table", "x", code=3), "exit-code"),
    (_run("diff table", "a \x1b[2J b"), "control"),
    (_run("brief", "a \u202e b"), "control"),
    (_run("diff json", "{}", stderr="\x9b"), "control"),
    (_run("check github", "::error file=a,line=1,col=1::x\nforged\n"), "one-line"),
    (_run("check github", GITHUB_FORGED), "one-line"),
    (_run("check text", "a.yaml\na.yaml:1:1: error: x\ny [rule]\n"), "one-line"),
    (_run("check text", "a.yaml\na.yaml:0:1: error: x [rule]\n"), "position"),
    (_run("diff table", "", "a.yaml: no position\n" + COUNTED, 2), "position"),
    (_run("brief", "", "a.yaml:1:1: x\ny\n" + COUNTED, 2), "position"),
    (_run("brief", "", "a.yaml:1:1: x\na.yaml:2:1: y\n" + COUNTED, 2), "one-line"),
    (_run("brief", "- x said that a\n## Forged heading\n"), "one-line"),
]


@pytest.mark.parametrize(("run", "detector"), BAD_RUNS)
def test_the_detectors_detect(run: Run, detector: str) -> None:
    """Each detector flags what it is for (a fuzzer that detects nothing passes too)."""
    assert detector in {f.detector for f in detect(run, 1)}


def test_the_detectors_pass_clean_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "tests" / "fixtures" / "check" / "broken", tmp_path / "claims")
    runs = [run_in_process(label, args, "120") for label, args in COMMANDS]
    assert runs[0].code == 1
    assert [f.what for run in runs for f in detect(run, check_findings(runs[0]))] == []
