"""Run a scoring batch into a file or a stream: formats, checkpoints and --resume.

A run with --out writes FILE.part and, after every checkpoint, FILE.part.json
saying how many documents and bytes of FILE.part are complete. Only a finished
run renames FILE.part to FILE, so FILE is never half-written; an interrupted run
leaves both, and --resume truncates FILE.part to the last checkpoint and skips
the documents it already holds.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from framing.batch.formats import make_formatter
from framing.batch.sink import PartFile
from framing.batch.workers import ScoreOptions, entry_id, score_entries
from framing.errors import OutputError

CHECKPOINT_DOCUMENTS = 256
CHECKPOINT_SECONDS = 2.0


def _skip_done(entries, count: int, last_id: str | None):
    """Advance past the documents an interrupted run already wrote, checking that
    the folder still lists them in the same order."""
    entries = iter(entries)
    for position in range(count):
        entry = next(entries, None)
        if entry is None or (
            position == count - 1 and last_id and entry_id(entry) != last_id
        ):
            raise OutputError(
                "the folder changed since the interrupted run; start again with --force"
            )
    return entries


def run_batch(
    model,
    entries: Iterable,
    *,
    out: Path | None,
    stream=None,
    fmt: str = "csv",
    options: ScoreOptions | None = None,
    jobs: int = 1,
    resume: bool = False,
    scheduler: str | None = None,
    fingerprint: dict | None = None,
    on_document: Callable[[dict], None] | None = None,
) -> dict:
    """Score `entries` into `out` (atomically, resumable) or `stream`; returns a
    summary with label counts and the number of failed documents."""
    options = options or ScoreOptions()
    classes = {column: model.classes(column) for column in model.heads}
    header, format_record = make_formatter(fmt, classes, options)
    summary = {
        "documents": 0,
        "failed": 0,
        "paragraphs": 0,
        "resumed": 0,
        "counts": {column: {} for column in classes},
    }
    target = None
    done, doc_id = 0, None
    if out is None:
        stream.write(header)
    else:
        settings = {"format": fmt, "options": asdict(options), "model": fingerprint}
        target = PartFile(out, settings)
        if resume:
            state = target.resume()
            done, doc_id = state["documents"], state.get("last_id")
            # The counts so far travel in the state, so the summary and the exit
            # code cover the documents scored before the interruption too.
            summary.update(state.get("summary") or {})
            summary["resumed"] = done
            entries = _skip_done(entries, done, doc_id)
        else:
            target.start(header)
            target.checkpoint(0, None, summary)
    try:
        last_checkpoint = time.monotonic()
        for doc_id, records in score_entries(
            model, entries, options=options, jobs=jobs, scheduler=scheduler
        ):
            handle = stream if target is None else target.handle
            for record in records:
                handle.write(format_record(record))
            _count(summary, records)
            done += 1
            if on_document:
                on_document(records[0])
            if target is not None and (
                done % CHECKPOINT_DOCUMENTS == 0
                or time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS
            ):
                target.checkpoint(done, doc_id, summary)
                last_checkpoint = time.monotonic()
        if target is not None:
            target.checkpoint(done, doc_id, summary)
    finally:
        if target is not None:
            target.close()
    if target is None:
        stream.flush()
    else:
        target.finish()
    return summary


def _count(summary: dict, records: list[dict]) -> None:
    summary["documents"] += 1
    if records[0].get("error"):
        summary["failed"] += 1
        return
    summary["paragraphs"] += (
        len(records) if "paragraph" in records[0] else records[0]["paragraphs"]
    )
    for record in records:
        for column, counts in summary["counts"].items():
            label = record[column]["label"]
            counts[label] = counts.get(label, 0) + 1
