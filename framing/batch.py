"""Run a scoring batch into a file or a stream: formats, checkpoints and --resume.

A run with --out writes FILE.part and, after every checkpoint, FILE.part.json
saying how many documents and bytes of FILE.part are complete. Only a finished
run renames FILE.part to FILE, so FILE is never half-written; an interrupted run
leaves both, and --resume truncates FILE.part to the last checkpoint and skips
the documents it already holds.
"""

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from framing.errors import FramingError, OutputError
from framing.output import csv_line, json_line
from framing.scoring import ScoreOptions, score_entries

FORMATS = ("csv", "jsonl")
CHECKPOINT_DOCUMENTS = 256
CHECKPOINT_SECONDS = 2.0


def csv_header(classes: dict[str, list[str]], options: ScoreOptions) -> list[str]:
    header = ["id"] + (["paragraph", "text"] if options.paragraphs else [])
    for column, labels in classes.items():
        header += [column, f"{column}_confidence"]
        header += [f"{column}_{label}" for label in labels]
    if not options.paragraphs:
        header.append("paragraphs")
    return header + ["warning", "error"]


def csv_fields(record: dict, classes: dict[str, list[str]], options) -> list:
    fields = [record["id"]]
    if options.paragraphs:
        fields += [record["paragraph"], record["text"]]
    for column, labels in classes.items():
        result = record.get(column)
        if result:
            fields += [result["label"], result["confidence"]]
            fields += [result["scores"][label] for label in labels]
        else:
            fields += [""] * (2 + len(labels))
    if not options.paragraphs:
        fields.append(record["paragraphs"])
    return fields + [record.get("warning") or "", record.get("error") or ""]


def make_formatter(fmt: str, classes, options) -> tuple[str, Callable[[dict], str]]:
    """(header text, record -> text) for a format."""
    if fmt == "csv":
        return csv_line(csv_header(classes, options)), lambda r: csv_line(
            csv_fields(r, classes, options)
        )
    if fmt == "jsonl":
        return "", json_line
    raise FramingError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _part_paths(out: Path) -> tuple[Path, Path]:
    return out.with_name(out.name + ".part"), out.with_name(out.name + ".part.json")


def check_output(out: Path, *, force: bool, resume: bool) -> None:
    """Fail fast, before any scoring, if the output cannot be written as asked."""
    part, state = _part_paths(out)
    if resume:
        if not (part.exists() and state.exists()):
            raise OutputError(
                f"nothing to resume: no interrupted run left {part}; run without "
                "--resume"
            )
        return
    if out.exists() and not force:
        raise OutputError(f"{out} exists; pass --force to overwrite it")
    if part.exists() and not force:
        raise OutputError(
            f"an interrupted run left {part}; pass --resume to continue it or "
            "--force to start again"
        )
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it first")
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give a file name")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write to folder {parent}")


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
    settings = {
        "format": fmt,
        "options": asdict(options),
        "model": fingerprint or {},
    }
    summary = {
        "documents": 0,
        "failed": 0,
        "paragraphs": 0,
        "resumed": 0,
        "counts": {column: {} for column in classes},
    }
    skip, last_id = 0, None
    if out is not None:
        out = Path(out)
        part, state_path = _part_paths(out)
        if resume:
            state = json.loads(state_path.read_text(encoding="utf-8"))
            if state.get("settings") != settings:
                raise OutputError(
                    f"{part} was written with other options or another model; "
                    "resume with the same options, or start again with --force"
                )
            skip, last_id = state["documents"], state.get("last_id")
            # Counts so far travel in the state, so the summary and the exit code
            # cover the documents scored before the interruption too.
            summary.update(state.get("summary") or {})
            with open(part, "r+b") as handle:
                handle.truncate(state["offset"])
            handle = open(part, "a", encoding="utf-8", newline="")
        else:
            handle = open(part, "w", encoding="utf-8", newline="")
            if header:
                handle.write(header)
        summary["resumed"] = skip
    else:
        handle = stream
        if header:
            handle.write(header)

    def checkpoint(done: int, doc_id: str | None) -> None:
        handle.flush()
        os.fsync(handle.fileno())
        tmp = state_path.with_name(state_path.name + ".tmp")
        tmp.write_text(
            json.dumps(
                {
                    "documents": done,
                    "offset": handle.tell(),
                    "last_id": doc_id,
                    "settings": settings,
                    "summary": summary,
                }
            ),
            encoding="utf-8",
        )
        os.replace(tmp, state_path)

    entries = iter(entries)
    for position in range(skip):
        entry = next(entries, None)
        if entry is None or (
            position == skip - 1 and last_id and _id(entry) != last_id
        ):
            raise OutputError(
                "the folder changed since the interrupted run; start again with --force"
            )
    done, last_checkpoint, doc_id = skip, time.monotonic(), last_id
    try:
        if out is not None and not resume:
            checkpoint(0, None)
        for doc_id, records in score_entries(
            model, entries, options=options, jobs=jobs, scheduler=scheduler
        ):
            for record in records:
                handle.write(format_record(record))
            _count(summary, records)
            done += 1
            if on_document:
                on_document(records[0])
            if out is not None and (
                done % CHECKPOINT_DOCUMENTS == 0
                or time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS
            ):
                checkpoint(done, doc_id)
                last_checkpoint = time.monotonic()
        if out is not None:
            checkpoint(done, doc_id)
    finally:
        if out is not None:
            handle.close()
    if out is not None:
        os.replace(part, out)
        state_path.unlink(missing_ok=True)
    else:
        handle.flush()
    return summary


def _id(entry) -> str:
    return entry.id if hasattr(entry, "id") else entry[0]


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
