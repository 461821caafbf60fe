"""The plain functions behind each command: keyword arguments in, data out.

Nothing here prints or exits; the CLI (framing.cli) turns results into text and
FramingError into a one-line message.
"""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from framing import checks
from framing.errors import DataError, InputError, OutputError
from framing.text.read import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from framing.batch.rows import RunSummary
    from framing.evaluation.results import Evaluation, Section
    from framing.model.scorer import Scorer
    from framing.model.storage import ModelCard

DEFAULT_DATA = Path("data/paragraphs.csv")
DEFAULT_ARTICLES = Path("data/articles")
DEFAULT_AUTHORED = Path("data/authored")
DEFAULT_DOCUMENTS = (Path("data/documents"), Path("data/realistic"))


def load(model_dir: Path | None = None) -> "tuple[Scorer, ModelCard]":
    """(model, card) from `model_dir`, or the shipped default model."""
    from framing.model.storage import default_model_dir, load_model

    return load_model(Path(model_dir) if model_dir else default_model_dir())


def train(
    *,
    data: Path = DEFAULT_DATA,
    out: Path,
    documents: Path | None = None,
    with_default_data: bool = False,
    weight: float = 1.0,
    force: bool = False,
    own_labels: bool = False,
    select: bool = True,
    evaluate: bool = False,
    families: Sequence[str] | None = None,
    c_grid: tuple[float, ...] | None = None,
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> "ModelCard":
    """Fit a model on labelled paragraphs and save it; returns its card.

    `families` names the feature families to switch on beside the word n-grams
    (negation, sentiment, voice, markers); by default, those the project's
    ablation kept (framing/model/choices.py).

    `documents` (a CSV of document ids and their labels) trains the document
    model; by default the documents.csv beside `data` is used when there is one.
    With `with_default_data`, the project's own training data joins `data`, whose
    rows then count `weight` times as much.
    """
    data, out = checks.path("data", data), checks.path("out", out)
    documents = checks.optional_path("documents", documents)
    checks.flags(
        force=force,
        own_labels=own_labels,
        select=select,
        evaluate=evaluate,
        with_default_data=with_default_data,
    )
    jobs = checks.jobs(jobs)
    from framing.dataset.training import training_set
    from framing.files import check_model_dir
    from framing.model.choices import DEFAULT_FEATURES, FAMILY_DECISIONS, LEFT_OUT
    from framing.model.storage import save_model
    from framing.model.training import CANDIDATE_C, train_scorer

    check_model_dir(Path(out), force=force)
    if not weight > 0:
        raise InputError(f"weight must be above 0, got {weight}")
    training = training_set(
        Path(data),
        documents=documents,
        with_default_data=with_default_data,
        weight=weight,
        own_labels=own_labels,
    )
    scorer, selection = train_scorer(
        training.texts,
        training.labels,
        training.groups,
        features=_features(families, DEFAULT_FEATURES),
        documents=training.documents,
        weights=training.weights,
        select=select,
        scored=training.scored,
        c_grid=tuple(c_grid or CANDIDATE_C),
        jobs=jobs,
        progress=progress or _no_progress,
    )
    if all(group.startswith("row:") for group in training.groups):
        selection.reason += (
            "; the data names no documents (no article, id or topic column), so "
            "cross-validation held out single paragraphs, which flatters the figures"
        )
    card: ModelCard = {
        "training_data": training.summary,
        "selection": {
            **selection.to_dict(),
            "feature_families": FAMILY_DECISIONS,
            "left_out": LEFT_OUT,
        },
        "heads": {
            column: {
                "C": selection.c[column],
                "offsets": selection.offsets[column],
            }
            for column in training.labels
        },
        "aggregation": (
            "a document model over summaries of paragraph probabilities for "
            + ", ".join(sorted(scorer.document_heads))
            if scorer.document_heads
            else "length-weighted mean of paragraph probabilities"
        ),
    }
    card = save_model(scorer, Path(out), card)
    if evaluate:
        from framing.model.storage import write_card
        from framing.render.terminal import evaluation_summary

        figures = _project_evaluation(Path(out), jobs=jobs, progress=progress)
        card["evaluation"] = evaluation_summary(figures)
        write_card(Path(out), card)
    return card


def _features(families: Sequence[str] | None, default):
    """The feature configuration with exactly `families` on (default: as shipped)."""
    from dataclasses import replace

    from framing.model.extractor import FAMILIES

    if families is None:
        return default
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        raise InputError(
            f"no feature family {unknown[0]!r}; choose from {', '.join(FAMILIES)}"
        )
    return replace(default, **{family: family in families for family in FAMILIES})


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    pass


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
    formula_guard: bool = True,
    checkpoint_every: int | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    keep: Sequence[str] | None = None,
    on_start: Callable[[int | None], None] | None = None,
    on_progress: Callable[[int, list[tuple[str, str]]], None] | None = None,
) -> "RunSummary":
    """Score every text file under `folder` into `out` (or `stream`); returns a
    summary. Bad files become rows with an error; the others are still scored.

    `folder` may instead be a table (.csv, .tsv, .jsonl, .json, .xlsx): one
    document per record, its text in `text_column`, its id in `id_column` (else
    the row number), and its other columns (or those in `keep`) written after
    the id; a bad record becomes an error row.

    The format is `fmt` or the extension of `out` (.csv, .tsv, .jsonl, .xlsx);
    CSV and TSV cells that a spreadsheet would run as formulas get a leading '
    unless formula_guard=False. Links to files outside `folder` are not read
    unless follow_links=True.
    on_start(total) is called once the files are counted (total is None for a
    table too large to count first); on_progress(documents, warnings) after each
    chunk, with its (id, warning) pairs.
    """
    from framing.batch import run
    from framing.batch.workers import ScoreOptions

    folder = checks.path("folder", folder)
    out = checks.optional_path("out", out)
    checks.writable("stream", stream)
    checks.optional_text("fmt", fmt)
    checks.flags(
        paragraphs=paragraphs,
        resume=resume,
        force=force,
        follow_links=follow_links,
        formula_guard=formula_guard,
    )
    model_dir = checks.optional_path("model_dir", model_dir)
    jobs = checks.jobs(jobs)
    min_confidence = checks.probability("min_confidence", min_confidence)
    checks.count("max_bytes", max_bytes, minimum=1)
    checks.optional_text("scheduler", scheduler)
    checks.count("checkpoint_every", checkpoint_every, minimum=1, optional=True)
    checks.callbacks(on_start=on_start, on_progress=on_progress)
    checks.optional_text("text_column", text_column)
    checks.optional_text("id_column", id_column)
    keep = checks.optional_texts("keep", keep)
    table = run.is_table(folder)
    if folder.suffix.lower() == ".xls":  # said before the options for a table
        raise InputError(
            f"{folder}: old Excel (.xls) files are not read; save as .xlsx"
        )
    if not table and (text_column, id_column, keep) != (None, None, None):
        raise checks.ArgumentError(
            f"--text-column, --id-column and --keep read a table ({run.TABLES}); "
            f"{folder} is not one"
        )

    encoder = run.check_request(
        folder,
        out=out,
        stream=stream,
        fmt=fmt,
        resume=resume,
        force=force,
        scheduler=scheduler,
        formula_guard=formula_guard,
    )
    options = ScoreOptions(
        paragraphs=paragraphs, min_confidence=min_confidence, max_bytes=max_bytes
    )
    # What a run over a table and a run over a folder share.
    target = run.RunTarget(
        out=out,
        stream=stream,
        fmt=encoder,
        options=options,
        jobs=jobs,
        scheduler=scheduler,
        resume=resume,
        force=force,
        checkpoint_every=checkpoint_every,
        on_progress=on_progress,
    )
    if table:
        corpus = run.check_table(
            folder, text_column=text_column, id_column=id_column, keep=keep
        )
        model, card = load(model_dir)
        return run.score_table(
            model,
            corpus,
            text_column=text_column,
            id_column=id_column,
            model_id=_model_id(card),
            target=target,
            on_start=on_start,
        )
    found = run.check_folder(folder)
    model, card = load(model_dir)
    return run.score_folder(
        model,
        folder,
        found=found,
        model_id=_model_id(card),
        target=target,
        follow_links=follow_links,
        on_start=on_start,
    )


def _model_id(card: "ModelCard") -> dict:
    """What names a model in a run's checkpoints."""
    return {"arrays": card.get("files"), "created": card.get("created")}


def evaluate(
    *,
    data: Path | None = None,
    documents: Path | None = None,
    model_dir: Path | None = None,
    dev: Path | None = None,
    own_labels: bool = False,
    select: bool = True,
    c_grid: tuple[float, ...] | None = None,
    report_dir: Path | None = None,
    bootstrap_samples: int = 1000,
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> "Evaluation":
    """How good is it, really? Three evaluations, chosen by the arguments:

    - no `data`: the project's figures: the dev set (blind, double-coded, never
      trained on) scored by the model, paragraphs and documents, and the seed
      articles held out one at a time from a fresh training run;
    - `data` and `model_dir`: that model scored on your labelled paragraphs (and
      on `documents`, a CSV of document labels, if given);
    - `data` alone: the training procedure on your data, whole documents held out.
    """
    data = checks.optional_path("data", data)
    documents = checks.optional_path("documents", documents)
    model_dir = checks.optional_path("model_dir", model_dir)
    dev = checks.optional_path("dev", dev)
    report_dir = checks.optional_path("report_dir", report_dir)
    checks.flags(own_labels=own_labels, select=select)
    checks.count("bootstrap_samples", bootstrap_samples, minimum=1)
    jobs = checks.jobs(jobs)
    from framing.dataset.training import default_data_dir, training_set
    from framing.evaluation import run
    from framing.evaluation.grouped import held_out_section
    from framing.model.choices import DEFAULT_FEATURES
    from framing.model.training import CANDIDATE_C

    if report_dir is not None and Path(report_dir).exists():
        if not Path(report_dir).is_dir():
            raise OutputError(f"{report_dir} is a file; give a folder for the report")
    if data is not None and not Path(data).is_file():
        raise DataError(f"dataset {data} does not exist; pass --data PATH")
    grid = tuple(c_grid or CANDIDATE_C)
    progress = progress or _no_progress

    def procedure(training, name: str) -> "Section":
        """The training procedure on `training`, whole documents held out."""
        return held_out_section(
            training,
            features=DEFAULT_FEATURES,
            evaluable=training.evaluable,
            name=name,
            select=select,
            c_grid=grid,
            bootstrap_samples=bootstrap_samples,
            jobs=jobs,
            progress=progress,
        )

    result: Evaluation = {"sections": []}
    if data is not None and model_dir is not None:
        scorer, card = load(model_dir)
        result["sections"] = run.score_on_labels(
            scorer,
            card,
            Path(data),
            documents=documents,
            own_labels=own_labels,
            bootstrap_samples=bootstrap_samples,
        )
        result["model"] = _model_summary(card, model_dir)
    elif data is not None:
        training = training_set(Path(data), documents=documents, own_labels=own_labels)
        result["sections"] = [procedure(training, run.YOUR_DATA)]
    else:
        scorer, card = load(model_dir)
        project = default_data_dir()
        dev = Path(dev) if dev is not None else project / "dev"
        if (dev / "paragraphs.csv").is_file():
            result["sections"] += run.score_on_labels(
                scorer,
                card,
                dev / "paragraphs.csv",
                documents=dev / "documents.csv",
                name=run.DEV_SET,
                bootstrap_samples=bootstrap_samples,
                # Blind by construction (data/dev/README.md); it shares one headline
                # line with the training data, which is left in so that the
                # reported figures stay those of the whole set.
                leave_out_trained=False,
            )
        training = training_set(project / "paragraphs.csv")
        result["sections"].append(procedure(training, run.SEED_ARTICLES))
        result["model"] = _model_summary(card, model_dir)
    if report_dir is not None:
        from framing.render.report import write_report

        result["report"] = str(write_report(result, Path(report_dir)))
    return result


def _project_evaluation(model_dir: Path, **options) -> "Evaluation":
    """`evaluate` under another name, for `train`, whose flag shadows it."""
    return evaluate(model_dir=model_dir, **options)


def _model_summary(card: "ModelCard", model_dir: Path | None) -> dict:
    selection = card.get("selection")
    if not isinstance(selection, dict):
        selection = {}
    return {
        "path": str(model_dir) if model_dir else "the shipped model",
        "created": card.get("created"),
        "document_model": selection.get("document"),
    }


def info(model_dir: Path | None = None) -> "ModelCard":
    """The model card, after checking the model loads, with `location`: the
    model's folder (where pip put the shipped one, to pass to --model), and
    `warnings` when another scikit-learn minor version trained it."""
    from framing.model.storage import check_versions, default_model_dir

    model_dir = checks.optional_path("model_dir", model_dir)
    _model, card = load(model_dir)
    location = str(Path(model_dir or default_model_dir()).resolve())
    warning = check_versions(card)
    return {
        **card,
        "location": location,
        **({"warnings": [warning]} if warning else {}),
    }


def build_data(
    *,
    articles: Path = DEFAULT_ARTICLES,
    out: Path = DEFAULT_DATA,
    authored: Path | None = DEFAULT_AUTHORED,
    documents: tuple[Path, ...] | None = DEFAULT_DOCUMENTS,
    force: bool = False,
) -> dict:
    """Regenerate the dataset: seed rows from the articles (labels kept by id),
    authored rows from the CSV files in `authored`, and the paragraphs of the
    labelled documents in `documents` (their labels go to documents.csv)."""
    from framing.dataset.build import build_dataset

    if not Path(articles).is_dir():
        raise DataError(f"{articles} is not a folder of articles")
    if authored is not None and not Path(authored).is_dir():
        authored = None
    folders = [Path(f) for f in documents or () if Path(f).is_dir()]
    return build_dataset(
        Path(articles), Path(out), authored, documents_dir=folders, force=force
    )


def check_data(*, data: Path = DEFAULT_DATA, own_labels: bool = False) -> dict:
    """Signature n-grams per class, near-duplicate pairs and reused seed runs."""
    from framing.dataset.diversity import check_dataset
    from framing.dataset.load import load_dataset

    return check_dataset(load_dataset(Path(data), codebook=not own_labels))


def summarize(
    scores: Path,
    *,
    by: Sequence[str] = (),
    min_confidence: float = 0.0,
    uncertain: str = "separate",
    day_first: bool | None = None,
    out: Path | None = None,
    report_dir: Path | None = None,
):
    """Label shares per group of a scores file, with 95% intervals and counts;
    written as a long table to `out` (.csv, .tsv, .xlsx) and as a report with
    charts to `report_dir` when given. Returns the Summary."""
    from framing.findings.scores import read_scores
    from framing.findings.summary import summarize_scores
    from framing.render.tables import output_format, write_table

    if out is not None:
        output_format(out)
    if report_dir is not None:
        from framing.findings.report import check_matplotlib

        if Path(report_dir).is_file():
            raise OutputError(f"{report_dir} is a file; give a folder for the report")
        check_matplotlib()
    summary = summarize_scores(
        read_scores(scores),
        by=by,
        min_confidence=min_confidence,
        uncertain=uncertain,
        day_first=day_first,
    )
    if out is not None:
        header, rows = summary.table()
        write_table(out, header, rows)
    if report_dir is not None:
        from framing.findings.report import write_report

        write_report(summary, Path(report_dir))
    return summary


def _check_sheet(out: Path, force: bool, inputs: Sequence[Path]) -> None:
    import os

    from framing.render.tables import output_format

    output_format(out)
    if not Path(out).exists():
        return
    # --force is for an old coding sheet, never for a file this run reads: the
    # scores or a coded sheet would be replaced by the new sheet.
    for given in inputs:
        if Path(given).exists() and os.path.samefile(out, given):
            raise OutputError(
                f"--out {out} is the same file as the input {given}; give another --out"
            )
    if not force:
        raise OutputError(
            f"{out} exists (a coding sheet may hold a coder's work); pass --force "
            "to overwrite it"
        )


def sample(
    scores: Path,
    *,
    out: Path,
    n: int = 200,
    stratify: Sequence[str] = (),
    allocation: str = "proportional",
    seed: int = 0,
    exclude: Sequence[Path] = (),
    show_labels: bool = False,
    formula_guard: bool = True,
    day_first: bool | None = None,
    force: bool = False,
) -> dict:
    """Write a seeded random sample of `n` paragraphs of a scores file (from
    `score --paragraphs`) as a coding sheet with empty label columns; returns
    what was drawn from each stratum."""
    from framing.findings.coding import (
        coded_texts,
        coding_header,
        coding_row,
        sample_rows,
        shortfall,
    )
    from framing.findings.scores import read_scores
    from framing.render.tables import write_table

    _check_sheet(out, force, [scores, *exclude])
    table = read_scores(scores)
    rows, strata = sample_rows(
        table,
        n=n,
        stratify=stratify,
        seed=seed,
        allocation=allocation,
        exclude=coded_texts(exclude),
        day_first=day_first,
    )
    total = sum(size for _drawn, size in strata.values())
    write_table(
        out,
        coding_header(table, show_labels=show_labels),
        (coding_row(row, table, show_labels=show_labels) for row in rows),
        formula_guard=formula_guard,
    )
    return {
        "out": str(out),
        "rows": len(rows),
        "asked": n,
        "shortfall": shortfall(n, len(rows), total, bool(exclude)),
        "stratify": list(stratify),
        "strata": [
            {"stratum": list(key), "drawn": drawn, "available": available}
            for key, (drawn, available) in strata.items()
        ],
    }


def suggest(
    scores: Path,
    *,
    out: Path,
    n: int = 50,
    exclude: Sequence[Path] = (),
    show_labels: bool = False,
    formula_guard: bool = True,
    force: bool = False,
) -> dict:
    """Write the `n` paragraphs of a scores file most worth labelling next (the
    model is unsure of them, and they are not near-duplicates of each other) as
    a coding sheet; returns their uncertainty figures."""
    from framing.findings.coding import (
        coded_texts,
        coding_header,
        coding_row,
        eligible,
        shortfall,
        suggest_rows,
    )
    from framing.findings.scores import read_scores
    from framing.render.tables import write_table

    _check_sheet(out, force, [scores, *exclude])
    table = read_scores(scores)
    coded = coded_texts(exclude)
    chosen = suggest_rows(table, n=n, exclude=coded)
    write_table(
        out,
        coding_header(table, show_labels=show_labels),
        (coding_row(row, table, show_labels=show_labels) for row, _u, _s in chosen),
        formula_guard=formula_guard,
    )
    return {
        "out": str(out),
        "rows": len(chosen),
        "asked": n,
        "shortfall": shortfall(
            n, len(chosen), len(eligible(table, coded)), bool(exclude)
        ),
        "mean_uncertainty": round(sum(u for _r, u, _s in chosen) / len(chosen), 4)
        if chosen
        else 0.0,
        "max_similarity": round(max((s for _r, _u, s in chosen), default=0.0), 4),
    }
