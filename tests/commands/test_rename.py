"""`factcmp topics rename`: only the key's characters change, all files or none."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from tests.helpers import NORTH, SOUTH, TOPICS

REPO = Path(__file__).resolve().parents[2]
EXE = shutil.which("factcmp") or "factcmp"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "north.yaml").write_text(NORTH, encoding="utf-8")
    (claims / "south.yaml").write_text(SOUTH, encoding="utf-8")
    (claims / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    return claims


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["topics", "rename", *args])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_rename_changes_only_the_keys_characters(folder: Path) -> None:
    code, out = invoke("deaths", "casualties.military", "--claims-dir", str(folder))
    assert code == 0, out
    assert "in 1 file(s)" in out
    want = (
        NORTH.replace("    topic: deaths     #", "    topic: casualties.military     #")
        .replace("    topic: 'deaths'", "    topic: 'casualties.military'")
        .replace('topic: "deaths", text: Flow', 'topic: "casualties.military", text: Flow')
    )
    assert (folder / "north.yaml").read_text(encoding="utf-8") == want
    assert (folder / "south.yaml").read_text(encoding="utf-8") == SOUTH
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == TOPICS


def test_after_a_rename_check_is_clean_and_diff_compares(folder: Path) -> None:
    before = subprocess.run([EXE, "check", str(folder)], capture_output=True, text=True)
    assert "deaths" in before.stdout  # not in topics.yaml: a warning
    subprocess.run(
        [EXE, "topics", "rename", "deaths", "casualties.military", "--claims-dir", str(folder)],
        check=True,
        capture_output=True,
    )
    after = subprocess.run([EXE, "check", str(folder)], capture_output=True, text=True)
    assert after.returncode == 0
    assert after.stdout == "3 files checked: no problems\n"
    diff = subprocess.run(
        [EXE, "diff", "--claims-dir", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    topics = {t["topic"]: t for t in json.loads(diff.stdout)["topics"]}
    assert topics["casualties.military"]["verdict"] == "contradiction"
    assert "deaths" not in topics


def test_rename_in_topics_yaml_too(folder: Path) -> None:
    code, out = invoke("casualties.military", "deaths.military", "--claims-dir", str(folder))
    assert code == 0, out
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == TOPICS.replace(
        "  casualties.military:\n", "  deaths.military:\n"
    )
    assert "topic: deaths.military" in (folder / "south.yaml").read_text(encoding="utf-8")


def test_one_side_only_copies_the_label(folder: Path) -> None:
    before = subprocess.run([EXE, "check", str(folder)], capture_output=True, text=True)
    code, out = invoke("shelling", "attack.first", "--side", "south", "--claims-dir", str(folder))
    assert code == 0, out
    topics = (folder / "topics.yaml").read_text(encoding="utf-8")
    assert topics == TOPICS.replace(
        "  shelling: {label: Who shelled first}\n",
        "  shelling: {label: Who shelled first}\n  attack.first: {label: Who shelled first}\n",
    )
    assert "topic: shelling" in (folder / "north.yaml").read_text(encoding="utf-8")
    after = subprocess.run([EXE, "check", str(folder)], capture_output=True, text=True)
    assert after.stdout.splitlines()[-1] == before.stdout.splitlines()[-1]  # as clean as before
    assert after.returncode == before.returncode == 0


def test_dry_run_prints_a_diff_and_writes_nothing(folder: Path) -> None:
    before = snapshot(folder)
    code, out = invoke("deaths", "casualties.military", "--dry-run", "--claims-dir", str(folder))
    assert code == 0
    assert snapshot(folder) == before
    assert f"--- a/{folder}/north.yaml" in out
    assert "-    topic: deaths     # renamed below" in out
    assert "+    topic: casualties.military     # renamed below" in out
    applied = subprocess.run(
        ["git", "apply", "--unsafe-paths", "--directory=", "-p1", "--check", "-"],
        input=out,
        text=True,
        capture_output=True,
        cwd="/",
    )
    assert applied.returncode == 0, applied.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deathz", "x"], 'no claim has the topic "deathz"; did you mean "deaths"?'),
        (["deaths", "deaths"], "already called"),
        (["deaths", "has space"], "has a space"),
        (["deaths", "x", "--side", "west"], "no side west"),
        (["shelling", "x", "--side", "south", "--side", "north", "--merge"], None),
    ],
)
def test_refusals_exit_2_and_write_nothing(
    folder: Path, args: list[str], message: str | None
) -> None:
    before = snapshot(folder)
    code, out = invoke(*args, "--claims-dir", str(folder))
    if message is None:
        assert code == 0
        return
    assert code == 2, out
    assert message in out
    assert snapshot(folder) == before


def test_new_listed_with_another_label_needs_merge(folder: Path) -> None:
    before = snapshot(folder)
    code, out = invoke("shelling", "casualties.military", "--claims-dir", str(folder))
    assert code == 2
    assert "pass --merge" in out
    assert "Military deaths" in out
    assert snapshot(folder) == before
    code, out = invoke("shelling", "casualties.military", "--merge", "--claims-dir", str(folder))
    assert code == 0, out
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == TOPICS.replace(
        "  shelling: {label: Who shelled first}\n", ""
    )


def test_refuses_when_a_file_has_problems(folder: Path) -> None:
    (folder / "south.yaml").write_text(SOUTH.replace("count: 45", "count: [45"), "utf-8")
    before = snapshot(folder)
    code, out = invoke("deaths", "casualties.military", "--claims-dir", str(folder))
    assert code == 2
    assert "south.yaml:" in out
    assert snapshot(folder) == before


def test_a_failed_write_changes_nothing(folder: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        code, out = invoke("casualties.military", "deaths", "--claims-dir", str(folder))
    finally:
        folder.chmod(0o755)
    assert code == 2
    assert "nothing was changed" in out
    assert snapshot(folder) == before


@pytest.mark.slow
def test_a_kill_leaves_every_file_whole_and_running_again_finishes(tmp_path: Path) -> None:
    """Many files, killed at many moments: each file is its old bytes or its new, never
    half; running the rename again finishes the job."""
    claims = tmp_path / "claims"
    claims.mkdir()
    for i in range(40):
        body = NORTH.replace("{name: North}", f"{{name: North {i}}}") + "#" * 200_000 + "\n"
        (claims / f"n{i:02d}.yaml").write_text(body, encoding="utf-8")
    old = {p.name: p.read_bytes() for p in claims.iterdir()}
    command = [EXE, "topics", "rename", "deaths", "killed", "--claims-dir", str(claims)]
    subprocess.run(command, capture_output=True, check=True)
    new = {p.name: p.read_bytes() for p in claims.iterdir()}
    assert new != old
    for name, data in old.items():
        (claims / name).write_bytes(data)
    for delay in (0.3, 0.5, 0.7, 0.9):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path in claims.glob("*.yaml"):
            assert path.read_bytes() in (old[path.name], new[path.name]), path
        for leftover in claims.glob(".*.tmp"):
            leftover.unlink()
        subprocess.run(command, capture_output=True, check=False)
        for path in claims.glob("*.yaml"):
            assert path.read_bytes() == new[path.name]
        for name, data in old.items():
            (claims / name).write_bytes(data)


# OLD's entry first, its value a block mapping: it ends where the next key starts
TOPICS_SHELLING_FIRST = """\
factcmp: 1
topics:
  shelling:
    label: Who shelled first   # contested

  # the deaths
  casualties.military:
    label: Military deaths
"""


def test_one_side_only_works_when_old_is_not_the_last_entry(folder: Path) -> None:
    (folder / "topics.yaml").write_text(TOPICS_SHELLING_FIRST, encoding="utf-8")
    command = [EXE, "topics", "rename", "shelling", "attack.first", "--side", "south"]
    done = subprocess.run([*command, "--claims-dir", str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == TOPICS_SHELLING_FIRST.replace(
        "  # contested\n",
        "  # contested\n  attack.first:\n    label: Who shelled first   # contested\n",
    )
    check = subprocess.run([EXE, "check", str(folder)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_merge_works_when_old_is_not_the_last_entry(folder: Path) -> None:
    (folder / "topics.yaml").write_text(TOPICS_SHELLING_FIRST, encoding="utf-8")
    code, out = invoke("shelling", "casualties.military", "--merge", "--claims-dir", str(folder))
    assert code == 0, out
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == (
        "factcmp: 1\ntopics:\n\n  # the deaths\n"
        "  casualties.military:\n    label: Military deaths\n"
    )


def test_an_edit_that_would_not_parse_names_the_users_line(tmp_path: Path) -> None:
    from factcmp.edit.exact import Edit, EditError, read, verified

    path = tmp_path / "topics.yaml"
    path.write_text("factcmp: 1\ntopics:\n  a:\n    label: A\n  b:\n    label: B\n", "utf-8")
    data, doc = read(path)
    start = doc.text.index("  b:")  # a second `a:` after `a`'s entry, on the user's line 5
    edits = [Edit(start, start, "  x:\n    label: X\n  a:\n    label: A2\n")]
    with pytest.raises(EditError) as raised:
        verified(path, data, doc, edits, doc.value)
    message = str(raised.value)
    assert message.startswith(f"{path}:5: the edit would not parse ("), message
    assert "(first at line 3, column 3)" in message, message


@pytest.mark.parametrize("new", ["2022-02-30", "2022-13-01"])
def test_a_new_key_yaml_cannot_read_as_a_value_is_quoted(folder: Path, new: str) -> None:
    command = [EXE, "topics", "rename", "casualties.military", new, "--claims-dir", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f'    topic: "{new}"\n' in (folder / "south.yaml").read_text(encoding="utf-8")
    assert f'  "{new}":\n' in (folder / "topics.yaml").read_text(encoding="utf-8")
    check = subprocess.run([EXE, "check", str(folder)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_a_tag_or_an_anchor_before_the_key_is_kept(folder: Path) -> None:
    north = (
        NORTH.replace("    topic: deaths     #", "    topic: !!str deaths     #")
        .replace("    topic: 'deaths'", "    topic: &t !!str   # tagged\n      'deaths'")
        .replace(
            'topic: "deaths", text: Flow', 'topic: !<tag:yaml.org,2002:str> "deaths", text: Flow'
        )
    )
    (folder / "north.yaml").write_text(north, encoding="utf-8")
    topics = TOPICS.replace("  casualties.military:", "  !!str casualties.military:")
    (folder / "topics.yaml").write_text(topics, encoding="utf-8")
    code, out = invoke("deaths", "killed", "--claims-dir", str(folder))
    assert code == 0, out
    assert (folder / "north.yaml").read_text(encoding="utf-8") == (
        north.replace("!!str deaths", "!!str killed")
        .replace("'deaths'", "'killed'")
        .replace('> "deaths"', '> "killed"')
    )
    code, out = invoke("casualties.military", "casualties", "--claims-dir", str(folder))
    assert code == 0, out
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == topics.replace(
        "!!str casualties.military:", "!!str casualties:"
    )


def claims_file(path: Path, count: int) -> Path:
    """A side's file of `count` claims, every one on the topic `deaths`."""
    head = NORTH.split("claims:\n")[0] + "claims:\n"
    claim = (
        "  - id: c{i}\n    topic: deaths\n    text: Claim {i}.\n    by: mod\n"
        "    source: wire\n    said: 2022-09-14\n"
    )
    path.write_text(head + "".join(claim.format(i=i) for i in range(count)), "utf-8")
    return path


def test_renaming_8_times_the_claims_takes_under_30_times_the_time(tmp_path: Path) -> None:
    """Linear, not quadratic (a copy of the document per claim made 4,000 claims take
    136 s): CPU time, the best of three, at 200 and 1,600 claims in one run."""
    from factcmp.edit.rename import plan_rename

    def seconds(count: int) -> float:
        path = claims_file(tmp_path / f"n{count}.yaml", count)
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            [change] = plan_rename([("north", path)], None, "deaths", "killed")
            best = min(best, time.process_time() - start)
        assert change.after.count(b"topic: killed") == count
        return best

    small, large = seconds(200), seconds(1600)
    assert large < 30 * small, (small, large)
