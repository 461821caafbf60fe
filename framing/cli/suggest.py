"""`framing suggest`."""

from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import api, call
from framing.cli.sample import (
    ExcludeOption,
    ForceOption,
    GuardOption,
    SheetOut,
    ShowLabelsOption,
    wrote,
)


def suggest(
    scores: Annotated[
        Path, typer.Argument(help="Paragraph scores (framing score --paragraphs).")
    ],
    out: SheetOut,
    n: Annotated[
        int, typer.Option("--n", "-n", min=1, help="Paragraphs to suggest.")
    ] = 50,
    exclude: ExcludeOption = None,
    show_labels: ShowLabelsOption = False,
    formula_guard: GuardOption = True,
    force: ForceOption = False,
):
    """Suggest the paragraphs most worth labelling next.

    They are those the model is least sure of (its two best labels closest),
    taken so that no two are near-duplicates. The sheet has the same columns as
    framing sample's; --exclude leaves out what is already coded.

    Example: framing suggest scores.csv --n 50 --exclude tocode.csv --out next.csv
    """
    result = call(
        api().suggest,
        scores,
        out=out,
        n=n,
        exclude=exclude or [],
        show_labels=show_labels,
        formula_guard=formula_guard,
        force=force,
    )
    typer.echo(
        wrote(
            result,
            out,
            f"mean uncertainty {result['mean_uncertainty']:.2f}; most similar pair "
            f"{result['max_similarity']:.2f}",
        ),
        err=True,
    )
