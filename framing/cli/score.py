"""`framing score`."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
    PARTIAL_FAILURE,
    MinConfidenceOption,
    ModelOption,
    api,
    call,
    fail,
    stderr_console,
    stdout_console,
)
from framing.render.escape import escape_controls
from framing.text.read import DEFAULT_MAX_BYTES


def score(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of .txt/.md/.html articles, or a CSV/TSV/JSONL/XLSX table "
            "with --text-column."
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output file.", show_default="standard output"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, tsv, jsonl or xlsx (xlsx needs --out).",
            show_default="from the --out extension, else csv",
        ),
    ] = None,
    paragraphs: Annotated[
        bool, typer.Option("--paragraphs", help="One row per paragraph.")
    ] = False,
    model: ModelOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", min=1, help="Worker processes.", show_default="all usable cores"
        ),
    ] = None,
    min_confidence: MinConfidenceOption = 0.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Larger files are error rows.")
    ] = DEFAULT_MAX_BYTES,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted --out run.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out.")] = False,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links", help="Read links to files outside the folder too."
        ),
    ] = False,
    formula_guard: Annotated[
        bool,
        typer.Option(
            "--formula-guard/--no-formula-guard",
            help="Prefix CSV/TSV cells starting with = + - @ with ' so spreadsheets "
            "show them as text.",
        ),
    ] = True,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."
        ),
    ] = None,
    text_column: Annotated[
        str | None,
        typer.Option("--text-column", help="A table's column holding the text."),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="A table's column holding each record's id.",
            show_default="the row number",
        ),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            help="A table column to carry into the rows (repeat for more).",
            show_default="every other column",
        ),
    ] = None,
):
    """Score every text file under a folder, or every record of a table, into
    CSV or JSON Lines.

    One row per document (id = path relative to FOLDER), or per paragraph with
    --paragraphs. A table (CSV, TSV, JSON Lines, JSON or .xlsx) is one document
    per record: its text in --text-column, its id in --id-column (else the row
    number), and its other columns (or the --keep ones) carried unchanged after
    the id. A file or record that cannot be read becomes a row with its error
    filled in; the exit code is 3 when some failed, 0 when none did.

    Example: framing score articles/ --out scores.csv

    Example: framing score export.csv --text-column body --id-column url --out
    scores.csv
    """
    from framing.batch.workers import keep_freed_memory
    from framing.render.terminal import ProgressReporter

    if out is None and sys.stdout is None:
        fail("standard output is closed; give --out FILE for the rows")
    keep_freed_memory()  # this process scores too with --jobs 1
    reporter = ProgressReporter(stderr_console())
    with reporter:
        summary = call(
            api().score,
            folder,
            out=out,
            stream=_TerminalRows(sys.stdout)
            if _is_terminal(sys.stdout)
            else sys.stdout,
            fmt=fmt,
            paragraphs=paragraphs,
            model_dir=model,
            jobs=jobs,
            min_confidence=min_confidence,
            max_bytes=max_bytes,
            resume=resume,
            force=force,
            follow_links=follow_links,
            formula_guard=formula_guard,
            scheduler=scheduler,
            text_column=text_column,
            id_column=id_column,
            keep=keep or None,
            on_start=reporter.start,
            on_progress=reporter.advance,
            interrupted=lambda: _interrupted(out),
        )
    _report(summary, out, paragraphs)


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class _TerminalRows:
    """Rows shown on a terminal, with control characters in them escaped (a file
    name could otherwise clear the screen); a file or a pipe gets them as they
    are."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(
            "\r\n".join(escape_controls(line) for line in text.split("\r\n"))
        )

    def flush(self) -> None:
        self.stream.flush()


def _interrupted(out: Path | None) -> str:
    """The message for Ctrl-C or SIGTERM: how to resume, when there is something
    to resume."""
    from framing.batch.sink import part_paths, resumable

    if out is not None and resumable(out):
        part, _state = part_paths(out)
        return (
            f"interrupted; what was scored is kept in {part}: run the same "
            "command with --resume to continue"
        )
    return "interrupted; nothing was kept"


def _notes(summary: dict) -> list[str]:
    """What the user should know about how the rows were written."""
    notes = []
    if summary.get("sheets", 1) > 1:
        notes.append(
            f"the rows fill {summary['sheets']} sheets (an Excel sheet holds "
            "1,048,576 rows); write .csv to have them in one table"
        )
    if summary.get("truncated"):
        notes.append(
            f"{summary['truncated']:,} cells were longer than an Excel cell holds "
            "(32,767 characters) and were cut; write .csv to keep them whole"
        )
    return notes


def _report(summary: dict, out: Path | None, paragraphs: bool) -> None:
    """The label counts, where the rows went, and the exit code."""
    from framing.render.terminal import label_count_table

    console = stdout_console() if out is not None else stderr_console()
    console.print(
        label_count_table(summary, per="paragraphs" if paragraphs else "documents")
    )
    if out is not None:
        typer.echo(escape_controls(f"Wrote {out}"), err=console.stderr)
    for warning in summary.get("warnings", ()):
        typer.echo(escape_controls(f"warning: {warning}"), err=True)
    for note in _notes(summary):
        typer.echo(escape_controls(f"note: {note}"), err=True)
    if summary["failed"]:
        unit = summary.get("unit", "files")
        typer.echo(
            f"{summary['failed']} of {summary['documents']} {unit} failed; see the "
            "error column",
            err=True,
        )
        raise typer.Exit(PARTIAL_FAILURE)
