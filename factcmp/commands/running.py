"""How every command ends, decided in one place around all of them (FactcmpGroup):
a library error (factcmp.problems.FactcmpError) is translated here, once, into its
message and its exit status; a signal ends the run with 128 + its number after
clean-up (130 for Ctrl-C, 143 SIGTERM, 129 SIGHUP); standard output that cannot be
written ends it with one line and 2, or with 141 (as for SIGPIPE), silently, when its
reader closed it early.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, NoReturn, TextIO, cast

import click

from factcmp.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_CLOSED_PIPE,
    EXIT_SIGNAL_BASE,
    BadInput,
    inert,
    report_problems,
)
from factcmp.exits import FactcmpError

ENDING_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Signalled(SystemExit):
    """A signal that ends the run, raised in the main thread by the handler: `finally`
    blocks and `except BaseException` clean-ups run (a half-written temporary file is
    removed), then Python exits with 128 + the signal's number, without a traceback.
    A SystemExit, so that click, asyncio and the rest let it through as they let
    sys.exit through."""

    def __init__(self, signum: int) -> None:
        super().__init__(EXIT_SIGNAL_BASE + signum)
        self.signum = signum


class OutputFailed(SystemExit):
    """Standard output cannot be written: its reader left (141, silently, as SIGPIPE
    ends cat or grep), or it is full or broken (2, one line on standard error)."""

    def __init__(self, error: OSError) -> None:
        self.closed = isinstance(error, BrokenPipeError)
        super().__init__(EXIT_CLOSED_PIPE if self.closed else EXIT_BAD_INPUT)
        self.error = error


class _GuardedStdout:
    """sys.stdout for the length of a run: a write or flush that fails raises
    OutputFailed instead of OSError, so that no `except OSError` on the way (click's
    and rich's own EPIPE handling, each with its exit code) takes it for something
    else. Everything but writing is the real stream's.

    Unbuffered (python -u, PYTHONUNBUFFERED, as in many containers), the text
    stream hands each write to the file once and drops whatever a short write
    leaves (CPython): output cut short by a closed pipe or a full disk would pass
    for whole, with exit 0. Then the bytes are written here, until all are or an
    error says why not."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        raw = getattr(stream, "buffer", None)
        unbuffered = isinstance(raw, io.RawIOBase) and os.linesep == "\n"
        self.raw: io.RawIOBase | None = raw if unbuffered else None

    def write(self, text: str) -> int:
        try:
            if self.raw is None:
                return self.stream.write(text)
            self.stream.flush()
            data = memoryview(text.encode(self.stream.encoding, self.stream.errors or "strict"))
            while data:
                written = self.raw.write(data)
                if written is None:  # a non-blocking descriptor, full: as buffered streams do
                    raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))
                data = data[written:]
            return len(text)
        except OSError as exc:
            raise self._failed(exc) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise self._failed(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def _failed(self, error: OSError) -> OutputFailed:
        # What is still buffered would fail again when Python flushes at exit
        # ("Exception ignored ... BrokenPipeError"): point the descriptor at
        # /dev/null, as the Python docs advise (signal module, note on SIGPIPE).
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self.stream.fileno())
            finally:
                os.close(devnull)
        return OutputFailed(error)


def _raise_signalled(signum: int, _frame: FrameType | None) -> NoReturn:
    raise Signalled(signum)


@contextlib.contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """Handle Ctrl-C, SIGTERM and SIGHUP by raising Signalled; restore the handlers
    after. A signal ignored when factcmp started (nohup, a background job) stays
    ignored; outside the main thread, nothing changes."""
    previous: dict[int, Any] = {}
    try:
        for name in ENDING_SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:  # SIGHUP: not on Windows
                continue
            try:
                if signal.getsignal(signum) is signal.SIG_IGN:
                    continue
                previous[signum] = signal.signal(signum, _raise_signalled)
            except ValueError:  # not the main thread
                break
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


class FactcmpGroup(click.Group):
    """The `factcmp` group, with the exits every command shares: a signal ends the
    run with 128 + its number (130 for Ctrl-C, not click's "Aborted!" and 1);
    standard output that cannot be written ends it with one line and 2, or, when its
    reader closed it early, silently with 141. CliRunner runs through here too."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Add `cmd`, its library errors translated at the door (see `at_the_door`)."""
        _translating(cmd)
        super().add_command(cmd, name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        stdout = sys.stdout
        sys.stdout = cast(TextIO, _GuardedStdout(stdout))
        try:
            with _signals_end_the_run():
                return super().main(*args, **kwargs)
        except OutputFailed as exc:
            if not exc.closed:
                reason = exc.error.strerror or str(exc.error)
                click.echo(f"factcmp: cannot write the output: {reason}", err=True)
            raise
        except Signalled as exc:
            if exc.signum == signal.SIGINT:
                with contextlib.suppress(Exception):
                    if sys.stderr.isatty():  # end the line the terminal's ^C is on
                        sys.stderr.write("\n")
            raise
        finally:
            sys.stdout = stdout


def at_the_door(exc: FactcmpError) -> NoReturn:
    """The one translation of a library error: problems one `file:line:col: message`
    a line and exit 2; a usage error with the command's usage line; anything else its
    one line and its exit status."""
    from factcmp.problems import InputError  # loaded already when one was raised

    if isinstance(exc, InputError):
        report_problems(exc.problems)
    if exc.usage:
        raise click.UsageError(inert(str(exc)))  # click adds the command's usage line
    raise _ending_with(exc.exit_status)(inert(str(exc)))


@functools.cache
def _ending_with(status: int) -> type[BadInput]:
    """A click error that prints `Error: MESSAGE` and exits with `status`."""
    if status == BadInput.exit_code:
        return BadInput
    return cast("type[BadInput]", type(f"ExitWith{status}", (BadInput,), {"exit_code": status}))


def _translating(cmd: click.Command) -> None:
    """Wrap the callbacks of `cmd` and of every command below it, so that a library
    error raised while one runs is translated with that command's context."""
    if cmd.callback is not None and not getattr(cmd.callback, "_translated", False):
        cmd.callback = _translated(cmd.callback)
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _translating(sub)


def _translated(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except FactcmpError as exc:
            at_the_door(exc)

    run._translated = True  # type: ignore[attr-defined]
    return run
