"""Run a scoring batch into a file or a stream: the loop, checkpoints and --resume.

The workers return each chunk's finished bytes; this loop only puts them in
order, writes them, adds up their counts and, every `checkpoint_every` documents
(or `checkpoint_seconds`), records a checkpoint. A run with an output file
writes FILE.part (framing.batch.sink); --resume verifies the checkpoint and the
ids of the documents it holds before continuing.
"""

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from framing.batch.formats import Encoder, get_format
from framing.batch.rows import RowSchema, RunSummary, Tally
from framing.batch.sink import PartFile, Sink, StreamSink, check_output
from framing.batch.workers import (
    CHUNK_BYTES,
    CHUNK_DOCUMENTS,
    ChunkResult,
    Job,
    ScoreOptions,
    WorkerDied,
    as_entry,
    chunked,
    executor,
    ordered,
)
from framing.corpus.tables import (
    ColumnError,
    TableCorpus,
    is_table,
    open_table,
    table_identity,
)
from framing.corpus.walk import (
    READS,
    Entry,
    Survey,
    folder_identity,
    iter_entries,
    survey,
)
from framing.errors import FramingError, InputError, OutputError

CHECKPOINT_DOCUMENTS = 256
CHECKPOINT_SECONDS = 2.0

# on_progress(documents, warnings): after each chunk, how many documents it held
# and the (id, warning) pairs of those decoded with a warning.
ProgressCallback = Callable[[int, list[tuple[str, str]]], None]


@dataclass(frozen=True)
class RunTarget:
    """Where a run writes and how it runs: what score_folder and score_table
    hand on to run_batch as they are (each adds what its corpus is)."""

    out: Path | None
    stream: Any
    fmt: Encoder
    options: ScoreOptions
    jobs: int
    scheduler: str | None
    resume: bool
    force: bool
    checkpoint_every: int | None = None
    on_progress: ProgressCallback | None = None


class Progress:
    """How far a run is: the tally of its rows and the digest of the ids written,
    in order (what a checkpoint records and --resume checks)."""

    def __init__(self, schema: RowSchema):
        self.tally = Tally.for_schema(schema)
        self.ids = hashlib.sha256()
        self.resumed = 0

    def add_ids(self, chunk: list[Entry]) -> None:
        # One update per chunk: the digest of the joined parts is the same.
        parts = []
        for entry in chunk:
            encoded = entry.id.encode("utf-8", "backslashreplace")
            parts.append(b"%d:%s" % (len(encoded), encoded))
        self.ids.update(b"".join(parts))

    def add(self, chunk: list[Entry], result: ChunkResult) -> None:
        self.add_ids(chunk)
        self.tally.merge(result.tally)

    def record(self) -> dict:
        return {
            "documents": self.tally.documents,
            "ids_sha256": self.ids.hexdigest(),
            "summary": self.tally.summary(),
        }

    def summary(self) -> RunSummary:
        return {**self.tally.summary(), "resumed": self.resumed}


def _skip_done(
    entries: Iterator[Entry], saved: dict, progress: Progress
) -> Iterator[Entry]:
    """Advance past the documents an interrupted run already wrote, checking that
    the folder still lists the same ids in the same order."""
    done: list[Entry] = []
    for _ in range(saved["documents"]):
        entry = next(entries, None)
        if entry is None:
            break
        done.append(entry)
        if len(done) == 1024:
            progress.add_ids(done)
            done = []
    progress.add_ids(done)
    if progress.ids.hexdigest() != saved["ids_sha256"]:
        raise OutputError(
            "the folder changed since the interrupted run; start again with --force"
        )
    progress.tally = Tally.from_summary(saved["summary"])
    progress.resumed = saved["documents"]
    return entries


def run_batch(
    model,
    entries: Iterable,
    *,
    out: Path | None = None,
    stream=None,
    fmt: str | Encoder | None = None,
    options: ScoreOptions | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    force: bool = False,
    source: dict | None = None,
    model_id: dict | None = None,
    settings: dict | None = None,
    fields: Iterable[str] = (),
    document_fields: Iterable[str] = (),
    checkpoint_every: int = CHECKPOINT_DOCUMENTS,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
    chunk_documents: int = CHUNK_DOCUMENTS,
    chunk_bytes: int = CHUNK_BYTES,
    on_progress: ProgressCallback | None = None,
) -> RunSummary:
    """Score `entries` (walk Entries or (id, text) pairs) into `out` (atomically,
    resumable) or `stream`; returns a summary with label counts and the number
    of failed documents.

    `source` (what the entries are, e.g. the folder's identity), `model_id` and
    `settings` (options beyond ScoreOptions that change the rows) are recorded
    with the checkpoints: --resume refuses to continue a run that had others.
    `fields` names the extra columns whose values entries carry (Entry.fields),
    written after the id; `document_fields` those that reading a file gives
    (title, date), written after them. `scheduler` must have passed
    workers.check_dask.
    """
    options = options or ScoreOptions()
    encoder = fmt if isinstance(fmt, Encoder) else get_format(fmt, out)
    schema = RowSchema.for_model(
        model,
        paragraphs=options.paragraphs,
        extra=fields,
        document_fields=document_fields,
    )
    identity = {
        "source": source,
        "model": model_id,
        "format": encoder.name,
        "fields": list(schema.metadata),
        "options": {
            **asdict(options),
            "formula_guard": encoder.formula_guard,
            **(settings or {}),
        },
    }
    progress = Progress(schema)
    # Workers start (and a scheduler is reached) before the output is opened:
    # a run that cannot start leaves nothing behind.
    job = Job(schema, encoder, options)
    with executor(model, job, jobs=jobs, scheduler=scheduler) as runner:
        sink = _open_sink(out, stream, identity, encoder, resume=resume, force=force)
        try:
            pending = _start(sink, entries, encoder, schema, progress, resume)
            chunks = chunked(pending, documents=chunk_documents, size=chunk_bytes)
            _write_chunks(
                ordered(runner, chunks),
                sink,
                progress,
                every=checkpoint_every,
                seconds=checkpoint_seconds,
                on_progress=on_progress,
            )
            notes = sink.finish(encoder.trailer(schema).encode("utf-8"))
        except WorkerDied as exc:
            raise FramingError(f"{exc}{sink.kept() or '; nothing was kept'}") from None
        finally:
            sink.close()
    return {**progress.summary(), **notes}


def _open_sink(
    out: Path | None,
    stream,
    identity: dict,
    encoder: Encoder,
    *,
    resume: bool,
    force: bool,
) -> Sink:
    if out is None:
        return StreamSink(stream)
    complete = None if encoder.streamable else encoder.complete
    if resume:
        return PartFile.reopen(out, identity, complete=complete)
    return PartFile.create(out, identity, force=force, complete=complete)


def _start(
    sink: Sink,
    entries: Iterable,
    encoder: Encoder,
    schema: RowSchema,
    progress: Progress,
    resume: bool,
) -> Iterator[Entry]:
    """The entries still to score: all of them, after the header (and a first
    checkpoint, so that even a run killed at once can be resumed), or those after
    the interrupted run's checkpoint."""
    pending: Iterator[Entry] = map(as_entry, entries)
    if resume:
        assert isinstance(sink, PartFile)
        return _skip_done(pending, sink.saved, progress)
    sink.start(encoder.header(schema).encode("utf-8"))
    sink.checkpoint(progress.record())
    return pending


def _write_chunks(
    results: Iterator[tuple[list[Entry], ChunkResult]],
    sink: Sink,
    progress: Progress,
    *,
    every: int,
    seconds: float,
    on_progress: ProgressCallback | None,
) -> None:
    """The parent's whole share of the work: write each chunk's bytes in order,
    add up its counts, report progress, and checkpoint now and then."""
    last_documents = progress.tally.documents
    last_time = time.monotonic()
    for chunk, result in results:
        sink.write(result.data)
        progress.add(chunk, result)
        if on_progress:
            on_progress(len(chunk), result.warnings)
        documents = progress.tally.documents
        if (
            documents - last_documents >= every
            or time.monotonic() - last_time > seconds
        ):
            sink.checkpoint(progress.record())
            last_documents, last_time = documents, time.monotonic()
    if progress.tally.documents != last_documents:
        sink.checkpoint(progress.record())


def check_request(
    folder: Path,
    *,
    out: Path | None,
    stream,
    fmt: str | None,
    resume: bool,
    force: bool,
    scheduler: str | None,
    formula_guard: bool = True,
) -> Encoder:
    """Everything about a score request that can be checked before the model is
    loaded; returns the output format. `folder` may be a table corpus (its
    suffix says so), which open_table checks."""
    if out is not None and Path(out).is_dir():  # before its missing extension
        raise OutputError(f"{out} is a folder; give a file name for --out")
    encoder = get_format(fmt, out, formula_guard=formula_guard)
    if not is_table(folder):
        if not folder.exists():
            raise InputError(f"{folder} does not exist; give the folder of articles")
        if not folder.is_dir():
            raise InputError(
                f"{folder} is a file, not a folder; give the folder of articles, "
                f"or a table ({TABLES}) with --text-column"
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
    return encoder


TABLES = ".csv, .tsv, .jsonl, .json, .xlsx"
# Tables up to this size are read once more to count their records for the
# progress bar (a small part of the time scoring them takes).
COUNT_BYTES = {"xlsx": 4_000_000, "text": 64_000_000}

# What reading a folder's files gives each row besides the labels: the title and
# date of a web page or of Markdown front matter (empty for plain text).
FOLDER_FIELDS = ("title", "date")


def check_folder(folder: Path) -> Survey:
    """Walk the folder once, cheaply (no file is opened), and refuse it if it has
    nothing framing can read, or web pages and no HTML reader; returns what the
    walk found."""
    found = survey(folder)
    if found.total == 0:
        if found.skipped:
            what = found.skipped_phrase()
        elif found.hidden:
            what = "only hidden files and folders"
        else:
            what = "it is empty"
        raise InputError(
            f"no files framing can read in {folder}: {what}; it reads {READS}"
        )
    if found.formats.get("html"):
        from framing.text.html import check_html

        check_html(f"{folder} holds web pages")
    return found


def score_folder(
    model,
    folder: Path,
    *,
    found: Survey,
    model_id: dict,
    target: RunTarget,
    follow_links: bool = False,
    on_start: Callable[[int], None] | None = None,
) -> RunSummary:
    """Score the documents under `folder` (checked with check_request and
    check_folder, which gave `found`) with run_batch; returns its summary with
    the number of files found, `total`, and those skipped, by extension."""
    if on_start:
        on_start(found.total)
    summary = _run(
        model,
        # Absolute paths: Dask workers on other machines do not share our cwd.
        iter_entries(Path(os.path.abspath(folder)), follow_links=follow_links),
        target,
        several=several_chunks(folder, found.total),
        source=folder_identity(folder),
        model_id=model_id,
        settings={"follow_links": follow_links},
        document_fields=FOLDER_FIELDS,
    )
    summary["total"] = found.total
    summary["skipped"] = dict(sorted(found.skipped.items()))
    return summary


def _run(
    model, entries: Iterable, target: RunTarget, *, several: bool, **corpus
) -> RunSummary:
    """run_batch with `target`, on one process unless the corpus makes
    `several` chunks (starting workers costs more than scoring one chunk in
    this process); `corpus` says what the entries are (source, model_id,
    settings, fields)."""
    return run_batch(
        model,
        entries,
        out=target.out,
        stream=target.stream,
        fmt=target.fmt,
        options=target.options,
        jobs=target.jobs if several else 1,
        scheduler=target.scheduler,
        resume=target.resume,
        force=target.force,
        checkpoint_every=target.checkpoint_every or CHECKPOINT_DOCUMENTS,
        on_progress=target.on_progress,
        **corpus,
    )


def several_chunks(folder: Path, total: int) -> bool:
    """Whether the folder's `total` files make more than one chunk: starting
    workers costs more than scoring a single chunk in this process."""
    if total > CHUNK_DOCUMENTS:
        return True
    return sum(entry.size for entry in iter_entries(folder)) > CHUNK_BYTES


def check_table(
    path: Path,
    *,
    text_column: str | None,
    id_column: str | None = None,
    keep: list[str] | None = None,
) -> TableCorpus:
    """The table corpus at `path`, its header checked against the options."""
    return open_table(path, text_column=text_column, id_column=id_column, keep=keep)


def table_entries(corpus: TableCorpus) -> Iterator[Entry]:
    """One Entry per record, its metadata as the row's extra fields, in the
    order of corpus.metadata_columns; a bad record is an Entry with its error."""
    names = corpus.metadata_columns
    for record in corpus:
        fields = tuple(record.metadata.get(name) for name in names)
        if record.error or record.text is None:
            yield Entry(record.id, error=record.error, fields=fields)
        else:
            yield Entry(
                record.id, text=record.text, size=len(record.text), fields=fields
            )


def count_records(corpus: TableCorpus) -> int | None:
    """How many records the table holds, when reading it once more is cheap."""
    size = os.stat(corpus.path).st_size
    if size > COUNT_BYTES["xlsx" if corpus.format == "xlsx" else "text"]:
        return None
    return sum(1 for _record in corpus)


def score_table(
    model,
    corpus: TableCorpus,
    *,
    text_column: str | None,
    id_column: str | None,
    model_id: dict,
    target: RunTarget,
    on_start: Callable[[int | None], None] | None = None,
) -> RunSummary:
    """Score one document per record of `corpus` (from check_table with
    `text_column` and `id_column`) with run_batch, the table's other columns
    carried after the id; returns its summary, counted in records, with the
    table's reading warnings. A carried column named like one framing writes is
    refused."""
    reserved = RowSchema.for_model(model).reserved()
    clash = next((n for n in corpus.metadata_columns if n in reserved), None)
    if clash is not None:
        hint = " or give --id-column id" if clash == "id" else ""
        raise ColumnError(
            f"{corpus.path}: the column {clash!r} has the name of a column framing "
            f"writes; name the columns to carry with --keep{hint}"
        )
    total = count_records(corpus)
    if on_start:
        on_start(total)
    several = total is None or total > CHUNK_DOCUMENTS
    summary = _run(
        model,
        table_entries(corpus),
        target,
        several=several or corpus.path.stat().st_size > CHUNK_BYTES,
        source=table_identity(corpus.path),
        model_id=model_id,
        settings={"text_column": text_column, "id_column": id_column},
        fields=corpus.metadata_columns,
    )
    summary["unit"] = "records"
    summary["total"] = summary["documents"]
    summary["warnings"] = list(corpus.warnings)
    return summary
