"""Where a batch's bytes go: a stream, or FILE.part renamed to FILE when done.

Both sinks take start(header), write(bytes), checkpoint(progress), finish(trailer)
and close(). A PartFile writes FILE.part and, at every checkpoint, FILE.part.json
saying how many documents and bytes of FILE.part are complete, with the SHA-256
of those bytes and of the documents' ids, and what the run was (folder, model,
format, options). Only finish() renames FILE.part to FILE (or, for a format
that cannot be appended to such as a workbook, writes FILE from it), so FILE is
never half-written. --resume checks all of that before it continues, so it never mixes
two folders, models or option sets in one file, or keeps rows it cannot vouch
for. A run holds a lock on FILE.part: a second run on the same output is refused.
"""

import errno
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

from framing.errors import OutputError
from framing.files import AtomicFile, check_parent, is_locked, not_regular, write_atomic

# 3: folders read .html and Markdown as documents, with title and date columns.
STATE_VERSION = 3
MAX_STATE_BYTES = 10_000_000
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# complete(finished part, FILE) writes FILE from the part; returns notes.
Completer = Callable[[IO[bytes], Path], dict]
# Settings a resumed run must share with the interrupted one, as the user knows
# them.
OPTION_NAMES = {
    "format": "--format",
    "paragraphs": "--paragraphs",
    "min_confidence": "--min-confidence",
    "max_bytes": "--max-bytes",
    "follow_links": "--follow-links",
    "formula_guard": "--no-formula-guard",
    "fields": "the metadata columns",
    "text_column": "--text-column",
    "id_column": "--id-column",
}


def part_paths(out: Path) -> tuple[Path, Path]:
    """FILE.part and its checkpoint state FILE.part.json."""
    out = Path(out)
    return out.with_name(out.name + ".part"), out.with_name(out.name + ".part.json")


def resumable(out: Path) -> bool:
    """Whether an interrupted run left a checkpoint that --resume can continue."""
    part, state = part_paths(out)
    return os.path.lexists(part) and os.path.lexists(state)


def check_output(out: Path, *, force: bool, resume: bool) -> None:
    """Fail fast, before any scoring, if the output cannot be written as asked."""
    out = Path(out)
    part, state = part_paths(out)
    if is_locked(part):
        raise OutputError(
            f"another framing run is writing {out} (it holds {part}); wait for it "
            "to finish, or give another output file"
        )
    if resume:
        if not os.path.lexists(part):
            raise OutputError(
                f"nothing to resume: no interrupted run left {part}; run without "
                "--resume"
            )
        if not os.path.lexists(state):
            raise OutputError(_without_checkpoint(part, state))
        return
    if os.path.lexists(out) and not force:
        raise OutputError(f"{out} exists; pass --force to overwrite it")
    if os.path.lexists(part) and not force:
        if not os.path.lexists(state):
            raise OutputError(_without_checkpoint(part, state))
        raise OutputError(
            f"an interrupted run left {part}; pass --resume to continue it or "
            "--force to start again"
        )
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give a file name")
    check_parent(out)


def _without_checkpoint(part: Path, state: Path) -> str:
    # A part with no checkpoint beside it cannot be resumed: saying "pass
    # --resume" here, and "nothing to resume" then, left no way forward.
    return (
        f"{part} was left by a run that kept no checkpoint ({state.name} is "
        "missing), so it cannot be resumed; pass --force to start again"
    )


class Sink(Protocol):
    """Where a run's bytes go. start() writes the header; write() a chunk's rows;
    checkpoint() records how far the run is (a no-op where nothing can be
    resumed); finish() writes the trailer and completes the output; close() ends
    an unfinished run, keeping what a resume can use; kept() says what was kept."""

    def start(self, header: bytes) -> None: ...
    def write(self, data: bytes) -> None: ...
    def checkpoint(self, progress: dict) -> None: ...
    def finish(self, trailer: bytes) -> dict: ...
    def close(self) -> None: ...
    def kept(self) -> str: ...


class StreamSink:
    """Rows to an open stream (standard output, or any file-like object)."""

    def __init__(self, stream, name: str = "standard output"):
        self.stream = stream
        self.name = name
        # Bytes go to the binary layer when there is one (output is UTF-8 whatever
        # the locale); a text-only stream (io.StringIO) gets them decoded.
        self.binary = getattr(stream, "buffer", None)

    def start(self, header: bytes) -> None:
        self.write(header)

    def write(self, data: bytes) -> None:
        try:
            if self.binary is not None:
                self.stream.flush()
                self.binary.write(data)
            else:
                self.stream.write(data.decode("utf-8"))
        except BrokenPipeError:
            raise  # the reader went away (`| head`): not a failure to explain
        except OSError as exc:
            raise OutputError(f"cannot write {self.name}: {exc.strerror}") from None

    def checkpoint(self, progress: dict) -> None:
        """A stream cannot be resumed: nothing to record."""

    def finish(self, trailer: bytes) -> dict:
        self.write(trailer)
        try:
            (self.binary or self.stream).flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write {self.name}: {exc.strerror}") from None
        return {}

    def close(self) -> None:
        pass

    def kept(self) -> str:
        return ""


class PartFile:
    """FILE.part with its checkpoints; see the module's docstring. `complete`,
    when given, writes FILE from the finished part (the part is then removed)
    instead of the part being renamed to FILE; what it returns, finish() does."""

    def __init__(
        self,
        out: Path,
        identity: dict,
        target: AtomicFile,
        complete: Completer | None = None,
    ):
        self.out = Path(out)
        self.complete = complete
        self.part, self.state_path = part_paths(self.out)
        self.identity = identity
        self.target = target
        self.digest = hashlib.sha256()
        self.kept_documents = 0  # in the last checkpoint written
        self.attempted = 0  # in the last checkpoint begun
        self.finished = False
        self.saved: dict = {}  # the checkpoint's progress record, when resumed

    @classmethod
    def create(
        cls,
        out: Path,
        identity: dict,
        *,
        force: bool,
        complete: Completer | None = None,
    ) -> "PartFile":
        """A new FILE.part, created exclusively (never through a link), locked."""
        part, state = part_paths(Path(out))
        if os.path.lexists(part):
            if is_locked(part):
                raise _busy(Path(out), part)
            if not force:
                raise OutputError(
                    f"an interrupted run left {part}; pass --resume to continue it "
                    "or --force to start again"
                )
            _remove(part)  # a planted link is removed, not followed
        _remove(state)
        return cls(out, identity, AtomicFile.create(Path(out), part), complete)

    @classmethod
    def reopen(
        cls, out: Path, identity: dict, *, complete: Completer | None = None
    ) -> "PartFile":
        """The FILE.part of an interrupted run, checked against its checkpoint and
        cut back to it; `saved` holds the checkpoint's progress record."""
        part, state_path = part_paths(Path(out))
        target = AtomicFile.reopen(Path(out), part)
        sink = cls(out, identity, target, complete)
        try:
            state = _read_state(state_path)
            _check_identity(state["identity"], identity, part)
            sink._verify(state)
        except BaseException:
            target.close()
            raise
        sink.kept_documents = sink.attempted = state["documents"]
        sink.saved = state["progress"]
        return sink

    def _verify(self, state: dict) -> None:
        """Check that FILE.part still holds the bytes the checkpoint vouched for,
        then drop anything written after it."""
        handle = self.target.handle
        offset = state["offset"]
        handle.seek(0)
        remaining = offset
        while remaining:
            block = handle.read(min(remaining, 1 << 20))
            if not block:
                break
            self.digest.update(block)
            remaining -= len(block)
        if remaining or self.digest.hexdigest() != state["output_sha256"]:
            raise OutputError(
                f"{self.part} does not match its checkpoint {self.state_path} (the "
                "file was changed or damaged); start again with --force"
            )
        handle.seek(offset)
        handle.truncate(offset)

    def start(self, header: bytes) -> None:
        self.write(header)

    def write(self, data: bytes) -> None:
        try:
            self.target.handle.write(data)
        except OSError as exc:
            raise self._failed(exc) from None
        self.digest.update(data)

    def checkpoint(self, progress: dict) -> None:
        """Make what is written so far durable, then record how far that is."""
        # An interruption while the state is written must not discard a part
        # whose checkpoint may already be on disk.
        self.attempted = max(self.attempted, progress["documents"])
        try:
            offset = self.target.sync()
            state = {
                "version": STATE_VERSION,
                "identity": self.identity,
                "documents": progress["documents"],
                "offset": offset,
                "output_sha256": self.digest.hexdigest(),
                "progress": progress,
            }
            text = json.dumps(state)
            write_atomic(self.state_path, lambda handle: handle.write(text))
        except OSError as exc:
            raise self._failed(exc) from None
        self.kept_documents = progress["documents"]

    def finish(self, trailer: bytes) -> dict:
        self.write(trailer)
        notes: dict = {}
        try:
            if self.complete is None:
                self.target.commit()
            else:
                self.target.sync()
                self.target.handle.seek(0)
                notes = self.complete(self.target.handle, self.out)
                self.target.discard()
        except OSError as exc:
            raise self._failed(exc) from None
        self.finished = True
        self.state_path.unlink(missing_ok=True)
        return notes

    def close(self) -> None:
        """After a failure: keep FILE.part for --resume if a checkpoint holds
        scored documents; otherwise remove it, so the next run starts afresh."""
        if self.finished:
            return
        if self.kept_documents or self.attempted:
            self.target.close()
        else:
            # The part first: a second Ctrl-C in between then leaves a stray
            # state file, which the next run removes, not a part that no
            # checkpoint vouches for.
            self.target.discard()
            self.state_path.unlink(missing_ok=True)

    def kept(self) -> str:
        """What the user can do about a failure, when documents are kept."""
        if not self.kept_documents:
            return ""
        return (
            f"; the {self.kept_documents:,} documents scored so far are kept in "
            f"{self.part}: run the same command with --resume to continue"
        )

    def _failed(self, exc: OSError) -> OutputError:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            what = f"no space left on the device for {self.part}"
        elif exc.errno == errno.EFBIG:
            what = f"{self.part} is larger than this system allows a file to be"
        else:
            what = f"cannot write {self.part}: {exc.strerror}"
        hint = self.kept()
        return OutputError(what + (hint or "; nothing was kept"))


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot remove {path} ({exc.strerror}); remove it") from None


def _busy(out: Path, part: Path) -> OutputError:
    return OutputError(
        f"another framing run is writing {out} (it holds {part}); wait for it to "
        "finish, or give another output file"
    )


def _read_state(path: Path) -> dict:
    """The checkpoint state, checked for everything resuming relies on."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise OutputError(
            f"nothing to resume: {path} is missing; start again with --force"
        ) from None
    except OSError as exc:
        raise OutputError(
            f"cannot read {path} ({exc.strerror}); start again with --force"
        ) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not_regular(info.st_mode) or info.st_size > MAX_STATE_BYTES:
            raise _damaged(path, "not a checkpoint file")
        raw = handle.read(MAX_STATE_BYTES + 1)
    try:
        state = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(path, "not JSON") from None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise _damaged(path, "written by another version of framing")
    problem = _state_problem(state)
    if problem:
        raise _damaged(path, problem)
    return state


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _state_problem(state: dict) -> str | None:
    progress = state.get("progress")
    if not (_is_count(state.get("documents")) and _is_count(state.get("offset"))):
        return "no document count or offset"
    if not isinstance(state.get("output_sha256"), str):
        return "no digest of the output"
    if not isinstance(state.get("identity"), dict):
        return "no record of the run's settings"
    if not isinstance(progress, dict) or progress.get("documents") != state.get(
        "documents"
    ):
        return "its counts do not agree"
    summary = progress.get("summary")
    if not isinstance(progress.get("ids_sha256"), str) or not isinstance(summary, dict):
        return "no record of the documents written"
    if not all(_is_count(summary.get(key)) for key in ("documents", "failed")):
        return "its counts do not agree"
    if not _is_count(summary.get("paragraphs")) or not isinstance(
        summary.get("counts"), dict
    ):
        return "its counts do not agree"
    for counts in summary["counts"].values():
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and _is_count(v) for k, v in counts.items()
        ):
            return "its counts do not agree"
    return None


def _damaged(path: Path, why: str) -> OutputError:
    return OutputError(
        f"{path} is damaged ({why}), so the interrupted run cannot be resumed; "
        "start again with --force"
    )


def _check_identity(saved: dict, current: dict, part: Path) -> None:
    """Refuse to resume with another folder, model, format or options."""
    if saved.get("source") != current.get("source"):
        source = saved.get("source") or {}
        where = source.get("path") or "other documents"
        kind = source.get("kind", "folder")
        if kind == "table" and where == (current.get("source") or {}).get("path"):
            raise OutputError(
                f"{where} changed since {part} was written; start again with --force"
            )
        raise OutputError(
            f"{part} holds the scores of another {kind} ({where}); resume with the "
            f"same {kind}, or start again with --force"
        )
    if saved.get("model") != current.get("model"):
        raise OutputError(
            f"{part} was written with another model; resume with the same --model, "
            "or start again with --force"
        )
    saved_options = {
        "format": saved.get("format"),
        "fields": saved.get("fields"),
        **(saved.get("options") or {}),
    }
    options = {
        "format": current.get("format"),
        "fields": current.get("fields"),
        **(current.get("options") or {}),
    }
    differ = sorted(
        OPTION_NAMES.get(key, key)
        for key in set(saved_options) | set(options)
        if saved_options.get(key) != options.get(key)
    )
    if differ:
        raise OutputError(
            f"{part} was written with other options ({', '.join(differ)} differ); "
            "resume with the same options, or start again with --force"
        )
