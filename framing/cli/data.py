"""`framing data build / framing data check`."""

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
    fail,
)


def data_build(
    articles: Annotated[
        Path, typer.Option("--articles", help="Folder of seed articles (.txt).")
    ] = Path("data/articles"),
    authored: Annotated[
        Path, typer.Option("--authored", help="Folder of authored-paragraph CSVs.")
    ] = Path("data/authored"),
    documents: Annotated[
        list[Path] | None,
        typer.Option(
            "--documents",
            help="Folder of labelled-document CSVs (repeat for several).",
            show_default="data/documents and data/realistic",
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", help="Dataset to rewrite; its labels are kept by id."),
    ] = Path("data/paragraphs.csv"),
    force: Annotated[
        bool, typer.Option("--force", help="Drop labelled rows of removed paragraphs.")
    ] = False,
):
    """Regenerate the dataset from the articles, authored paragraphs and documents.

    Seed rows are re-segmented from the articles; their labels are kept by id
    (a hash of the paragraph text), so new paragraphs appear unlabelled. The
    labelled documents' paragraphs join the dataset, and their document labels
    are written to documents.csv beside it.

    Example: framing data build --articles data/articles --out data/paragraphs.csv
    """
    summary = call(
        api().build_data,
        articles=articles,
        authored=authored,
        documents=tuple(documents) if documents else api().DEFAULT_DOCUMENTS,
        out=out,
        force=force,
    )
    typer.echo(
        f"{summary['seed_rows']} seed paragraphs ({summary['unlabelled']} unlabelled), "
        f"{summary['authored_rows']} authored, {summary['document_rows']} from "
        f"{summary['documents']} documents, {summary['rows']} rows in all -> "
        f"{summary['path']}"
    )


def data_check(
    data: DataOption = Path("data/paragraphs.csv"),
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the Markdown report here.")
    ] = None,
    as_json: JsonOption = False,
    own_labels: OwnLabelsOption = False,
):
    """Check the dataset for shortcuts, near-duplicates and reused seed text.

    Two checks can fail (exit code 1): no class's 10 strongest n-grams may cover
    more than 40% of its rows, and a model that sees only each row's topic and
    register (whole topics held out) may not beat the majority class by more than
    0.05 macro-F1 on stance. The report is written either way.

    Example: framing data check --out docs/diversity.md
    """
    from framing.dataset.diversity import diversity_markdown, shortcut_failures

    report = call(api().check_data, data=data, own_labels=own_labels)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
    else:
        markdown = diversity_markdown(report)
        if out is None:
            typer.echo(markdown, nl=False)
        else:
            from framing.files import write_atomic

            call(write_atomic, out, lambda handle: handle.write(markdown))
            typer.echo(f"Wrote {out}")
    problems = shortcut_failures(report)
    if problems:
        fail("shortcut check failed: " + "; ".join(problems))
