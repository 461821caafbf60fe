"""The plain functions behind each command: keyword arguments in, data out.

Nothing here prints or exits; the CLI (framing.cli) turns results into text and
FramingError into a one-line message.
"""

import os
from collections.abc import Callable
from pathlib import Path

from framing.errors import DataError, InputError, OutputError
from framing.text.read import DEFAULT_MAX_BYTES

DEFAULT_DATA = Path("data/paragraphs.csv")
DEFAULT_ARTICLES = Path("data/articles")
DEFAULT_AUTHORED = Path("data/authored")


def load(model_dir: Path | None = None):
    """(model, card) from `model_dir`, or the shipped default model."""
    from framing.model.storage import default_model_dir, load_model

    return load_model(Path(model_dir) if model_dir else default_model_dir())


def train(
    *,
    data: Path = DEFAULT_DATA,
    out: Path,
    force: bool = False,
    own_labels: bool = False,
    select: bool = True,
    evaluate: bool = False,
    jobs: int | None = None,
) -> dict:
    """Select, fit and save a model from a labelled dataset; returns its card.
    With evaluate=True the card also gets the grouped evaluation's figures."""
    from framing.dataset.load import load_dataset
    from framing.files import check_model_dir
    from framing.model.storage import save_model
    from framing.model.training import train_dataset

    check_model_dir(Path(out), force=force)
    dataset = load_dataset(Path(data), codebook=not own_labels)
    jobs = jobs or os.cpu_count() or 1
    model, selection = train_dataset(dataset, select=select, jobs=jobs)
    card = {
        "training_data": {
            "path": Path(data).as_posix(),
            "sha256": dataset.sha256,
            "rows": len(dataset.rows),
            "sources": _counts(row.get("source") or "" for row in dataset.rows),
            "label_counts": {
                column: _counts(dataset.labels(column)) for column in model.heads
            },
        },
        "selection": selection.to_dict(),
        "aggregation": "length-weighted mean of paragraph probabilities",
    }
    if evaluate:
        from framing.evaluation.grouped import evaluate_dataset, evaluation_summary

        result = evaluate_dataset(dataset, select=select, jobs=jobs)
        card["evaluation"] = evaluation_summary(result)
        card["evaluation_method"] = result["method"]
    return save_model(model, Path(out), card)


def _counts(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def classify(
    text: str,
    *,
    model_dir: Path | None = None,
    min_confidence: float = 0.0,
    explain: int = 0,
) -> dict:
    """Stance and tone of a text, paragraph by paragraph and as a whole."""
    from framing.labelling import classify_text

    if not text or not text.strip():
        raise InputError(
            "no text to classify: give some words as an argument, with --file, or on "
            "standard input"
        )
    model, _card = load(model_dir)
    return classify_text(model, text, min_confidence=min_confidence, explain=explain)


def score(
    folder: Path,
    *,
    out: Path | None = None,
    stream=None,
    fmt: str | None = None,
    paragraphs: bool = False,
    model_dir: Path | None = None,
    jobs: int | None = None,
    min_confidence: float = 0.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    follow_links: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[dict], None] | None = None,
) -> dict:
    """Score every text file under `folder` into `out` (or `stream`); returns a
    summary. Bad files become rows with an error; the others are still scored.
    Links to files outside `folder` are not read unless follow_links=True."""
    from framing.batch.formats import FORMATS
    from framing.batch.run import run_batch
    from framing.batch.sink import check_output
    from framing.batch.workers import DEFAULT_CHUNK, ScoreOptions
    from framing.corpus.walk import count_entries, iter_entries

    folder = Path(folder)
    if fmt is None:  # from the output's extension, so scores.jsonl is JSON Lines
        suffix = Path(out).suffix.lower() if out is not None else ""
        fmt = "jsonl" if suffix in (".jsonl", ".json", ".ndjson") else "csv"
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not folder.exists():
        raise InputError(f"{folder} does not exist; give the folder of articles")
    if not folder.is_dir():
        raise InputError(
            f"{folder} is a file, not a folder; give the folder of articles"
        )
    if scheduler:
        from framing.batch.workers import check_dask

        check_dask(scheduler)
    if out is not None:
        check_output(Path(out), force=force, resume=resume)
    elif resume:
        raise InputError("--resume needs --out FILE: a stream cannot be resumed")
    elif stream is None:
        raise InputError("give out=PATH or stream=FILE-LIKE for the rows")
    model, card = load(model_dir)
    # A first, cheap walk (no file is opened) sizes the progress bar; holding the
    # list instead would make memory grow with the number of files.
    total = count_entries(folder)
    if total == 0:
        raise InputError(
            f"no text files (.txt, .md) in {folder}; point at the folder of articles"
        )
    if on_start:
        on_start(total)
    jobs = jobs or os.cpu_count() or 1
    if total <= DEFAULT_CHUNK:
        jobs = 1  # starting workers costs more than a single chunk
    summary = run_batch(
        model,
        # Absolute paths: Dask workers on other machines do not share our cwd.
        iter_entries(Path(os.path.abspath(folder)), follow_links=follow_links),
        out=Path(out) if out is not None else None,
        stream=stream,
        fmt=fmt,
        options=ScoreOptions(
            paragraphs=paragraphs, min_confidence=min_confidence, max_bytes=max_bytes
        ),
        jobs=jobs,
        resume=resume,
        scheduler=scheduler,
        fingerprint={
            "arrays": card.get("files"),
            "created": card.get("created"),
            "follow_links": follow_links,
        },
        on_document=on_document,
    )
    summary["total"] = total
    return summary


def evaluate(
    *,
    data: Path = DEFAULT_DATA,
    model_dir: Path | None = None,
    own_labels: bool = False,
    select: bool = True,
    report_dir: Path | None = None,
    bootstrap_samples: int = 1000,
    jobs: int | None = None,
) -> dict:
    """Leave-one-article-out evaluation of the training procedure on `data`."""
    from framing.dataset.load import load_dataset
    from framing.evaluation.grouped import evaluate_dataset

    _model, card = load(model_dir)
    dataset = load_dataset(Path(data), codebook=not own_labels)
    result = evaluate_dataset(
        dataset,
        select=select,
        bootstrap_samples=bootstrap_samples,
        jobs=jobs or os.cpu_count() or 1,
    )
    result["model"] = {
        "created": card.get("created"),
        "same_training_data": card.get("training_data", {}).get("sha256")
        == dataset.sha256,
    }
    if report_dir is not None and Path(report_dir).exists():
        if not Path(report_dir).is_dir():
            raise OutputError(f"{report_dir} is a file; give a folder for the report")
    if report_dir is not None:
        from framing.render.report import write_report

        result["report"] = str(write_report(result, Path(report_dir)))
    return result


def info(model_dir: Path | None = None) -> dict:
    """The model card, after checking the model loads."""
    _model, card = load(model_dir)
    return card


def build_data(
    *,
    articles: Path = DEFAULT_ARTICLES,
    out: Path = DEFAULT_DATA,
    authored: Path | None = DEFAULT_AUTHORED,
    force: bool = False,
) -> dict:
    """Regenerate the dataset: seed rows from the articles (labels kept by id) and
    authored rows from the CSV files in `authored`."""
    from framing.dataset.build import build_dataset

    if not Path(articles).is_dir():
        raise DataError(f"{articles} is not a folder of articles")
    if authored is not None and not Path(authored).is_dir():
        authored = None
    return build_dataset(Path(articles), Path(out), authored, force=force)


def check_data(*, data: Path = DEFAULT_DATA, own_labels: bool = False) -> dict:
    """Signature n-grams per class, near-duplicate pairs and reused seed runs."""
    from framing.dataset.diversity import check_dataset
    from framing.dataset.load import load_dataset

    return check_dataset(load_dataset(Path(data), codebook=not own_labels))
