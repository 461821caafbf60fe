"""`framing sample`."""

from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import api, call, stdout_console
from framing.cli.summarize import DayFirstOption, split_list

SheetOut = Annotated[
    Path,
    typer.Option(
        "--out",
        help="The coding sheet to write (.csv, .tsv or .xlsx).",
        show_default=False,
    ),
]
ExcludeOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--exclude",
        help="Leave out paragraphs already in this coding sheet (repeatable).",
    ),
]
ShowLabelsOption = Annotated[
    bool,
    typer.Option(
        "--show-labels",
        help="Add the model's labels (hidden by default, so coders are not anchored).",
    ),
]
GuardOption = Annotated[
    bool,
    typer.Option(
        "--formula-guard/--no-formula-guard",
        help="Prefix CSV cells starting with = + - @ with ' so spreadsheets show "
        "them as text.",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the coding sheet if it exists.")
]


def sample(
    scores: Annotated[
        Path, typer.Argument(help="Paragraph scores (framing score --paragraphs).")
    ],
    out: SheetOut,
    n: Annotated[
        int, typer.Option("--n", "-n", min=1, help="Paragraphs to draw.")
    ] = 200,
    stratify: Annotated[
        list[str] | None,
        typer.Option(
            "--stratify",
            help="Draw within groups of these columns (stance, outlet, month, ...); "
            "repeat or use commas.",
        ),
    ] = None,
    allocation: Annotated[
        str,
        typer.Option(
            "--allocation",
            help="'proportional' to each group's size, or 'equal' per group.",
        ),
    ] = "proportional",
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    exclude: ExcludeOption = None,
    show_labels: ShowLabelsOption = False,
    formula_guard: GuardOption = True,
    day_first: DayFirstOption = None,
    force: ForceOption = False,
):
    """Draw a random sample of paragraphs for hand-coding.

    The sheet has the columns id, paragraph, text, an empty column per label
    (stance, tone) and the scores' metadata; the same seed gives the same sample.

    Example: framing sample scores.csv --n 200 --stratify stance,outlet --out tocode.csv
    """
    result = call(
        api().sample,
        scores,
        out=out,
        n=n,
        stratify=split_list(stratify),
        allocation=allocation,
        seed=seed,
        exclude=exclude or [],
        show_labels=show_labels,
        formula_guard=formula_guard,
        day_first=day_first,
        force=force,
    )
    if result["stratify"]:
        from rich.table import Table
        from rich.text import Text

        table = Table(title="sample per stratum", title_justify="left")
        for key in result["stratify"]:
            table.add_column(key)
        table.add_column("drawn", justify="right")
        table.add_column("available", justify="right")
        for stratum in result["strata"]:
            cells = [*stratum["stratum"], stratum["drawn"], stratum["available"]]
            table.add_row(*(Text(str(cell)) for cell in cells))
        stdout_console().print(table)
    typer.echo(wrote(result, out, f"seed {seed}"), err=True)


def wrote(result: dict, out: Path, detail: str) -> str:
    """The closing line; when fewer paragraphs than asked were written, it says
    so and why, as the user may be counting on the number they asked for."""
    if result["shortfall"]:
        return (
            f"Wrote {result['rows']} of the {result['asked']} paragraphs asked to "
            f"{out} ({detail}): {result['shortfall']}"
        )
    return f"Wrote {result['rows']} paragraphs to {out} ({detail})"
