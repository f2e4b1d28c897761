"""`topics rename` and `source --write` never lose an edit: one at a time in a folder
(a lock), never over a file another program saved meanwhile, links kept, no temporary
file left by a signal, and a rename stopped before topics.yaml finished by running it
again."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from factcmp.edit.exact import write_all
from factcmp.edit.rename import plan_rename
from tests.helpers import NORTH, SOUTH, TOPICS

EXE = shutil.which("factcmp") or "factcmp"
LATE_CLAIM = """\
  - id: late
    topic: deaths
    text: A claim saved while the rename ran.
    by: mod
    source: wire
    said: 2022-09-20
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    claims = tmp_path / "claims"
    claims.mkdir()
    write_sample(claims)
    return claims


def write_sample(claims: Path, north: str = NORTH) -> None:
    (claims / "north.yaml").write_text(north, encoding="utf-8")
    (claims / "south.yaml").write_text(SOUTH, encoding="utf-8")
    (claims / "topics.yaml").write_text(TOPICS, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def many_claims(count: int, topics: tuple[str, ...] = ("deaths",)) -> str:
    """NORTH with `count` more claims, on each of `topics` in turn."""
    claim = (
        "  - id: c{i}\n    topic: {topic}\n    text: Claim {i}.\n    by: mod\n"
        "    source: wire\n    said: 2022-09-14\n"
    )
    return NORTH + "".join(claim.format(i=i, topic=topics[i % len(topics)]) for i in range(count))


def rename(folder: Path, *args: str) -> list[str]:
    return [EXE, "topics", "rename", *args, "--claims-dir", str(folder)]


# --- point 3: two renames at once -----------------------------------------------------


@pytest.mark.slow
def test_two_renames_at_once_both_take_effect(folder: Path) -> None:
    """Two renames of different keys in the same files, started together: the second
    waits for the first, reads what it wrote, and neither is undone."""
    for _attempt in range(6):
        write_sample(folder, many_claims(3000, ("other",)))
        first = subprocess.Popen(rename(folder, "deaths", "killed"), stderr=subprocess.PIPE)
        second = subprocess.Popen(rename(folder, "shelling", "attack"), stderr=subprocess.PIPE)
        for process in (first, second):
            _out, err = process.communicate()
            assert process.returncode == 0, err
        north = (folder / "north.yaml").read_text(encoding="utf-8")
        assert "\n    topic: deaths" not in north
        assert "\n    topic: shelling" not in north
        assert north.count("topic: 'killed'") == 1
        assert north.count("topic: attack") == 1


@pytest.mark.skipif(not hasattr(os, "O_DIRECTORY"), reason="no flock here")
def test_a_rename_waits_while_another_command_holds_the_folder(folder: Path) -> None:
    import fcntl

    before = snapshot(folder)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the lock factcmp takes (factcmp.edit.guard)
        process = subprocess.Popen(rename(folder, "deaths", "killed"), stderr=subprocess.PIPE)
        time.sleep(1.5)
        assert process.poll() is None  # waiting for the lock, not renaming
        assert snapshot(folder) == before
    finally:
        os.close(fd)
    _out, err = process.communicate()
    assert process.returncode == 0, err
    assert "topic: killed" in (folder / "north.yaml").read_text(encoding="utf-8")


def test_a_folder_held_too_long_is_refused_with_its_name(folder: Path) -> None:
    from factcmp.edit.guard import FolderBusy, folder_lock

    with folder_lock(folder), pytest.raises(FolderBusy) as raised, folder_lock(folder, wait=0.2):
        pass  # pragma: no cover
    assert str(raised.value).startswith(f"{folder}: another factcmp command")


# --- point 4: an edit saved while the rename runs ----------------------------------------


def test_a_file_saved_after_the_rename_read_it_is_never_replaced(folder: Path) -> None:
    """Every file is checked before any is replaced: the one that changed keeps its
    new bytes, and no other file is renamed."""
    from factcmp.edit.exact import ChangedMeanwhile

    files = [("north", folder / "north.yaml"), ("south", folder / "south.yaml")]
    changes = plan_rename(files, folder / "topics.yaml", "shelling", "attack")
    assert [c.path.name for c in changes] == ["north.yaml", "south.yaml", "topics.yaml"]
    edited = TOPICS + "  attack.first: {label: Who attacked first}\n"
    (folder / "topics.yaml").write_text(edited, encoding="utf-8")
    before = snapshot(folder)
    with pytest.raises(ChangedMeanwhile) as raised:
        write_all(changes)
    assert (raised.value.path, raised.value.done) == (folder / "topics.yaml", 0)
    assert snapshot(folder) == before  # nothing renamed, no temporary file left
    code = CliRunner().invoke(main, ["topics", "rename", "shelling", "attack", "--claims-dir",
                                     str(folder)])  # fmt: skip
    assert code.exit_code == 0, code.output  # run again: it renames what is there now
    assert "attack.first" in (folder / "topics.yaml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_claim_appended_while_the_rename_runs_is_never_lost(folder: Path) -> None:
    """Appended at moments spread over the run: either the rename read it (renamed
    with the rest) or it refuses, exit 2, naming the file; the claim is always there."""
    refused = 0
    for delay in (0.2, 0.4, 0.6, 0.8, 1.0, 1.3):
        write_sample(folder, many_claims(6000, ("other",)))  # its parse: a wide window
        process = subprocess.Popen(
            rename(folder, "deaths", "killed"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        with (folder / "north.yaml").open("a", encoding="utf-8") as north:
            north.write(LATE_CLAIM)
        _out, err = process.communicate()
        assert "id: late" in (folder / "north.yaml").read_text(encoding="utf-8"), delay
        if process.returncode == 2:
            refused += 1
            assert b"north.yaml changed while factcmp was editing it" in err, err
            assert b"nothing was renamed: run the rename again" in err, err
        else:
            assert process.returncode == 0, err
        assert not list(folder.glob(".*.tmp"))
    print(f"{refused} of 6 refused")


def test_a_sources_file_saved_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    from factcmp.edit.exact import ChangedMeanwhile
    from factcmp.sources.entry import Entry, Line, add_to_file, addition

    path = tmp_path / "sources.yaml"
    path.write_text("factcmp: 1\nsources:\n  a: {outlet: A}\n", encoding="utf-8")
    entry = Entry("b", (Line("outlet", "B"),))
    change = addition(path, entry, shared=True)
    saved = "factcmp: 1\nsources:\n  a: {outlet: A}\n  c: {outlet: C}\n"
    path.write_text(saved, encoding="utf-8")
    with pytest.raises(ChangedMeanwhile):
        write_all([change])
    assert path.read_text(encoding="utf-8") == saved
    add_to_file(path, entry, shared=True)  # read afresh: both kept
    assert path.read_text(encoding="utf-8") == saved + "  b:\n    outlet: B\n"


# --- point 8: running a stopped rename again finishes it ------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["deaths", "casualties.military"],  # NEW listed with the same label: OLD's entry goes
        ["casualties.military", "deaths.military"],  # OLD's entry renamed
        ["shelling", "attack.first", "--side", "south"],  # OLD kept, its entry copied
        ["shelling", "casualties.military", "--merge"],  # NEW's entry kept
    ],
)
def test_a_rename_stopped_before_topics_yaml_is_finished_by_running_it_again(
    folder: Path, args: list[str]
) -> None:
    """What a kill between the last claim file and topics.yaml leaves (or a failure to
    write topics.yaml): the claims renamed, topics.yaml not. Running again finishes."""
    topics = TOPICS + "  deaths: {label: Military deaths}\n"
    (folder / "topics.yaml").write_text(topics, encoding="utf-8")
    done = subprocess.run(rename(folder, *args), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (folder / "topics.yaml").read_text(encoding="utf-8") != topics
    want = snapshot(folder)
    (folder / "topics.yaml").write_text(topics, encoding="utf-8")  # as the kill left it
    again = subprocess.run(rename(folder, *args), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout.endswith("in 1 file(s): " + str(folder / "topics.yaml") + "\n")
    assert snapshot(folder) == want
    third = subprocess.run(rename(folder, *args), capture_output=True, text=True)
    assert third.returncode == 2  # finished: nothing left to rename
    assert "has the topic" in third.stderr


# --- point 9: links kept ------------------------------------------------------------------


def linked(folder: Path, store: Path) -> dict[str, str]:
    """north.yaml and topics.yaml as links to files in `store`; the links' text."""
    links = {}
    for name in ("north.yaml", "topics.yaml"):
        shutil.move(folder / name, store / name)
        os.symlink(os.path.relpath(store / name, folder), folder / name)
        links[name] = os.readlink(folder / name)
    return links


def test_a_linked_claim_file_stays_a_link_and_its_target_is_renamed(folder: Path) -> None:
    """The links lead into another folder of the repository: the links stay, their
    targets are renamed, the temporary files made beside the targets."""
    store = folder.parent / "store"
    store.mkdir()
    links = linked(folder, store)
    done = subprocess.run(
        rename(folder, "shelling", "attack.first", "--side", "south"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(rename(folder, "deaths", "killed"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name, text in links.items():
        assert (folder / name).is_symlink()
        assert os.readlink(folder / name) == text
    assert "topic: killed" in (store / "north.yaml").read_text(encoding="utf-8")
    assert "attack.first:" in (store / "topics.yaml").read_text(encoding="utf-8")
    assert not list(folder.glob(".*.tmp"))
    assert not list(store.glob(".*.tmp"))


# --- point 16a: a signal while files are replaced -----------------------------------------


@pytest.mark.slow
def test_sigterm_while_files_are_replaced_leaves_no_temporary_file(tmp_path: Path) -> None:
    """SIGTERM as soon as the first file is replaced: the run ends (143), each file is
    whole, old or new, no `.X.yaml.*.tmp` is left, and running again finishes."""
    claims = tmp_path / "claims"
    claims.mkdir()
    for i in range(300):
        (claims / f"n{i:03d}.yaml").write_text(NORTH, encoding="utf-8")
    old = NORTH.encode()
    command = rename(claims, "deaths", "killed")
    stopped = 0
    for _attempt in range(3):
        first = os.stat(claims / "n000.yaml").st_ino
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and os.stat(claims / "n000.yaml").st_ino == first:
            pass  # wait for the first file to be replaced
        process.send_signal(signal.SIGTERM)
        stopped += process.wait() == 128 + signal.SIGTERM
        assert not list(claims.glob(".*.tmp"))
        contents = [p.read_bytes() for p in sorted(claims.glob("*.yaml"))]
        assert all(data == old or b"topic: killed" in data for data in contents)
        subprocess.run(command, capture_output=True, check=True)
        assert all(b"\n    topic: deaths" not in p.read_bytes() for p in claims.glob("*.yaml"))
        for path in claims.glob("*.yaml"):
            path.write_bytes(old)
    assert stopped, "the signal never came while files were replaced"
