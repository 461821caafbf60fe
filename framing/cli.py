"""The `framing` command line: parse options, call one framing.api function, show
the result. Heavy libraries are imported inside commands, so --help stays fast."""

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from framing.errors import FramingError

app = typer.Typer(
    help="Stance and tone of news paragraphs about the police.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    help="Build and check the labelled dataset.", no_args_is_help=True
)
app.add_typer(data_app, name="data")

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


def _stderr():
    from rich.console import Console

    return Console(stderr=True)


def _stdout():
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


def call(function, *args, interrupted: str = "interrupted", **kwargs):
    """Run a library function; turn its errors into one line and an exit code."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        return function(*args, **kwargs)
    except FramingError as exc:
        fail(str(exc), exc.exit_code)
    except Terminated:
        fail(interrupted, 143)  # the shell's code for a SIGTERM
    except KeyboardInterrupt:
        fail(interrupted, 130)
    except MemoryError:
        fail("out of memory; score fewer or smaller files at a time (--max-bytes)")
    except Exception as exc:  # a bug: keep the one-line promise, offer the trace
        if os.environ.get("FRAMING_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (FRAMING_DEBUG=1 shows where)")


@app.command()
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
    with _stderr().status("Training (choosing features and C by held-out articles)..."):
        card = call(
            _api().train,
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
        from framing.views import evaluation_summary_table

        _stdout().print(evaluation_summary_table(card["evaluation"]))
    typer.echo(f"Saved to {out}")


@app.command()
def classify(
    text: Annotated[
        str | None,
        typer.Argument(help="Text to classify; '-' or nothing reads standard input."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the text from a file.")
    ] = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show the n-grams behind each label."),
    ] = False,
    top: Annotated[
        int, typer.Option("--top", min=1, help="N-grams per label, with --explain.")
    ] = 5,
    min_confidence: MinConfidenceOption = 0.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse larger --file input.")
    ] = 5_000_000,
):
    """Classify pasted text, paragraph by paragraph and as a whole.

    Paragraphs are separated by blank lines (or a line break after a full stop).

    Example: pbpaste | framing classify --explain
    """
    if file is not None and text not in (None, "-"):
        fail("give the text as an argument or with --file, not both", 2)
    if file is not None:
        from framing.textio import read_text

        content, warning = call(read_text, file, max_bytes)
        if warning:
            typer.echo(f"warning: {file}: {warning}", err=True)
    elif text is None or text == "-":
        from framing.textio import decode

        if sys.stdin.isatty():
            typer.echo("Paste the text, then Ctrl-D:", err=True)
        # Bytes, decoded like a file: a pasted Windows-1252 export must not crash.
        content, warning = decode(sys.stdin.buffer.read())
        if warning:
            typer.echo(f"warning: standard input: {warning}", err=True)
    else:
        content = text
    result = call(
        _api().classify,
        content,
        model_dir=model,
        min_confidence=min_confidence,
        explain=top if explain else 0,
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    from framing.views import classify_table

    _stdout().print(classify_table(result, explain=explain))


@app.command()
def score(
    folder: Annotated[Path, typer.Argument(help="Folder of .txt/.md articles.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output file.", show_default="standard output"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv or jsonl.",
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
            "--jobs", min=1, help="Worker processes.", show_default="all cores"
        ),
    ] = None,
    min_confidence: MinConfidenceOption = 0.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Larger files are error rows.")
    ] = 5_000_000,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted --out run.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out.")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."
        ),
    ] = None,
):
    """Score every text file under a folder into CSV or JSON Lines.

    One row per document (id = path relative to FOLDER), or per paragraph with
    --paragraphs. A file that cannot be read becomes a row with its error filled
    in; the exit code is 3 when some files failed, 0 when none did.

    Example: framing score articles/ --out scores.csv
    """
    from framing.views import ProgressReporter, label_count_table

    reporter = ProgressReporter(_stderr())
    with reporter:
        summary = call(
            _api().score,
            folder,
            out=out,
            stream=sys.stdout,
            fmt=fmt,
            paragraphs=paragraphs,
            model_dir=model,
            jobs=jobs,
            min_confidence=min_confidence,
            max_bytes=max_bytes,
            resume=resume,
            force=force,
            scheduler=scheduler,
            on_start=reporter.start,
            on_document=reporter.advance,
            interrupted=(
                f"interrupted; what was scored is kept in {out}.part: run the same "
                "command with --resume to continue"
                if out is not None
                else "interrupted"
            ),
        )
    console = _stdout() if out is not None else _stderr()
    console.print(
        label_count_table(summary, per="paragraphs" if paragraphs else "documents")
    )
    if out is not None:
        typer.echo(f"Wrote {out}", err=console.stderr)
    if summary["failed"]:
        typer.echo(
            f"{summary['failed']} of {summary['documents']} files failed; see the "
            "error column",
            err=True,
        )
        raise typer.Exit(PARTIAL_FAILURE)


@app.command()
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
    with _stderr().status("Evaluating: one held-out article at a time..."):
        result = call(
            _api().evaluate,
            data=data,
            model_dir=model,
            own_labels=own_labels,
            select=not no_select,
            report_dir=report,
        )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from framing.views import evaluation_tables

    console = _stdout()
    for renderable in evaluation_tables(result):
        console.print(renderable)
    if report is not None:
        typer.echo(f"Report: {result['report']}")


@app.command()
def info(model: ModelOption = None, as_json: JsonOption = False):
    """Show a model's card: labels, training data, versions, evaluation.

    Example: framing info --model models/mine
    """
    card = call(_api().info, model)
    if as_json:
        typer.echo(json.dumps(card, indent=2))
        return
    from framing.views import card_tables

    console = _stdout()
    for renderable in card_tables(card):
        console.print(renderable)


@data_app.command("build")
def data_build(
    articles: Annotated[
        Path, typer.Option("--articles", help="Folder of seed articles (.txt).")
    ] = Path("data/articles"),
    authored: Annotated[
        Path, typer.Option("--authored", help="Folder of authored-paragraph CSVs.")
    ] = Path("data/authored"),
    out: Annotated[
        Path,
        typer.Option("--out", help="Dataset to rewrite; its labels are kept by id."),
    ] = Path("data/paragraphs.csv"),
    force: Annotated[
        bool, typer.Option("--force", help="Drop labelled rows of removed paragraphs.")
    ] = False,
):
    """Regenerate the dataset from the articles and the authored paragraphs.

    Seed rows are re-segmented from the articles; their labels are kept by id
    (a hash of the paragraph text), so new paragraphs appear unlabelled.

    Example: framing data build --articles data/articles --out data/paragraphs.csv
    """
    summary = call(
        _api().build_data, articles=articles, authored=authored, out=out, force=force
    )
    typer.echo(
        f"{summary['seed_rows']} seed paragraphs ({summary['unlabelled']} unlabelled), "
        f"{summary['authored_rows']} authored, {summary['rows']} rows in all -> "
        f"{summary['path']}"
    )


@data_app.command("check")
def data_check(
    data: DataOption = Path("data/paragraphs.csv"),
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the Markdown report here.")
    ] = None,
    as_json: JsonOption = False,
    own_labels: OwnLabelsOption = False,
):
    """Check the dataset for signature words, near-duplicates and reused seed text.

    Example: framing data check --out docs/diversity.md
    """
    report = call(_api().check_data, data=data, own_labels=own_labels)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    from framing.diversity import diversity_markdown
    from framing.output import write_atomic

    markdown = diversity_markdown(report)
    if out is None:
        typer.echo(markdown, nl=False)
    else:
        call(write_atomic, out, lambda handle: handle.write(markdown))
        typer.echo(f"Wrote {out}")


def _version(value: bool) -> None:
    if value:
        from framing import __version__

        typer.echo(f"framing {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Stance and tone of news paragraphs about the police."""


def _api():
    from framing import api

    return api


def main() -> None:
    app()
