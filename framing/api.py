"""The plain functions behind each command: keyword arguments in, data out.

Nothing here prints or exits; the CLI (framing.cli) turns results into text and
FramingError into a one-line message.
"""

from collections.abc import Callable
from pathlib import Path

from framing import checks
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
    data, out = checks.path("data", data), checks.path("out", out)
    checks.flags(force=force, own_labels=own_labels, select=select, evaluate=evaluate)
    jobs = checks.jobs(jobs)
    from framing.dataset.load import load_dataset
    from framing.files import check_model_dir
    from framing.model.storage import save_model
    from framing.model.training import train_dataset

    check_model_dir(Path(out), force=force)
    dataset = load_dataset(Path(data), codebook=not own_labels)
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
    checks.text("text", text)
    model_dir = checks.optional_path("model_dir", model_dir)
    min_confidence = checks.probability("min_confidence", min_confidence)
    checks.count("explain", explain, minimum=0)
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
    checkpoint_every: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int, list[tuple[str, str]]], None] | None = None,
) -> dict:
    """Score every text file under `folder` into `out` (or `stream`); returns a
    summary. Bad files become rows with an error; the others are still scored.

    Links to files outside `folder` are not read unless follow_links=True.
    on_start(total) is called once the files are counted; on_progress(documents,
    warnings) after each chunk, with its (id, warning) pairs.
    """
    from framing.batch.run import check_request, score_folder
    from framing.batch.workers import ScoreOptions

    folder = checks.path("folder", folder)
    out = checks.optional_path("out", out)
    checks.writable("stream", stream)
    checks.optional_text("fmt", fmt)
    checks.flags(
        paragraphs=paragraphs, resume=resume, force=force, follow_links=follow_links
    )
    model_dir = checks.optional_path("model_dir", model_dir)
    jobs = checks.jobs(jobs)
    min_confidence = checks.probability("min_confidence", min_confidence)
    checks.count("max_bytes", max_bytes, minimum=1)
    checks.optional_text("scheduler", scheduler)
    checks.count("checkpoint_every", checkpoint_every, minimum=1, optional=True)
    checks.callbacks(on_start=on_start, on_progress=on_progress)

    encoder = check_request(
        folder,
        out=out,
        stream=stream,
        fmt=fmt,
        resume=resume,
        force=force,
        scheduler=scheduler,
    )
    model, card = load(model_dir)
    return score_folder(
        model,
        folder,
        model_id={"arrays": card.get("files"), "created": card.get("created")},
        out=out,
        stream=stream,
        fmt=encoder,
        options=ScoreOptions(
            paragraphs=paragraphs, min_confidence=min_confidence, max_bytes=max_bytes
        ),
        jobs=jobs,
        scheduler=scheduler,
        resume=resume,
        force=force,
        follow_links=follow_links,
        checkpoint_every=checkpoint_every,
        on_start=on_start,
        on_progress=on_progress,
    )


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
    data = checks.path("data", data)
    model_dir = checks.optional_path("model_dir", model_dir)
    report_dir = checks.optional_path("report_dir", report_dir)
    checks.flags(own_labels=own_labels, select=select)
    checks.count("bootstrap_samples", bootstrap_samples, minimum=1)
    jobs = checks.jobs(jobs)
    from framing.dataset.load import load_dataset
    from framing.evaluation.grouped import evaluate_dataset

    _model, card = load(model_dir)
    dataset = load_dataset(Path(data), codebook=not own_labels)
    result = evaluate_dataset(
        dataset,
        select=select,
        bootstrap_samples=bootstrap_samples,
        jobs=jobs,
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
    model_dir = checks.optional_path("model_dir", model_dir)
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
