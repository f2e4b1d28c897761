"""The documentation in docs/ is run: every example there is checked against the code.

The docs mark what is checked with HTML comments (invisible once rendered), on the
line right before a code block or a table:

- a ```yaml block that is a complete claim file (`factcmp: 1` and `side:`) must
  load; one that is a complete topics.yaml must load too;
- `<!-- excerpt: PATH -->`: the block's claims are those of PATH, shortened;
- `<!-- invalid -->`: the ```yaml block must be refused; the ```text block right
  after it, if any, holds the exact problems, as `claims/example.yaml:LINE:COL: ...`;
- `<!-- file: NAME -->`: the block is saved as claims/NAME for the verdict tables;
- `<!-- verdicts: A B -->` (every topic, in order) and
  `<!-- verdicts excerpt: A B -->` (some topics, in order): the table's topics,
  verdicts and reasons are those of `factcmp diff A B`;
- `<!-- output: [VAR=value ...] factcmp ARGS -->`: the block is the exact output of
  the command (standard output, or standard error when that is all it prints),
  run from the repository root (`--help` at 80 columns);
- `<!-- keys: LEVEL -->`: the table lists exactly the keys of that level of the
  JSON output (`count-json`, `counts` and `csv-columns` tables likewise).
"""

from __future__ import annotations

import json
import math
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from factcmp.cli import main
from factcmp.load.files import load_side, load_topics
from factcmp.model import Claim, format_number
from factcmp.problems import InputError
from factcmp.render.csvout import COLUMNS
from factcmp.render.jsonout import claim_json

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SAMPLE = ROOT / "claims"
HELP_WIDTH = 78  # what click uses in a terminal 80 columns wide
DEFAULT_FILE = "example.yaml"
_MARKER = re.compile(r"^<!--\s*(.*?)\s*-->$")
_FENCE = re.compile(r"^```(\S*)\s*$")
_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a doc, with the marker comment right before it."""

    doc: str
    lang: str
    text: str
    start: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    marker: str

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.start}"

    @property
    def file_name(self) -> str:
        return self.marker[len("file:") :].strip() if self.marker.startswith("file:") else ""


def read_doc(name: str) -> list[str]:
    return (DOCS / name).read_text(encoding="utf-8").splitlines()


def marker_before(lines: list[str], index: int) -> str:
    """The marker comment on the line before `lines[index]` (0-based), or ''."""
    if index == 0:
        return ""
    match = _MARKER.match(lines[index - 1].strip())
    return match.group(1) if match else ""


def code_blocks(name: str) -> list[Block]:
    lines = read_doc(name)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != "```":
            j += 1
        assert j < len(lines), f"{name}:{i + 1}: code block never closed"
        text = "\n".join(lines[i + 1 : j]) + "\n"
        blocks.append(Block(name, fence.group(1), text, i + 1, j + 1, marker_before(lines, i)))
        i = j + 1
    return blocks


def tables(name: str, prefix: str) -> dict[str, list[list[str]]]:
    """marker -> rows (cells, header and separator left out) of the tables whose
    marker starts with `prefix`."""
    lines = read_doc(name)
    found: dict[str, list[list[str]]] = {}
    for i, line in enumerate(lines):
        marker = marker_before(lines, i)
        if not line.startswith("|") or not marker.startswith(prefix):
            continue
        rows: list[list[str]] = []
        j = i + 2  # header, separator
        while j < len(lines) and lines[j].startswith("|"):
            cells = re.split(r"(?<!\\)\|", lines[j].strip()[1:-1])
            rows.append([cell.strip() for cell in cells])
            j += 1
        found[marker] = rows
    return found


def code_spans(cell: str) -> list[str]:
    return _CODE.findall(cell)


def is_claim_file(text: str) -> bool:
    return text.startswith("factcmp: 1\n") and re.search(r"^side:", text, re.M) is not None


def is_topics_file(text: str) -> bool:
    return text.startswith("factcmp: 1\n") and re.search(r"^topics:", text, re.M) is not None


def normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


FORMAT_BLOCKS = code_blocks("format.md")
YAML_BLOCKS = [b for b in FORMAT_BLOCKS if b.lang == "yaml"]
VALID_CLAIM_FILES = [b for b in YAML_BLOCKS if b.marker != "invalid" and is_claim_file(b.text)]
VALID_TOPIC_FILES = [b for b in YAML_BLOCKS if b.marker != "invalid" and is_topics_file(b.text)]
INVALID = [b for b in YAML_BLOCKS if b.marker == "invalid"]
OUTPUT_BLOCKS = [
    b
    for name in ("format.md", "json.md", "cli.md")
    for b in code_blocks(name)
    if b.marker.startswith("output:")
]


def run(args: list[str], env: dict[str, str] | None = None) -> Result:
    """Run factcmp as a user would, from the repository root, with a clean env."""
    clean: dict[str, str | None] = {
        "FACTCMP_CLAIMS": None,
        "FORCE_COLOR": None,
        "TTY_COMPATIBLE": None,
        "NO_COLOR": "1",
        "COLUMNS": "80",
    }
    clean.update(env or {})
    return CliRunner().invoke(main, args, prog_name="factcmp", terminal_width=HELP_WIDTH, env=clean)


def json_output(args: list[str]) -> dict[str, Any]:
    result = run(["diff", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def worked_example(tmp_path: Path) -> Path:
    """The files format.md names with `<!-- file: NAME -->`, in a claims folder."""
    folder = tmp_path / "claims"
    folder.mkdir()
    for block in FORMAT_BLOCKS:
        if block.file_name:
            (folder / block.file_name).write_text(block.text, encoding="utf-8")
    return folder


# --- format.md: the YAML examples ----------------------------------------------------


def test_the_docs_have_examples() -> None:
    assert len(VALID_CLAIM_FILES) >= 3
    assert len(VALID_TOPIC_FILES) >= 2
    assert len(INVALID) >= 5


@pytest.mark.parametrize("block", VALID_CLAIM_FILES, ids=lambda b: b.id)
def test_claim_file_example_loads(block: Block, tmp_path: Path) -> None:
    path = tmp_path / "claims" / (block.file_name or DEFAULT_FILE)
    path.parent.mkdir()
    path.write_text(block.text, encoding="utf-8")
    side = load_side(path)
    assert side.claims


EXCERPTS = [b for b in YAML_BLOCKS if b.marker.startswith("excerpt:")]


@pytest.mark.parametrize("block", EXCERPTS, ids=lambda b: b.id)
def test_excerpt_matches_its_file(block: Block, tmp_path: Path) -> None:
    """A block that says it is a shortened copy of a file holds that file's claims."""
    original = load_side(ROOT / block.marker.removeprefix("excerpt:").strip())
    path = tmp_path / f"{original.id}.yaml"
    path.write_text(block.text, encoding="utf-8")
    excerpt = load_side(path)
    assert (excerpt.name, excerpt.aliases) == (original.name, original.aliases)
    by_id = {claim.id: claim for claim in original.claims}
    fields = "topic text speaker source said quote count subject actor places stance period status"
    assert excerpt.claims
    for claim in excerpt.claims:
        for name in fields.split():
            assert getattr(claim, name) == getattr(by_id[claim.id], name), (claim.id, name)


@pytest.mark.parametrize("block", VALID_TOPIC_FILES, ids=lambda b: b.id)
def test_topics_example_loads(block: Block, tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(block.text, encoding="utf-8")
    assert load_topics(path)


@pytest.mark.parametrize("block", INVALID, ids=lambda b: b.id)
def test_invalid_example_is_refused(block: Block, tmp_path: Path) -> None:
    path = tmp_path / "claims" / (block.file_name or DEFAULT_FILE)
    path.parent.mkdir()
    path.write_text(block.text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_side(path)
    following = [b for b in FORMAT_BLOCKS if b.start > block.end]
    if following and following[0].lang == "text" and following[0].start <= block.end + 2:
        shown = [
            f"{Path(p.file).relative_to(tmp_path).as_posix()}:{p.line}:{p.col}: {p.message}"
            for p in caught.value.problems
        ]
        assert shown == following[0].text.splitlines()


def _interval(claim: Claim) -> str:
    assert claim.count is not None
    high = "no limit" if claim.count.high == math.inf else format_number(claim.count.high)
    return f"{format_number(claim.count.low)} to {high}".replace(",", "")


def _claim_with_count(tmp_path: Path, count: str) -> Claim:
    path = tmp_path / f"count{len(list(tmp_path.iterdir()))}.yaml"
    claim = f"{{id: a, topic: t, text: x, count: {count}}}"
    path.write_text(f"factcmp: 1\nside: {{name: X}}\nclaims:\n  - {claim}\n", encoding="utf-8")
    return load_side(path).claims[0]


def test_counts_table(tmp_path: Path) -> None:
    rows = tables("format.md", "counts")["counts"]
    assert rows
    for written, interval, shown in rows:
        claim = _claim_with_count(tmp_path, code_spans(written)[0])
        assert claim.count is not None
        assert (_interval(claim), claim.count.shown()) == (interval, code_spans(shown)[0])


# --- format.md: the verdicts ---------------------------------------------------------


@pytest.mark.parametrize("marker", sorted(tables("format.md", "verdicts")))
def test_verdict_table(marker: str, worked_example: Path, at_root: None) -> None:
    kind, sides = marker.split(":")
    names = sides.split()
    own = all((worked_example / f"{name}.yaml").is_file() for name in names)
    folder = worked_example if own else SAMPLE
    data = json_output([*names, "--claims-dir", str(folder)])
    real = [(t["topic"], t["verdict"], t["reasons"]) for t in data["topics"]]
    documented = [
        (code_spans(topic)[0], verdict, code_spans(reasons))
        for topic, verdict, reasons in tables("format.md", "verdicts")[marker]
    ]
    assert documented
    if kind.strip() == "verdicts":
        assert documented == real
    else:
        assert documented == [row for row in real if row in documented]


# --- json.md: the keys ---------------------------------------------------------------


def _keys_by_level(data: dict[str, Any]) -> dict[str, set[str]]:
    levels: dict[str, set[str]] = {
        name: set()
        for name in (
            *("top", "summary", "selection", "topic", "pair", "reason", "claim"),
            *("speaker", "source", "count", "period"),
        )
    }
    levels["top"] |= set(data)
    levels["summary"] |= set(data["summary"])
    levels["selection"] |= set(data["selection"])
    for topic in data["topics"]:
        levels["topic"] |= set(topic)
        for pair in topic["pairs"]:
            levels["pair"] |= set(pair)
            for reason in (*pair["reasons"], *pair["agreeing"]):
                levels["reason"] |= set(reason)
        for part in ("claims", "history"):
            assert list(topic[part]) == data["sides"]
            for claims in topic[part].values():
                for claim in claims:
                    levels["claim"] |= set(claim)
                    for key in ("speaker", "source", "period"):
                        if claim[key] is not None:
                            levels[key] |= set(claim[key])
                    if isinstance(claim["count"], dict):
                        levels["count"] |= set(claim["count"])
    return levels


def _claims_out(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (side, claim["id"])
        for topic in data["topics"]
        for part in ("claims", "history")
        for side, claims in topic[part].items()
        for claim in claims
    ]


def test_json_keys_are_documented(worked_example: Path, at_root: None) -> None:
    outputs = [
        json_output([]),  # every side of the bundled sample
        json_output(["northland", "southland", "--claims-dir", str(worked_example)]),
    ]
    real: dict[str, set[str]] = {}
    for data in outputs:
        for level, keys in _keys_by_level(data).items():
            real.setdefault(level, set()).update(keys)
    documented = {
        marker.split(":")[1].strip(): {code_spans(row[0])[0] for row in rows}
        for marker, rows in tables("json.md", "keys:").items()
    }
    assert documented == real


def test_json_guarantees(worked_example: Path, at_root: None) -> None:
    for args, folder in (([], SAMPLE), (["northland", "southland"], worked_example)):
        data = json_output([*args, "--claims-dir", str(folder)])
        assert data["format"] == 1
        assert list(data["side_names"]) == list(data["files"]) == data["sides"]
        written = [
            (side, claim.id)
            for side in data["sides"]
            for claim in load_side(folder / f"{side}.yaml").claims
        ]
        assert sorted(_claims_out(data)) == sorted(written)  # each exactly once
        assert sum(data["summary"].values()) == len(data["topics"])


def test_count_json_table(tmp_path: Path) -> None:
    rows = tables("json.md", "count-json")["count-json"]
    assert rows
    for written, shown in rows:
        count = code_spans(written)[0].removeprefix("count:").strip()
        claim = _claim_with_count(tmp_path, count)
        assert claim_json(claim)["count"] == json.loads(code_spans(shown)[0])


def test_csv_columns(at_root: None) -> None:
    rows = tables("json.md", "csv-columns")["csv-columns"]
    assert [code_spans(row[0])[0] for row in rows] == COLUMNS
    result = run(["diff", "armenia", "azerbaijan", "--format", "csv"])
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)


# --- cli.md and the rest: the outputs ------------------------------------------------


def test_help_of_every_command_is_shown() -> None:
    commands = {b.marker.removeprefix("output:").strip() for b in OUTPUT_BLOCKS}
    assert {"factcmp --help", "factcmp diff --help"} <= commands


@pytest.mark.parametrize("block", OUTPUT_BLOCKS, ids=lambda b: b.id)
def test_output_block(block: Block, at_root: None) -> None:
    words = shlex.split(block.marker.removeprefix("output:"))
    env: dict[str, str] = {}
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    assert words[0] == "factcmp"
    result = run(words[1:], env)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    version = re.compile(r'^  "factcmp": "[^"]*",$', re.M)
    # what the command prints: its output, or its error when it prints nothing else
    printed = result.stdout or result.output
    real = version.sub('  "factcmp": "VERSION",', printed)
    shown = version.sub('  "factcmp": "VERSION",', block.text)
    if os.environ.get("FACTCMP_UPDATE_DOCS") and normalize(shown) != normalize(real):
        _replace_block(block, real)
    assert normalize(shown) == normalize(real)


def _replace_block(block: Block, new_text: str) -> None:
    """FACTCMP_UPDATE_DOCS=1 pytest tests/docs/test_docs.py: write the real output into the
    doc (then review the diff); the test still fails this once."""
    path = DOCS / block.doc
    doc = path.read_text(encoding="utf-8")
    fence = f"```{block.lang}\n"
    old = f"{fence}{block.text}```"
    new = f"{fence}{normalize(new_text)}\n```"
    assert doc.count(old) >= 1
    path.write_text(doc.replace(old, new, 1), encoding="utf-8")
