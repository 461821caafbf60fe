"""`framing evaluate`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
    JsonOption,
    ModelOption,
    OwnLabelsOption,
    api,
    call,
    fail,
    stderr_console,
    stdout_console,
)


def evaluate(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Labelled paragraphs (CSV): with --model, that model is scored on "
            "them; alone, the training procedure is evaluated on them.",
            show_default="the project's dev set and seed articles",
        ),
    ] = None,
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents", help="Document labels (CSV: id, stance, tone) for --data."
        ),
    ] = None,
    model: ModelOption = None,
    shipped: Annotated[
        bool,
        typer.Option(
            "--shipped",
            help="Score the shipped model on --data (as --model with its folder).",
        ),
    ] = False,
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
    """Evaluate honestly, on text the model never saw.

    With no --data: the model on the blind, double-coded dev set (paragraphs and
    whole documents), and the training procedure on the seed articles, one held
    out at a time. With --model M --data coded.csv: model M on your own labels,
    with Cohen's kappa (the validation figure a paper needs). With --data alone:
    the training procedure on your data, whole documents held out.

    Example: framing evaluate --shipped --data coded.csv --report eval/
    """
    from framing.render.terminal import StageProgress

    if shipped:
        if model is not None:
            fail("--shipped and --model name two models; give one", 2)
        if data is None:
            fail("--shipped scores the shipped model on your labels: add --data", 2)
        from framing.model.storage import default_model_dir

        model = default_model_dir()
    with StageProgress(stderr_console()) as progress:
        result = call(
            api().evaluate,
            data=data,
            documents=documents,
            model_dir=model,
            own_labels=own_labels,
            select=not no_select,
            report_dir=report,
            progress=progress,
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
