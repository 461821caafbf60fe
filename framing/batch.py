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
from framing.output import check_parent, csv_line, json_line
from framing.scoring import ScoreOptions, entry_id, score_entries

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
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give a file name")
    check_parent(out)


class PartFile:
    """FILE.part plus its checkpoint state FILE.part.json; renamed to FILE only by
    finish(), so FILE never exists half-written."""

    def __init__(self, out: Path, settings: dict):
        self.out = Path(out)
        self.part, self.state_path = _part_paths(self.out)
        self.settings = settings
        self.handle = None

    def start(self, header: str) -> None:
        self.handle = open(self.part, "w", encoding="utf-8", newline="")
        self.handle.write(header)

    def resume(self) -> dict:
        """Reopen after the last checkpoint; returns the saved state."""
        state = json.loads(self.state_path.read_text(encoding="utf-8"))
        if state.get("settings") != self.settings:
            raise OutputError(
                f"{self.part} was written with other options or another model; "
                "resume with the same options, or start again with --force"
            )
        with open(self.part, "r+b") as handle:
            handle.truncate(state["offset"])  # drop rows after the checkpoint
        self.handle = open(self.part, "a", encoding="utf-8", newline="")
        return state

    def checkpoint(self, done: int, last_id: str | None, summary: dict) -> None:
        """Make what is written so far durable, then record how far that is."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        state = {
            "documents": done,
            "offset": self.handle.tell(),
            "last_id": last_id,
            "settings": self.settings,
            "summary": summary,
        }
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()

    def finish(self) -> None:
        os.replace(self.part, self.out)
        self.state_path.unlink(missing_ok=True)


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
