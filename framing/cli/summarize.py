"""`framing summarize`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import JsonOption, api, call, stdout_console

ByOption = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        help="Group by a column (outlet, ...), a label column (stance), the "
        "document (id) or a period of the date column (day, week, month, quarter, "
        "year); repeat or use commas.",
    ),
]
DayFirstOption = Annotated[
    bool | None,
    typer.Option(
        "--day-first/--month-first",
        help="Read dates such as 05/04/2024 day first or month first.",
        show_default="from the dates that can only be one",
    ),
]


def split_list(values: list[str] | None) -> list[str]:
    """`--by a --by b,c` as ["a", "b", "c"]."""
    return [
        part.strip()
        for value in values or ()
        for part in value.split(",")
        if part.strip()
    ]


def summarize(
    scores: Annotated[
        Path, typer.Argument(help="Scores written by framing score (CSV, JSONL).")
    ],
    by: ByOption = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Labels below this confidence are low-confidence.",
        ),
    ] = 0.0,
    low_confidence: Annotated[
        str,
        typer.Option(
            "--low-confidence",
            help="'separate': count low-confidence labels as 'uncertain'; "
            "'exclude': leave them out of the shares.",
        ),
    ] = "separate",
    day_first: DayFirstOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the long table (.csv, .tsv or .xlsx)."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write a folder with summary.md, summary.html, summary.csv and "
            "charts.",
        ),
    ] = None,
    as_json: JsonOption = False,
):
    """Summarise label shares per group, with 95% intervals and counts.

    Paragraphs of one article are not independent, so the intervals allow for
    it (documents are the clusters). Groups come from metadata columns, label
    columns and periods of the date column.

    Example: framing summarize scores.csv --by outlet --by month --report findings
    """
    if low_confidence not in ("separate", "exclude"):
        from framing.cli.common import fail

        fail("--low-confidence must be 'separate' or 'exclude'", 2)
    summary = call(
        api().summarize,
        scores,
        by=split_list(by),
        min_confidence=min_confidence,
        uncertain=low_confidence,
        day_first=day_first,
        out=out,
        report_dir=report,
    )
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
    else:
        from framing.findings.report import terminal_tables

        console = stdout_console()
        for table in terminal_tables(summary):
            console.print(table)
    if summary.errors:
        typer.echo(f"{summary.errors} rows with an error were left out", err=True)
    keys = summary.keys
    if keys.unread_dates:
        from framing.findings.groups import NO_DATE

        typer.echo(
            f"note: {keys.unread_dates} rows have a {keys.date_column} value that "
            f"is not a date framing can read (such as {keys.unread_example!r}); "
            f"they are counted under {NO_DATE}",
            err=True,
        )
    for path in (out, report):
        if path is not None:
            typer.echo(f"Wrote {path}", err=True)
