"""`framing train`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
    DataOption,
    JsonOption,
    OwnLabelsOption,
    api,
    call,
    stderr_console,
    stdout_console,
)


def train(
    out: Annotated[
        Path,
        typer.Option("--out", help="Model directory to write (created if needed)."),
    ],
    data: DataOption = Path("data/paragraphs.csv"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out.")] = False,
    own_labels: OwnLabelsOption = False,
    no_select: Annotated[
        bool,
        typer.Option("--no-select", help="Skip the grouped search; use defaults."),
    ] = False,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate",
            help="Also run the grouped evaluation; figures go in the card.",
        ),
    ] = False,
    as_json: JsonOption = False,
):
    """Train a model on labelled paragraphs and save it with its card.

    Features and regularisation are chosen by leave-one-article-out
    cross-validation on the data, then the model is fitted on every row.

    Example: framing train --data mine.csv --out models/mine
    """
    with stderr_console().status(
        "Training (choosing features and C by held-out articles)..."
    ):
        card = call(
            api().train,
            data=data,
            out=out,
            force=force,
            own_labels=own_labels,
            select=not no_select,
            evaluate=evaluate,
        )
    if as_json:
        typer.echo(json.dumps(card, indent=2))
        return
    data_card = card["training_data"]
    typer.echo(f"Trained on {data_card['rows']} rows of {data_card['path']}")
    typer.echo(f"Features: {card['selection']['features_name']}")
    typer.echo(f"Chosen: {card['selection']['reason']}")
    for column, head in card["heads"].items():
        counts = data_card["label_counts"][column]
        labels = ", ".join(f"{k} {v}" for k, v in counts.items())
        typer.echo(f"{column} (C={head['C']}): {labels}")
    if card.get("evaluation"):
        from framing.render.terminal import evaluation_summary_table

        stdout_console().print(evaluation_summary_table(card["evaluation"]))
    typer.echo(f"Saved to {out}")
