"""Where the output goes wrong (issue 12): `-o` onto a device, a FIFO, a link, a
directory or a socket; a signal during the write; standard output full or closed
early; Ctrl-C. The installed command runs as a subprocess (signals and file
descriptors are the process's), and through click's CliRunner where that can tell.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from tests.conftest import CLAIMS, REPO
from tests.helpers import big_claims

FACTCMP = shutil.which("factcmp")
BRIEF = ["brief", "armenia", "azerbaijan", "--date", "2022-09-15"]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="mknod needs root")

# A command per kind of output: rich tables, click.echo of JSON, CSV and markdown,
# check's report, and the help page.
OUTPUTS = [
    ["diff", "armenia", "azerbaijan"],
    ["diff", "armenia", "azerbaijan", "--format", "json"],
    ["diff", "armenia", "azerbaijan", "--format", "csv"],
    BRIEF,
    ["check"],
    ["topics", "list"],
    ["topics", "list", "--format", "json"],
    ["--help"],
]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FACTCMP_CLAIMS", "FORCE_COLOR")}
    env["COLUMNS"] = "100"
    return env


def signals_as_at_a_terminal() -> None:
    """In the child, before factcmp starts: SIGINT, SIGTERM and SIGHUP do what they do
    at a terminal, whatever the tests inherited (a shell's background job, as CI may
    run them, starts with SIGINT ignored, and factcmp rightly keeps it ignored)."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def run(args: list[str], cwd: Path = REPO, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The installed factcmp in `cwd`, with the sample claims unless `cwd` has its own;
    standard output and error captured unless given."""
    assert FACTCMP, "the factcmp command is not installed (pip install -e '.[test]')"
    env = environment()
    if not (cwd / "claims").is_dir():
        env["FACTCMP_CLAIMS"] = str(CLAIMS)
    options: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    options["env"] = env
    options.update(kwargs)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [FACTCMP, *args], cwd=cwd, text=True, timeout=120, check=False, **options
    )


def brief_from(cwd: Path) -> str:
    """The brief on standard output, run in `cwd` (it names the files from there)."""
    done = run(BRIEF, cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("#")
    return done.stdout


@pytest.fixture(scope="module")
def sample_brief() -> str:
    return brief_from(REPO)


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines(keepends=True)
    assert len(lines) == 1, repr(stderr)
    assert lines[0].endswith("\n")
    return lines[0].rstrip("\n")


# 1. -o onto what is not a regular file


@needs_root
def test_output_to_a_character_device_writes_through_it(tmp_path: Path) -> None:
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = run([*BRIEF, "-o", str(node)])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert stat.S_ISCHR(node.lstat().st_mode), "the device node was replaced"
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


@needs_root
def test_a_full_device_is_one_line_and_exit_2(tmp_path: Path) -> None:
    node = tmp_path / "full"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    done = run([*BRIEF, "-o", str(node)])
    assert done.returncode == 2
    assert one_line(done.stderr) == f"Error: cannot write {node}: No space left on device"
    assert stat.S_ISCHR(node.lstat().st_mode), "the device node was replaced"
    assert [p.name for p in tmp_path.iterdir()] == ["full"]


@needs_root
def test_a_block_device_is_refused(tmp_path: Path) -> None:
    node = tmp_path / "disk"
    os.mknod(node, 0o600 | stat.S_IFBLK, os.makedev(7, 0))
    done = run([*BRIEF, "-o", str(node)])
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(f"Error: cannot write {node}: it is a block device")
    assert stat.S_ISBLK(node.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["disk"]


def reader(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_output_to_a_fifo_writes_through_it(tmp_path: Path, sample_brief: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    thread = reader(fifo, got)
    done = run([*BRIEF, "-o", str(fifo)])
    thread.join(30)
    assert done.returncode == 0, done.stderr
    assert got == [sample_brief.encode("utf-8")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced"
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_fifo_closed_early_is_a_closed_pipe(tmp_path: Path) -> None:
    big_claims(tmp_path / "claims", 1000)  # a brief bigger than a pipe holds
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with open(fifo, "rb") as handle:
            handle.read(1)

    thread = threading.Thread(target=read_a_little, daemon=True)
    thread.start()
    done = run(["brief", "-o", str(fifo)], cwd=tmp_path)
    thread.join(30)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_link_is_followed_and_its_target_written_atomically(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    target = tmp_path / "briefs" / "real.md"
    target.write_text("OLD\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(Path("briefs") / "real.md")
    done = run([*BRIEF, "-o", "link.md"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink(), "the link was replaced"
    assert os.readlink(link) == os.path.join("briefs", "real.md")
    assert target.read_text(encoding="utf-8") == brief_from(tmp_path)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["briefs", "link.md", "real.md"]


def test_a_link_to_a_link_to_nothing_yet_creates_the_final_target(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("c.md")
    done = run([*BRIEF, "-o", "a.md"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.md").is_symlink()
    assert (tmp_path / "b.md").is_symlink()
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == brief_from(tmp_path)


def test_a_link_loop_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    done = run([*BRIEF, "-o", "a.md"], cwd=tmp_path)
    assert done.returncode == 2
    assert one_line(done.stderr).startswith("Error: cannot write a.md: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    for name in ("out", "out/", "new/"):
        done = run([*BRIEF, "-o", f"{tmp_path}/{name}"])
        assert done.returncode == 2, name
        assert "it is a directory" in one_line(done.stderr) or "No such file" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list((tmp_path / "out").iterdir()) == []


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError as exc:  # a path too long for sun_path
        pytest.skip(f"cannot bind a UNIX socket: {exc}")
    yield path
    server.close()


def test_a_socket_is_refused(tmp_path: Path, unix_socket: Path) -> None:
    done = run([*BRIEF, "-o", str(unix_socket)])
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(f"Error: cannot write {unix_socket}: it is a socket")
    assert stat.S_ISSOCK(unix_socket.lstat().st_mode), "the socket was replaced"
    assert [p.name for p in tmp_path.iterdir()] == ["sock"]


def test_refusals_through_clirunner(
    tmp_path: Path, unix_socket: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    for target, words in ((tmp_path, "it is a directory"), (unix_socket, "it is a socket")):
        result = CliRunner().invoke(main, [*BRIEF, "-o", str(target)])
        assert result.exit_code == 2
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"Error: cannot write {target}: {words}" in result.stderr
    assert stat.S_ISSOCK(unix_socket.lstat().st_mode)


def test_a_link_is_kept_through_clirunner(
    tmp_path: Path, sample_brief: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    target = tmp_path / "real.md"
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = CliRunner().invoke(main, [*BRIEF, "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == sample_brief


def standard_output_names(tmp_path: Path) -> list[str]:
    """Names of standard output: a link of our own to /proc/self/fd/1 (as /dev/stdout
    is on Linux), /dev/fd/1, and /dev/stdout itself last, so that a writer that
    replaces what it is given fails on the first two, never replacing the system's."""
    if not os.path.exists("/proc/self/fd/1"):
        pytest.skip("no /proc/self/fd")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    return [str(link), "/dev/fd/1", "/dev/stdout"]


@pytest.mark.slow
def test_output_to_dev_stdout_goes_to_standard_output(tmp_path: Path, sample_brief: str) -> None:
    out = tmp_path / "out.md"
    for name in standard_output_names(tmp_path):
        done = run([*BRIEF, "-o", name])  # a pipe
        assert done.returncode == 0, done.stderr
        assert done.stdout == sample_brief
        out.write_text("KEPT\n", encoding="utf-8")
        with open(out, "a", encoding="utf-8") as handle:  # >>: appended to, not replaced
            done = run([*BRIEF, "-o", name], stdout=handle)
        assert done.returncode == 0, done.stderr
        assert out.read_text(encoding="utf-8") == "KEPT\n" + sample_brief
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md", "stdout"]
        with open(os.devnull, "w", encoding="utf-8") as handle:
            done = run([*BRIEF, "-o", name], stdout=handle)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
    assert os.path.islink("/dev/stdout")


def test_output_to_dev_stdout_through_clirunner(
    tmp_path: Path, sample_brief: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    for name in standard_output_names(tmp_path):
        result = CliRunner().invoke(main, [*BRIEF, "-o", name])
        assert result.exit_code == 0, result.output
        assert result.stdout == sample_brief


# 2. Signals during an -o write


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_the_write_leaves_no_temporary_file(
    tmp_path: Path, signum: signal.Signals
) -> None:
    assert FACTCMP
    big_claims(tmp_path / "claims", 3000)
    target = tmp_path / "b.md"
    target.write_text("OLD\n", encoding="utf-8")
    argv = [FACTCMP, "brief", "--date", "2022-09-15", "-o", str(target)]
    subprocess.run(argv, cwd=tmp_path, check=True, env=environment())
    new = target.read_text(encoding="utf-8")
    caught = 0
    for _ in range(40):
        target.write_text("OLD\n", encoding="utf-8")
        proc = subprocess.Popen(
            argv, cwd=tmp_path, env=environment(), stderr=subprocess.PIPE, text=True,
            preexec_fn=signals_as_at_a_terminal,
        )  # fmt: skip
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and proc.poll() is None:
            if any(p.name.startswith(".b.md.") for p in tmp_path.iterdir()):
                break
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
        left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".b.md.")]
        assert left == [], f"{signum.name} left {left}"
        assert target.read_text(encoding="utf-8") in ("OLD\n", new)
        assert "Traceback" not in stderr
        assert "Aborted" not in stderr
        assert proc.returncode in (0, 128 + signum), (proc.returncode, stderr)
        caught += proc.returncode == 128 + signum
        if caught >= 3:
            break
    assert caught, f"{signum.name} never arrived during the write"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_comparing_exits_128_plus_its_number(
    tmp_path: Path, signum: signal.Signals
) -> None:
    assert FACTCMP
    big_claims(tmp_path / "claims", 3000)
    argv = [FACTCMP, "diff", "--no-cache", "--format", "json"]
    started = time.perf_counter()
    subprocess.run(argv, cwd=tmp_path, env=environment(), stdout=subprocess.DEVNULL, check=True)
    full_run = time.perf_counter() - started
    proc = subprocess.Popen(
        argv, cwd=tmp_path, env=environment(), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, preexec_fn=signals_as_at_a_terminal,
    )  # fmt: skip
    time.sleep(full_run / 2)  # well past start-up, before the end
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal")
    assert proc.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    assert "Aborted" not in stderr
    assert stderr.strip() == ""


def test_signal_handlers_and_stdout_are_restored_after_a_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.chdir(REPO)
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    stdout = sys.stdout
    result = CliRunner().invoke(main, ["diff", "armenia", "azerbaijan", "--format", "json"])
    assert result.exit_code == 0
    assert {s: signal.getsignal(s) for s in before} == before
    assert sys.stdout is stdout


# 3. Standard output that cannot be written


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_a_full_standard_output_is_one_line_and_exit_2(args: list[str]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = run(args, stdout=full)
    assert done.returncode == 2, done.stderr
    assert one_line(done.stderr) == "factcmp: cannot write the output: No space left on device"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_o_dev_stdout_onto_a_full_device_is_the_same_error(tmp_path: Path) -> None:
    for name in standard_output_names(tmp_path):
        with open("/dev/full", "w", encoding="utf-8") as full:
            done = run([*BRIEF, "-o", name], stdout=full)
        assert done.returncode == 2
        assert one_line(done.stderr) == (
            "factcmp: cannot write the output: No space left on device"
        )


# 4. A pipe closed early: silent, 141 (128 + SIGPIPE), as cat, grep or git


def closed_pipe_run(args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write fails with EPIPE
    try:
        return run(args, cwd=cwd, stdout=write_end)
    finally:
        os.close(write_end)


@pytest.mark.slow
@pytest.mark.parametrize("args", [*OUTPUTS, ["--version"], ["schema"]], ids=" ".join)
def test_a_closed_pipe_exits_141_silently(args: list[str]) -> None:
    done = closed_pipe_run(args)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_head_closing_the_pipe_gives_the_same_exit_in_every_format(
    tmp_path: Path, fmt: str
) -> None:
    assert FACTCMP
    big_claims(tmp_path / "claims", 1500)
    done = subprocess.run(
        f"'{FACTCMP}' diff --limit 0 --format {fmt} | head -c 10 >/dev/null; "
        'echo "${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment(),
    )
    assert done.stdout == "141\n"
    assert done.stderr == ""
