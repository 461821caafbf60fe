"""`framing train`."""

import json
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
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
    data: Annotated[
        Path, typer.Option("--data", help="Labelled paragraphs (CSV).")
    ] = Path("data/paragraphs.csv"),
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents",
            help="Document labels (CSV: id, stance, tone) for the document model.",
            show_default="documents.csv beside --data, if there is one",
        ),
    ] = None,
    with_default_data: Annotated[
        bool,
        typer.Option(
            "--with-default-data",
            help="Train on --data together with the project's own training data.",
        ),
    ] = False,
    weight: Annotated[
        float,
        typer.Option(
            "--weight",
            help="How much each --data row counts, above 0 (with --with-default-data).",
        ),
    ] = 1.0,
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
            help="Then evaluate the new model; the figures go in its card.",
        ),
    ] = False,
    families: Annotated[
        str | None,
        typer.Option(
            "--families",
            help="Feature families beside the word n-grams, comma-separated "
            "(negation, sentiment, voice, markers), or 'none'.",
            show_default="as the project's ablation chose",
        ),
    ] = None,
    as_json: JsonOption = False,
):
    """Train a model on labelled paragraphs and save it with its card.

    C and per-class offsets are chosen by grouped cross-validation (whole
    documents held out), then the model is fitted on every row; labelled
    documents train the document model. Any CSV written by `framing sample`,
    `framing suggest` or `framing score --paragraphs` can be used once its label
    columns are filled in.

    Example: framing train --data coded.csv --with-default-data --out models/mine
    """
    from framing.render.terminal import StageProgress

    with StageProgress(stderr_console()) as progress:
        card = call(
            api().train,
            data=data,
            out=out,
            documents=documents,
            with_default_data=with_default_data,
            weight=weight,
            force=force,
            own_labels=own_labels,
            select=not no_select,
            evaluate=evaluate,
            families=None
            if families is None
            else [
                f.strip() for f in families.split(",") if f.strip() not in ("", "none")
            ],
            progress=progress,
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
    typer.echo(f"Whole documents: {card['aggregation']}")
    if card.get("evaluation"):
        from framing.render.terminal import evaluation_summary_table

        stdout_console().print(evaluation_summary_table(card["evaluation"]))
    typer.echo(f"Saved to {out}")
