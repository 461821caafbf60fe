"""Score many documents: in bounded chunks, in order, on one or more processes.

Each chunk is read, split and vectorised in one pass (batches are far faster than
one paragraph at a time); at most a few chunks are in flight, so memory stays
flat however many documents there are; results come back in input order, so the
output does not depend on the number of workers.
"""

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from framing.corpus.walk import Entry
from framing.errors import FramingError, InputError
from framing.labelling import label_documents
from framing.text.read import DEFAULT_MAX_BYTES, read_text
from framing.text.segment import split_paragraphs

DEFAULT_CHUNK = 64
CHUNKS_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class ScoreOptions:
    paragraphs: bool = False
    min_confidence: float = 0.0
    max_bytes: int = DEFAULT_MAX_BYTES


def error_record(doc_id: str, error: str, options: ScoreOptions) -> dict:
    """The row of a document that could not be scored, with the same fields (in
    the same order) as a scored one."""
    if options.paragraphs:
        return {
            "id": doc_id,
            "paragraph": None,
            "text": None,
            "stance": None,
            "tone": None,
            "warning": None,
            "error": error,
        }
    return {
        "id": doc_id,
        "stance": None,
        "tone": None,
        "paragraphs": 0,
        "warning": None,
        "error": error,
    }


def _load(entry, max_bytes: int) -> tuple[list[str] | None, str | None, str | None]:
    """(paragraphs, warning, error) of an Entry or an (id, text) pair."""
    if isinstance(entry, Entry):
        if entry.error:
            return None, None, entry.error
        try:
            text, warning = read_text(entry.path, max_bytes, follow_links=False)
        except InputError as exc:
            return None, None, exc.reason
    else:
        text, warning = entry[1], None
        if len(text) > max_bytes:
            return None, None, f"over the {max_bytes:,}-character limit"
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        return None, warning, "no prose paragraphs (empty or only junk lines)"
    return paragraphs, warning, None


def entry_id(entry) -> str:
    return entry.id if isinstance(entry, Entry) else entry[0]


def score_chunk(model, chunk: list, options: ScoreOptions) -> list[list[dict]]:
    """Records for each document of `chunk` (Entries or (id, text) pairs), in order:
    one record per document, or one per paragraph with options.paragraphs."""
    loaded = [_load(entry, options.max_bytes) for entry in chunk]
    labelled = iter(
        label_documents(
            model,
            [paragraphs for paragraphs, _, error in loaded if not error],
            min_confidence=options.min_confidence,
        )
    )
    columns = list(model.heads)
    results = []
    for entry, (_paragraphs, warning, error) in zip(chunk, loaded):
        doc_id = entry_id(entry)
        if error:
            results.append([error_record(doc_id, error, options)])
            continue
        document = next(labelled)
        if options.paragraphs:
            results.append(
                [
                    {
                        "id": doc_id,
                        "paragraph": row["index"],
                        "text": row["text"],
                        **{c: row[c] for c in columns},
                        "warning": warning,
                        "error": None,
                    }
                    for row in document["paragraphs"]
                ]
            )
        else:
            record = {"id": doc_id, **{c: document[c] for c in columns}}
            record.update(
                paragraphs=len(document["paragraphs"]), warning=warning, error=None
            )
            results.append([record])
    return results


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


_worker_model = None


def _init_worker(model) -> None:
    global _worker_model
    _worker_model = model


def _score_in_worker(chunk, options):
    return score_chunk(_worker_model, chunk, options)


def _ordered(submit, chunks: Iterator[list], window: int) -> Iterator[tuple]:
    """Submit chunks keeping at most `window` in flight; yield (chunk, result) in
    submission order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= window:
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
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    scheduler: str | None = None,
) -> Iterator[tuple[str, list[dict]]]:
    """Lazily yield (document id, records) for every entry, in input order.

    `entries` may be a generator of walk Entries or of (id, text) pairs; it is
    consumed a few chunks at a time, never materialised.
    """
    options = options or ScoreOptions()
    chunks = chunked(entries, chunk_size)
    if scheduler:
        results = _dask_results(model, chunks, options, scheduler)
    elif jobs > 1:
        results = _process_results(model, chunks, options, jobs)
    else:
        results = ((chunk, score_chunk(model, chunk, options)) for chunk in chunks)
    for chunk, records in results:
        for entry, doc_records in zip(chunk, records):
            yield entry_id(entry), doc_records


def _process_results(model, chunks, options, jobs):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the loaded model with the workers at no cost; elsewhere the model
    # (our own in-memory object, not a file) is sent to each worker once.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(model,)
    ) as pool:
        yield from _ordered(
            lambda chunk: pool.submit(_score_in_worker, chunk, options),
            chunks,
            jobs * CHUNKS_IN_FLIGHT_PER_WORKER,
        )


def check_dask(scheduler: str) -> None:
    """Fail before any output if Dask is missing or the address is malformed."""
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


def _dask_results(model, chunks, options, scheduler):
    from distributed import Client

    check_dask(scheduler)
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise FramingError(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}"
        ) from None
    with client:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        shared_model = client.scatter(model, broadcast=True)
        yield from _ordered(
            lambda chunk: client.submit(
                score_chunk, shared_model, chunk, options, pure=False
            ),
            chunks,
            workers * CHUNKS_IN_FLIGHT_PER_WORKER,
        )
