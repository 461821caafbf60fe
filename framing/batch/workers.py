"""Score many documents: in bounded chunks, in order, on one or more processes.

The parent cuts the entries into chunks bounded by documents and bytes; a
worker reads, splits and labels a chunk (label_documents calls bounded by
paragraphs, so one huge file does not make one huge batch), and returns the
finished output bytes with their counts. The parent only orders and writes them.
At most a few chunks are in flight, so memory stays flat however many documents
there are; results come back in input order, so the output does not depend on
the number of workers.
"""

import os
import pickle
import queue
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from itertools import starmap
from operator import attrgetter
from typing import Any, cast

from framing.batch.formats import Encoder
from framing.batch.rows import RowSchema, Tally
from framing.corpus.walk import Entry
from framing.errors import FramingError, InputError
from framing.labelling import label_documents
from framing.text.document import read_document
from framing.text.read import DEFAULT_MAX_BYTES
from framing.text.segment import split_paragraphs_counted

# A chunk is at most this many documents and (unless one file is larger) bytes.
CHUNK_DOCUMENTS = 256
CHUNK_BYTES = 1_000_000
# At most this many paragraphs go to one label_documents call; with paragraph
# rows, a longer document is labelled in slices of this size.
BATCH_PARAGRAPHS = 10_000
CHUNKS_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class ScoreOptions:
    paragraphs: bool = False
    min_confidence: float = 0.0
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Job:
    """What every chunk of a run is scored and encoded with; a worker gets it once."""

    schema: RowSchema
    encoder: Encoder
    options: ScoreOptions
    batch_paragraphs: int = BATCH_PARAGRAPHS


@dataclass
class ChunkResult:
    """A scored chunk: its rows as output bytes, what they add up to, and the
    encoding warnings to show (document id, warning)."""

    data: bytes
    tally: Tally
    warnings: list[tuple[str, str]] = field(default_factory=list)


def as_entry(item) -> Entry:
    """An Entry, from an Entry or an (id, text) pair."""
    if isinstance(item, Entry):
        return item
    doc_id, text = item
    return Entry(doc_id, text=text, size=len(text))


def chunked(
    entries: Iterable[Entry],
    *,
    documents: int = CHUNK_DOCUMENTS,
    size: int = CHUNK_BYTES,
) -> Iterator[list[Entry]]:
    """Lists of at most `documents` entries and `size` bytes (a larger file is a
    chunk of its own), taken lazily from `entries`."""
    chunk: list[Entry] = []
    total = 0
    for entry in entries:
        if chunk and (len(chunk) >= documents or total + entry.size > size):
            yield chunk
            chunk, total = [], 0
        chunk.append(entry)
        total += entry.size
    if chunk:
        yield chunk


@dataclass
class _Loaded:
    """An entry read: its paragraphs, what reading it told (title, date), an
    encoding warning, or the error that stops it being scored."""

    paragraphs: list[str] = field(default_factory=list)
    words: list[int] = field(default_factory=list)  # per paragraph
    metadata: dict[str, str] = field(default_factory=dict)
    warning: str | None = None
    error: str | None = None


def _load(entry: Entry, max_bytes: int) -> _Loaded:
    if entry.error:
        return _Loaded(error=entry.error)
    metadata: dict[str, str] = {}
    if entry.text is not None:
        text, warning = entry.text, None
        if len(text) > max_bytes:
            return _Loaded(error=f"over the {max_bytes:,}-character limit")
    else:
        assert entry.path is not None
        try:
            document, warning = read_document(
                entry.path,
                max_bytes=max_bytes,
                format=entry.format,
                follow_links=False,
            )
        except InputError as exc:
            return _Loaded(error=exc.reason or str(exc))
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # a parser's failure on one page, not the run's
            return _Loaded(
                error=f"cannot read its {entry.format} ({type(exc).__name__}: {exc})"
            )
        text, metadata = document.full_text, document.metadata()
    paragraphs, words = split_paragraphs_counted(text)
    if not paragraphs:
        return _Loaded(
            metadata=metadata,
            warning=warning,
            error="no prose paragraphs (empty or only junk lines)",
        )
    return _Loaded(paragraphs, words, metadata, warning)


@dataclass
class _Piece:
    """A document, or a slice of a long document's paragraphs, to label."""

    entry: Entry
    paragraphs: list[str]
    words: list[int]
    warning: str | None
    error: str | None
    first: int = 0  # number of the slice's first paragraph
    fields: tuple = ()  # the row's extra and document fields


def _pieces(
    chunk: list[Entry], schema: RowSchema, options: ScoreOptions, size: int
) -> Iterator[_Piece]:
    for entry in chunk:
        loaded = _load(entry, options.max_bytes)
        paragraphs, warning, error = loaded.paragraphs, loaded.warning, loaded.error
        fields = entry.fields + tuple(
            loaded.metadata.get(name) for name in schema.document_fields
        )
        if error or not schema.paragraphs or len(paragraphs) <= size:
            yield _Piece(entry, paragraphs, loaded.words, warning, error, fields=fields)
            continue
        # Paragraph rows do not depend on each other: a long document is labelled
        # a slice at a time, with the same rows as in one go.
        for first in range(0, len(paragraphs), size):
            part = slice(first, first + size)
            yield _Piece(
                entry,
                paragraphs[part],
                loaded.words[part],
                warning,
                None,
                first,
                fields,
            )


def _batches(pieces: Iterator[_Piece], size: int) -> Iterator[list[_Piece]]:
    """Consecutive pieces with at most `size` paragraphs in all (a longer piece,
    a whole document in document rows, is a batch of its own)."""
    batch: list[_Piece] = []
    total = 0
    for piece in pieces:
        if batch and total + len(piece.paragraphs) > size:
            yield batch
            batch, total = [], 0
        batch.append(piece)
        total += len(piece.paragraphs)
    if batch:
        yield batch


def labelled_rows(
    model,
    chunk: list[Entry],
    schema: RowSchema,
    options: ScoreOptions,
    batch_paragraphs: int = BATCH_PARAGRAPHS,
) -> Iterator[tuple[_Piece, list[dict]]]:
    """(piece, rows) for every document of `chunk` in order (a long document's
    paragraph rows come in several pieces)."""
    pieces = _pieces(chunk, schema, options, batch_paragraphs)
    for batch in _batches(pieces, batch_paragraphs):
        documents = label_documents(
            model,
            [piece.paragraphs for piece in batch if not piece.error],
            min_confidence=options.min_confidence,
            paragraph_rows=schema.paragraphs,
            words=[piece.words for piece in batch if not piece.error],
        )
        labelled = iter(documents)
        for piece in batch:
            entry = piece.entry
            if piece.error:
                rows = [schema.error_row(entry.id, piece.error, fields=piece.fields)]
            else:
                rows = schema.rows(
                    entry.id,
                    next(labelled),
                    piece.warning,
                    fields=piece.fields,
                    first=piece.first,
                )
            yield piece, rows


def score_chunk(model, job: Job, chunk: list[Entry]) -> ChunkResult:
    """Score a chunk into finished output bytes, in the chunk's order."""
    tally = Tally.for_schema(job.schema)
    warnings: list[tuple[str, str]] = []
    parts: list[bytes] = []
    pending: list[dict] = []
    rows_of = labelled_rows(model, chunk, job.schema, job.options, job.batch_paragraphs)
    for piece, rows in rows_of:
        if piece.error:
            tally.add_failed()
        else:
            paragraphs = job.schema.paragraphs_in(rows)
            tally.add_rows(rows, paragraphs, new_document=piece.first == 0)
            if piece.warning and piece.first == 0:
                warnings.append((piece.entry.id, piece.warning))
        pending.extend(rows)
        if len(pending) >= 1000:  # encode as we go: rows are larger than bytes
            parts.append(_encode(job, pending))
            pending = []
    parts.append(_encode(job, pending))
    return ChunkResult(b"".join(parts), tally, warnings)


def _encode(job: Job, records: list[dict]) -> bytes:
    # backslashreplace: an id given through the API may hold a lone surrogate.
    text = job.encoder.rows(job.schema, records)
    return text.encode("utf-8", "backslashreplace")


def document_records(
    model, chunk: list, options: ScoreOptions | None = None
) -> list[list[dict]]:
    """The records of each document of `chunk` (Entries or (id, text) pairs), in
    order: one per document, or one per paragraph with options.paragraphs."""
    options = options or ScoreOptions()
    schema = RowSchema.for_model(model, paragraphs=options.paragraphs)
    results: list[list[dict]] = []
    for piece, rows in labelled_rows(
        model, [as_entry(e) for e in chunk], schema, options
    ):
        if piece.first == 0:
            results.append(rows)
        else:
            results[-1].extend(rows)
    return results


# Executors: where chunks are scored. Each gives submit(chunk) -> a future and
# `window`, the number of chunks to keep in flight.


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class InProcess:
    """Score in this process, one chunk at a time."""

    window = 1

    def __init__(self, model, job: Job):
        self.model, self.job = model, job

    def submit(self, chunk):
        return _Done(score_chunk(self.model, self.job, chunk))


# glibc's mallopt parameters.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def keep_freed_memory() -> None:
    """Ask glibc to keep freed memory for the next batch instead of handing it
    back to the system at once. Labelling a batch allocates and frees arrays of
    several megabytes; by default each is a fresh mmap whose pages the kernel
    zeroes and faults in again, which cost a seventh of a score run's CPU
    (190,000 page faults on the 40 MB benchmark corpus; 45,000 with this).
    Peaks stay where they were (benchmarks/hostile.py --large). Elsewhere than
    glibc, nothing to do. A process-wide setting: called in processes framing
    owns (its workers, and `framing score`'s own), never by the library in a
    caller's process."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest allowed
        # Free memory at the heap's top beyond this goes back: with 256 MB, a
        # worker scoring one 4.9 MB file of one-word paragraphs peaked 50 MB
        # higher (276 MB); with 64 MB as before (227 MB), and as fast.
        libc.mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    except (OSError, AttributeError):
        pass


def _die_with_parent(parent: int) -> None:
    """Exit when the parent process dies, even by SIGKILL: an orphaned worker
    would otherwise run on forever, holding the parent's pipes."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before we could ask
        os._exit(1)

    def watch() -> None:  # elsewhere (and as a backstop): look once a second
        while True:
            threading.Event().wait(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class WorkerDied(FramingError):
    """A worker process ended without finishing its chunk."""


class ProcessPool:
    """Score on `jobs` worker processes, each fed through its own pipe by the
    thread that submits: a chunk goes to the worker with the fewest chunks in
    hand, and results come back numbered, into their futures. (A
    ProcessPoolExecutor passes every chunk and result through two helper
    threads of the parent, which cost it a third of its CPU per document.)"""

    def __init__(self, model, job: Job, jobs: int):
        import multiprocessing

        # fork shares the loaded model with the workers at no cost; elsewhere the
        # model (our own in-memory object, not a file) is sent to each worker once.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context: Any = multiprocessing.get_context(method)
        self.workers: dict = {}  # our end of a worker's pipe -> _Worker
        self.window = jobs * CHUNKS_IN_FLIGHT_PER_WORKER
        self.submitted = 0
        try:
            for _ in range(jobs):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_serve,
                    args=(theirs, model, job, os.getpid()),
                    name="framing-worker",
                    daemon=True,
                )
                # The worker exists when start() returns: it does not inherit
                # the output file, opened later, nor the other workers' ends.
                process.start()
                theirs.close()
                self.workers[ours] = _Worker(process)
        except BaseException:
            self.close()
            raise

    def submit(self, chunk: list[Entry]) -> "_Pending":
        self._collect(block=False)
        connection = min(self.workers, key=lambda c: len(self.workers[c].pending))
        pending = _Pending(self)
        number, self.submitted = self.submitted, self.submitted + 1
        self.workers[connection].pending[number] = pending
        try:
            connection.send((number, list(map(_entry_fields, chunk))))
        except OSError:
            raise _died() from None
        return pending

    def _collect(self, *, block: bool) -> None:
        """Take in the results that have arrived; with `block`, wait for one."""
        from multiprocessing.connection import Connection, wait

        busy = [c for c, worker in self.workers.items() if worker.pending]
        if not busy:
            return
        for ready in wait(busy, timeout=None if block else 0):
            connection = cast(Connection, ready)
            try:
                number, ok, value = connection.recv()
            except (EOFError, OSError):
                raise _died() from None
            self.workers[connection].pending.pop(number).settle(ok, value)

    def close(self) -> None:
        for connection, worker in self.workers.items():
            if worker.pending:  # a failed run: its chunks in hand are not wanted
                worker.process.terminate()
            else:
                try:
                    connection.send(None)
                except OSError:
                    pass
        for connection, worker in self.workers.items():
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            connection.close()


@dataclass
class _Worker:
    process: Any
    pending: dict = field(default_factory=dict)  # chunk number -> _Pending


class _Pending:
    """A chunk's result, once its worker has sent it."""

    def __init__(self, pool: ProcessPool):
        self.pool = pool
        self.settled = False
        self.ok, self.value = False, None  # type: tuple[bool, Any]

    def settle(self, ok: bool, value) -> None:
        self.settled, self.ok, self.value = True, ok, value

    def result(self):
        while not self.settled:
            self.pool._collect(block=True)
        if not self.ok:
            raise self.value
        return self.value


# A chunk goes to a worker as tuples of its Entries' fields: pickling Entries
# (a class reference and a dict of fields each) cost the parent 0.75 us per
# document, tuples 0.3.
_entry_fields = attrgetter(*(f.name for f in fields(Entry)))


def _died() -> "WorkerDied":
    return WorkerDied(
        "a worker process died (killed by a signal, or by the system for lack of "
        "memory)"
    )


def _serve(connection, model, job: Job, parent: int) -> None:
    """A worker: score the chunks that come through `connection` until told to
    stop (None) or the parent is gone."""
    # Ctrl-C reaches the whole process group; the parent decides what it stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent ends a worker that holds chunks it no longer wants with SIGTERM
    # (after a failure, or `| head`): die at once, not by the handler inherited
    # from `framing score`'s process, which unwound the worker with a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    keep_freed_memory()
    # Results go back through a thread of their own: a table's chunks carry
    # their texts, so the parent's send of a chunk can wait for this worker to
    # read, and if this worker were itself waiting to send a large result the
    # parent is not yet reading, both would wait for good. (Receiving in a
    # thread instead woke this worker at every chunk the parent sent, and the
    # parent, preempted, spent more per document.)
    results: queue.SimpleQueue = queue.SimpleQueue()
    sender = threading.Thread(
        target=_send_results, args=(connection, results), name="results"
    )
    sender.start()
    try:
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            number, values = message
            chunk = list(starmap(Entry, values))
            try:
                results.put((number, True, score_chunk(model, job, chunk)))
            except Exception as exc:  # a bug in scoring: the parent raises it
                results.put((number, False, exc))
    finally:
        results.put(None)
        sender.join()


def _send_results(connection, results: "queue.SimpleQueue") -> None:
    """Send each reply put on `results` to the parent, until None."""
    while True:
        reply = results.get()
        if reply is None:
            return
        try:
            try:
                connection.send(reply)
            except (pickle.PicklingError, TypeError, AttributeError):
                # An exception that cannot be pickled goes as its description.
                connection.send((reply[0], False, RuntimeError(repr(reply[2]))))
        except OSError:  # the parent is gone: nothing more can reach it
            os._exit(1)


def check_dask(scheduler: str) -> None:
    """Fail before any work if Dask is missing or the address is malformed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise FramingError(
            "--scheduler needs Dask: pip install 'framing[dask]' (in a checkout: "
            "pip install '.[dask]')"
        ) from None
    if "://" not in scheduler or not scheduler.rsplit(":", 1)[-1].isdigit():
        raise FramingError(
            f"{scheduler!r} is not a scheduler address; give one like "
            "tcp://HOST:8786 (dask scheduler prints it)"
        )


class DaskCluster:
    """Score on the workers of a Dask scheduler (checked with check_dask first)."""

    def __init__(self, model, job: Job, scheduler: str):
        from distributed import Client

        try:
            self.client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise FramingError(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}"
            ) from None
        workers = max(len(self.client.scheduler_info().get("workers", {})), 1)
        self.window = workers * CHUNKS_IN_FLIGHT_PER_WORKER
        self.model = self.client.scatter(model, broadcast=True)
        self.job = job

    def submit(self, chunk):
        return self.client.submit(score_chunk, self.model, self.job, chunk, pure=False)

    def close(self) -> None:
        self.client.close()


@contextmanager
def executor(model, job: Job, *, jobs: int = 1, scheduler: str | None = None):
    """The executor for a run, started (and the scheduler reached) before the
    run opens its output."""
    chosen: DaskCluster | ProcessPool
    if scheduler:
        chosen = DaskCluster(model, job, scheduler)
    elif jobs > 1:
        chosen = ProcessPool(model, job, jobs)
    else:
        yield InProcess(model, job)
        return
    try:
        yield chosen
    finally:
        chosen.close()


def ordered(
    runner, chunks: Iterator[list[Entry]]
) -> Iterator[tuple[list[Entry], ChunkResult]]:
    """Submit chunks keeping at most `runner.window` in flight; yield (chunk,
    result) in submission order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append((chunk, runner.submit(chunk)))
        if len(pending) >= runner.window:
            done_chunk, future = pending.popleft()
            yield done_chunk, future.result()
    while pending:
        done_chunk, future = pending.popleft()
        yield done_chunk, future.result()


def score_entries(
    model,
    entries: Iterable,
    *,
    options: ScoreOptions | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
) -> Iterator[tuple[str, list[dict]]]:
    """Lazily yield (document id, records) for every entry, in input order, in
    this process.

    `entries` may be a generator of walk Entries or of (id, text) pairs; it is
    consumed a chunk at a time, never materialised. (framing.batch.run scores
    into files and streams, on many processes, with output bytes per chunk.)
    """
    options = options or ScoreOptions()
    for chunk in chunked(map(as_entry, entries), documents=chunk_documents):
        for entry, records in zip(chunk, document_records(model, chunk, options)):
            yield entry.id, records
