"""A fastText folder scorer: the yardstick `run.py` compares `framing score` with.

It does what a lean hand-written scorer built on fastText would do: train one
head (stance) on the project's labelled paragraphs, then, in N processes, read
each .txt file, split it at blank lines, predict every paragraph and write one
CSV row per file with the mean probabilities' top label. fastText is an optional
benchmark dependency (pip install '.[bench]').
"""

import csv
import io
import multiprocessing
import re
import sys
import tempfile
import time
from pathlib import Path

BLANK_LINES = re.compile(r"\n\s*\n")
_model = None


def available() -> bool:
    try:
        import fasttext  # noqa: F401
    except ImportError:
        return False
    return True


def train(
    data: Path, model_path: Path, column: str = "stance", *, lean: bool = True
) -> None:
    """Fit a supervised fastText model (word 1-2 grams, as framing's) on one
    label column of the dataset; lean=False keeps fastText's own defaults for
    the size of the model."""
    import fasttext

    with open(data, newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as lines:
        for row in rows:
            if row.get(column):
                text = " ".join(row["text"].lower().split())
                lines.write(f"__label__{row[column]} {text}\n")
    # fastText's default 2 million hash buckets x 100 dimensions make an 800 MB
    # model that takes seconds to load; a lean scorer keeps it at 100 MB.
    size = {"dim": 50, "bucket": 500_000} if lean else {}
    model = fasttext.train_supervised(
        lines.name, wordNgrams=2, epoch=25, verbose=0, **size
    )
    Path(lines.name).unlink()
    model.save_model(str(model_path))


def _start(model_path: str) -> None:
    global _model
    import fasttext

    _model = fasttext.load_model(model_path)


def _score_files(paths: list[str]) -> str:
    """CSV rows (id, label, confidence) for a chunk of files."""
    assert _model is not None
    out = io.StringIO()
    writer = csv.writer(out)
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        paragraphs = [
            " ".join(block.lower().split()) for block in BLANK_LINES.split(text)
        ]
        paragraphs = [p for p in paragraphs if p]
        labels, probabilities = _model.predict(paragraphs, k=-1)
        totals: dict[str, float] = {}
        for names, values in zip(labels, probabilities):
            for name, value in zip(names, values):
                totals[name] = totals.get(name, 0.0) + float(value)
        best = max(totals, key=totals.__getitem__)
        writer.writerow(
            [path, best.removeprefix("__label__"), totals[best] / len(paragraphs)]
        )
    return out.getvalue()


def score_folder(model_path: Path, folder: Path, out: Path, processes: int) -> float:
    """Wall seconds to score every .txt file under `folder` into `out`, with
    `processes` workers (start-up and model load included, as for framing)."""
    start = time.perf_counter()
    paths = sorted(str(path) for path in folder.rglob("*.txt"))
    chunks = [paths[i : i + 256] for i in range(0, len(paths), 256)]
    context = multiprocessing.get_context("fork")
    with (
        open(out, "w", encoding="utf-8") as sink,
        context.Pool(processes, _start, (str(model_path),)) as pool,
    ):
        sink.write("id,stance,confidence\n")
        for text in pool.imap(_score_files, chunks):
            sink.write(text)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    """`score MODEL FOLDER OUT PROCESSES`: what a user's script would run (run.py
    times it as a command, as it times `framing score`); or `MODEL DATA FOLDER
    OUT`: train, then score with two processes, printing the seconds."""
    if argv[:1] == ["score"]:
        model_file, folder, out, processes = argv[1:5]
        score_folder(Path(model_file), Path(folder), Path(out), int(processes))
        return
    model_file = Path(argv[0])
    train(Path(argv[1]), model_file)
    print(score_folder(model_file, Path(argv[2]), Path(argv[3]), 2))


if __name__ == "__main__":
    main(sys.argv[1:])
