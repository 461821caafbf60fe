"""What every command shares: options, consoles, and the one place where a
library error becomes a one-line message and an exit code."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from framing.errors import FramingError

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


def stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def stdout_console():
    from rich.console import Console

    return Console(width=max(100, _terminal_width()))


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


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
