"""How every command ends, decided in one place around all of them (FactcmpGroup):
a signal ends the run with 128 + its number after clean-up (130 for Ctrl-C, 143
SIGTERM, 129 SIGHUP); standard output that cannot be written ends it with one line
and 2, or with 141 (as for SIGPIPE), silently, when its reader closed it early.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any, NoReturn, TextIO, cast

import click

from factcmp.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_CLOSED_PIPE,
    EXIT_SIGNAL_BASE,
    BadInput,
)

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

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a discovery error that reaches the door (a topics.yaml that
        is a link out of the repository, found while loading) exits 2 with its line."""
        from factcmp.load.discover import DiscoveryError

        try:
            return super().invoke(ctx)
        except DiscoveryError as exc:
            raise BadInput(str(exc)) from None

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
