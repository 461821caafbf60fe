"""What every command shares: options, consoles, and the one place where a
library error becomes a one-line message and an exit code."""

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from framing.errors import FramingError
from framing.render.escape import CONTROL, escape_controls

PARTIAL_FAILURE = 3

ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="Model directory.", show_default="the shipped model"),
]
DataOption = Annotated[Path, typer.Option("--data", help="Labelled paragraphs (CSV).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
OwnLabelsOption = Annotated[
    bool,
    typer.Option(
        "--own-labels", help="Take label sets from the data, not the codebook."
    ),
]
MinConfidenceOption = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="Report 'uncertain' when the top probability is below this.",
    ),
]


class _Printable:
    """Renders a renderable with control characters in its text escaped."""

    def __init__(self, renderable):
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        renderable = self.renderable
        if isinstance(renderable, str):
            renderable = console.render_str(renderable)
        for segment in console.render(renderable, options):
            if segment.control or not CONTROL.search(segment.text):
                yield segment
            else:
                yield Segment(escape_controls(segment.text), segment.style)


def _console(**options):
    """A rich Console that escapes control characters in everything it prints:
    tables show file names, cards and label names that came from other people."""
    from rich.console import Console

    class PrintableConsole(Console):
        def print(self, *objects, **kwargs):
            super().print(*(_Printable(o) for o in objects), **kwargs)

        def on_broken_pipe(self) -> None:
            # rich's own exits with 1, which reads as an error: a closed
            # standard output is `| head` (141); a closed standard error only
            # silences what follows, the exit code stays the run's.
            self.quiet = True
            if not self.stderr:
                stdout_gone()

    return PrintableConsole(**options)


def stderr_console():
    return _console(stderr=True)


def stdout_console():
    return _console(width=max(100, _terminal_width()))


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


def fail(message: str, code: int = 1) -> None:
    typer.echo(escape_controls(f"Error: {message}"), err=True)
    raise typer.Exit(code)


def require_stdout(what: str) -> None:
    """Fail when standard output is closed (`>&-`): the result would be lost."""
    if sys.stdout is None:
        fail(f"standard output is closed; {what}")


def stdout_gone() -> None:
    """The reader of standard output went away (`| head`): stop quietly, as
    command-line tools do, with the shell's code for SIGPIPE. Standard output is
    pointed at /dev/null so that Python's last flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass
    raise typer.Exit(141)


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwound like Ctrl-C: worker processes are shut down and the last
    checkpoint of an --out file is kept for --resume."""


def _terminate(signum, frame):
    raise Terminated


def call(
    function,
    *args,
    interrupted: str | Callable[[], str] = "interrupted",
    **kwargs,
):
    """Run a library function; turn its errors into one line and an exit code.
    `interrupted` is the message for Ctrl-C or SIGTERM (or makes it, afterwards,
    when it depends on what the interruption left)."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        return function(*args, **kwargs)
    except FramingError as exc:
        fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        stdout_gone()
    except Terminated:
        fail(interrupted() if callable(interrupted) else interrupted, 143)
    except KeyboardInterrupt:
        fail(interrupted() if callable(interrupted) else interrupted, 130)
    except MemoryError:
        fail("out of memory; score fewer or smaller files at a time (--max-bytes)")
    except Exception as exc:  # a bug: keep the one-line promise, offer the trace
        if os.environ.get("FRAMING_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (FRAMING_DEBUG=1 shows where)")


def api():
    from framing import api

    return api
