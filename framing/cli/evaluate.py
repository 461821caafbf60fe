"""`framing evaluate`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
    DataOption,
    JsonOption,
    ModelOption,
    OwnLabelsOption,
    api,
    call,
    stderr_console,
    stdout_console,
)


def evaluate(
    data: DataOption = Path("data/paragraphs.csv"),
    model: ModelOption = None,
    as_json: JsonOption = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write a Markdown report with figures here."),
    ] = None,
    own_labels: OwnLabelsOption = False,
    no_select: Annotated[
        bool, typer.Option("--no-select", help="Skip the nested search (faster).")
    ] = False,
):
    """Evaluate honestly: hold out one whole article at a time.

    Only rows whose source is not 'authored' are held out and scored. Features
    and C are re-chosen inside each training fold (nested), and the majority and
    VADER baselines are scored beside the model.

    Example: framing evaluate --report reports/eval
    """
    with stderr_console().status("Evaluating: one held-out article at a time..."):
        result = call(
            api().evaluate,
            data=data,
            model_dir=model,
            own_labels=own_labels,
            select=not no_select,
            report_dir=report,
        )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from framing.render.terminal import evaluation_tables

    console = stdout_console()
    for renderable in evaluation_tables(result):
        console.print(renderable)
    if report is not None:
        typer.echo(f"Report: {result['report']}")
