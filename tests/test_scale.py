"""Scoring at scale: same output for any number of workers, in input order, from a
stream that is never materialised, and on a Dask cluster."""

import io
import itertools
import json

import pytest
from conftest import modules_imported_by

from framing import api
from framing.batch.run import run_batch
from framing.batch.workers import CHUNK_DOCUMENTS, ScoreOptions, score_entries
from framing.corpus.walk import iter_entries
from framing.model.storage import load_model

SENTENCES = [
    "The force must be disbanded and its budget handed to youth services.",
    "An independent inquiry found serious failings in the vetting of officers.",
    "The Commissioner thanked the officers who serve London with honour.",
    "Police said three men were arrested after the march on Saturday.",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """600 small articles in nested folders: three chunks, on two processes."""
    root = tmp_path_factory.mktemp("corpus")
    for i in range(600):
        sub = root / f"batch{i % 3}"
        sub.mkdir(exist_ok=True)
        body = "\n\n".join(SENTENCES[(i + k) % 4] for k in range(1 + i % 4))
        (sub / f"article{i:03d}.txt").write_text(body, encoding="utf-8")
    (root / "batch1" / "empty.txt").write_text("", encoding="utf-8")
    return root


def _score(folder, tmp_path, name, **options):
    out = tmp_path / name
    api.score(folder, out=out, fmt="jsonl", **options)
    return out.read_bytes()


def test_scale_output_is_identical_for_one_and_two_jobs(folder, tiny_model, tmp_path):
    one = _score(folder, tmp_path, "one.jsonl", model_dir=tiny_model, jobs=1)
    two = _score(folder, tmp_path, "two.jsonl", model_dir=tiny_model, jobs=2)
    assert one == two
    assert len(one.splitlines()) == 601


@pytest.mark.parametrize("paragraphs", [False, True])
def test_scale_output_is_identical_for_any_jobs_and_chunks(
    folder, tiny_model, paragraphs
):
    model, _card = load_model(tiny_model)
    options = ScoreOptions(paragraphs=paragraphs)
    outputs = set()
    for jobs, documents, size in [(1, 256, 10**6), (2, 7, 10**6), (2, 64, 500)]:
        stream = io.StringIO()
        run_batch(
            model,
            iter_entries(folder),
            stream=stream,
            options=options,
            jobs=jobs,
            chunk_documents=documents,
            chunk_bytes=size,
        )
        outputs.add(stream.getvalue())
    assert len(outputs) == 1


def test_scale_rows_follow_the_sorted_walk(folder, tiny_model, tmp_path):
    rows = _score(folder, tmp_path, "o.jsonl", model_dir=tiny_model, jobs=2)
    ids = [json.loads(line)["id"] for line in rows.splitlines()]
    expected = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.txt"))
    assert ids == expected


def test_scale_generator_is_consumed_lazily(tiny_model):
    model, _card = load_model(tiny_model)
    pulled = itertools.count()

    def documents():
        for i in range(10**7):  # far more than could fit if it were materialised
            next(pulled)
            yield f"doc{i}", SENTENCES[i % 4]

    results = score_entries(model, documents(), options=ScoreOptions())
    first = list(itertools.islice(results, 3 * CHUNK_DOCUMENTS))
    assert [doc_id for doc_id, _ in first[:3]] == ["doc0", "doc1", "doc2"]
    assert next(pulled) <= 4 * CHUNK_DOCUMENTS


def test_scale_dask_cluster_gives_the_single_process_output(
    folder, tiny_model, tmp_path
):
    distributed = pytest.importorskip("distributed")
    single = _score(folder, tmp_path, "single.jsonl", model_dir=tiny_model, jobs=1)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        clustered = _score(
            folder,
            tmp_path,
            "dask.jsonl",
            model_dir=tiny_model,
            scheduler=cluster.scheduler_address,
        )
    assert clustered == single


def test_scale_help_imports_neither_sklearn_nor_nltk():
    code = (
        "from framing.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass"
    )
    assert modules_imported_by(code, ("sklearn", "nltk", "scipy")) == []


def test_scale_default_jobs_are_the_cores_this_process_may_use(monkeypatch):
    import os

    from framing import checks

    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no CPU affinity on this platform")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5})
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert checks.jobs(None) == 3
    assert checks.jobs(7) == 7
