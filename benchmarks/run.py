"""Speed and memory of `framing score` and `framing classify`, as ratios.

Run from the repository root after setup:  .venv/bin/python benchmarks/run.py
Prints one table; the machine is shared and noisy, so compare the ratios, which
are measured in one run, rather than absolute figures across runs.
"""

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fasttext_scorer  # noqa: E402
from corpus import build_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FRAMING = [str(BIN / "framing")]


def run_score(folder: Path, out: Path, jobs: int) -> float:
    """Wall seconds of a `framing score` run."""
    start = time.perf_counter()
    subprocess.run(
        FRAMING
        + ["score", str(folder), "--out", str(out), "--force", "--jobs", str(jobs)],
        check=True,
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def run_fasttext(model_path: Path, folder: Path, out: Path, processes: int) -> float:
    """Wall seconds of the fastText scorer run as a command, as a user's script
    runs: Python's start and fastText's import count, as they do for framing."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(Path(fasttext_scorer.__file__)),
            "score",
            str(model_path),
            str(folder),
            str(out),
            str(processes),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def peak_rss(folder: Path, out: Path) -> int:
    """Peak RSS (KB) of a one-process score run, measured in a fresh child."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True,"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = FRAMING + ["score", str(folder), "--out", str(out), "--force"]
    result = subprocess.run(
        [sys.executable, "-c", code, *command, "--jobs", "1"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip())


# Run in a fresh process: CPU seconds of the parent (this process, after imports
# and a first model load) and of its worker processes, over one `score` run.
_PARENT_CPU = """
import resource, sys
from pathlib import Path
from framing import api

def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime

folder, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
api.load()
import framing.batch.run  # what api.score imports on first use: not per document
start = cpu(resource.RUSAGE_SELF)
api.load()  # what api.score spends loading the model again, to leave out
load = cpu(resource.RUSAGE_SELF) - start
start = cpu(resource.RUSAGE_SELF)
summary = api.score(folder, out=out, force=True, jobs=jobs)
parent = cpu(resource.RUSAGE_SELF) - start - load
print(summary["documents"], parent, cpu(resource.RUSAGE_CHILDREN))
"""


def parent_cpu(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(parent, one worker) CPU microseconds per document of a `score` run with
    `jobs` workers: the parent walks, orders, writes and counts; the workers
    read, split, label and format."""
    result = subprocess.run(
        [sys.executable, "-c", _PARENT_CPU, str(folder), str(out), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    documents, parent, workers = result.stdout.split()
    per = 1e6 / int(documents)
    return float(parent) * per, float(workers) * per


def read_paragraphs(folder: Path) -> tuple[list[str], int]:
    from framing.text.segment import split_paragraphs

    paragraphs, size = [], 0
    for path in sorted(folder.rglob("*.txt")):
        raw = path.read_bytes()
        size += len(raw)
        paragraphs.extend(split_paragraphs(raw.decode("utf-8")))
    return paragraphs, size


def _floor_worker(texts):
    from framing.api import load

    model, _ = load()
    start = time.perf_counter()
    model.predict_proba(texts)  # our extractor, then both heads
    return time.perf_counter() - start


def floor_seconds(paragraphs: list[str], processes: int) -> float:
    """Bare vectorise + predict (both heads) on pre-read paragraphs, in batches of
    5,000, split over `processes` (each loads the model first, untimed)."""
    batches = [paragraphs[i : i + 5000] for i in range(0, len(paragraphs), 5000)]
    if processes == 1:
        return sum(_floor_worker(batch) for batch in batches)
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        pool.map(_floor_worker, [batches[0][:10]] * processes)  # warm the workers
        start = time.perf_counter()
        pool.map(_floor_worker, batches)
        return time.perf_counter() - start


def median_seconds(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_start(repeats: int) -> dict:
    python = str(BIN / "python")
    baseline = [python, "-c", "import numpy"]
    # What any typer command pays before it runs: the floor of a classify that
    # goes through the command line's parser.
    with_typer = [python, "-c", "import numpy, typer"]
    classify = FRAMING + ["classify", "The force must be disbanded.", "--json"]
    help_command = FRAMING + ["--help"]
    median_seconds(classify, 1)  # warm the file cache
    return {
        "import numpy": median_seconds(baseline, repeats),
        "import numpy, typer": median_seconds(with_typer, repeats),
        "framing classify": median_seconds(classify, repeats),
        "framing --help": median_seconds(help_command, repeats),
    }


def rate(mb: float, paragraphs: int, seconds: float) -> str:
    return f"{mb / seconds:.1f} MB/s, {paragraphs / seconds:,.0f} paragraphs/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--memory-files", type=int, nargs=2, default=[5_000, 50_000])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument(
        "--pairs", type=int, default=3, help="turns of framing and fastText, each"
    )
    parser.add_argument(
        "--fasttext-defaults",
        action="store_true",
        help="also time fastText with its default model size (800 MB on disk)",
    )
    args = parser.parse_args()
    # Bytecode as an installed framing has it, for every timing below: pip
    # compiles a package when it installs it, and Python writes the cache of an
    # editable install on its first run, unless PYTHONDONTWRITEBYTECODE is set
    # (as on this machine, where compiling framing's modules from source added
    # 45 ms to each `framing score`).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "framing")], check=True
    )
    work = args.work or Path(tempfile.mkdtemp(prefix="framing-bench-"))
    data = REPO / "data" / "paragraphs.csv"
    rows = []

    corpus = work / "corpus"
    if not corpus.exists():
        build_corpus(data, corpus, files=args.articles)
    paragraphs, size = read_paragraphs(corpus)
    mb = size / 1e6
    rows.append(
        (
            "corpus",
            f"{args.articles} articles, {mb:.1f} MB, {len(paragraphs)} paragraphs",
        )
    )

    score = {}
    for jobs in (1, 2):
        seconds = run_score(corpus, work / f"out{jobs}.csv", jobs)
        score[jobs] = seconds
        rows.append(
            (
                f"framing score, {jobs} job(s)",
                rate(mb, len(paragraphs), seconds),
            )
        )
    parent, worker = parent_cpu(corpus, work / "parent.csv", 2)
    rows.append(
        (
            "CPU per document, 2 jobs: parent / workers",
            f"{parent:.0f} us / {worker:.0f} us ({parent / worker:.1%})",
        )
    )
    floor = {p: floor_seconds(paragraphs, p) for p in (1, 2)}
    for p, seconds in floor.items():
        rows.append(
            (
                f"floor: vectorise + both heads, {p} process(es)",
                rate(mb, len(paragraphs), seconds),
            )
        )
    rows.append(
        (
            "time ratio score(2 jobs) / floor(2 processes), target <= 1.2x",
            f"{score[2] / floor[2]:.2f}x",
        )
    )
    rows.append(
        ("time ratio score(1 job) / floor(1 process)", f"{score[1] / floor[1]:.2f}x")
    )

    if fasttext_scorer.available():
        # The yardstick of the target is a lean model (50 dimensions, 500,000
        # buckets, 100 MB); --fasttext-defaults adds fastText's own defaults (2
        # million buckets x 100 dimensions, 800 MB), as an untuned user has it.
        yardsticks = [
            ("fastText folder scorer, stance only", True, ", target <= 0.67x")
        ]
        if args.fasttext_defaults:
            yardsticks.append(("fastText, default model size", False, ""))
        for name, lean, target in yardsticks:
            model_path = work / ("fasttext.bin" if lean else "fasttext-defaults.bin")
            fasttext_scorer.train(data, model_path, lean=lean)
            # The first run reads the model into the file cache, as framing's
            # model is there from the runs above. Then framing and fastText take
            # turns, so that both meet the same load on a shared machine.
            fasttext_scorer.score_folder(model_path, corpus, work / "ft.csv", 2)
            ratios, fasts, inside = [], [], []
            for _ in range(args.pairs):
                ours = run_score(corpus, work / "out2.csv", 2)
                fasts.append(run_fasttext(model_path, corpus, work / "ft.csv", 2))
                ratios.append(ours / fasts[-1])
                # Until 2026-12 the yardstick ran inside this process: without
                # Python's start and fastText's import, and forked from a large
                # process. Kept, to compare with the figures of that time.
                seconds = fasttext_scorer.score_folder(
                    model_path, corpus, work / "ft.csv", 2
                )
                inside.append(ours / seconds)
            fast = statistics.median(fasts)
            rows.append((f"{name}, 2 processes", rate(mb, len(paragraphs), fast)))
            rows.append(
                (
                    f"time ratio score(2 jobs) / {name}{target}",
                    f"{statistics.median(ratios):.2f}x (median of {args.pairs} "
                    f"turns; {min(ratios):.2f}-{max(ratios):.2f})",
                )
            )
            rows.append(
                (
                    f"  the same, {name} run inside the benchmark's process",
                    f"{statistics.median(inside):.2f}x "
                    f"({min(inside):.2f}-{max(inside):.2f})",
                )
            )
    else:
        rows.append(("fastText folder scorer", "not installed: pip install '.[bench]'"))

    peaks = {}
    for files in args.memory_files:
        folder = work / f"small{files}"
        if not folder.exists():
            build_corpus(data, folder, files=files, words=120, seed=files)
        peaks[files] = peak_rss(folder, work / f"mem{files}.csv")
        rows.append(
            (f"peak memory, {files:,} files, 1 job", f"{peaks[files] / 1024:.0f} MB")
        )
    small, large = args.memory_files
    rows.append(
        (
            f"ratio peak {large:,} / {small:,} files",
            f"{peaks[large] / peaks[small]:.2f}x",
        )
    )

    starts = cold_start(args.repeats)
    for name, seconds in starts.items():
        rows.append(
            (f"cold start: {name} (median of {args.repeats})", f"{seconds:.2f} s")
        )
    rows.append(
        (
            "time ratio classify / import numpy, target <= 1.5x",
            f"{starts['framing classify'] / starts['import numpy']:.2f}x",
        )
    )
    rows.append(
        (
            "time ratio import numpy, typer / import numpy",
            f"{starts['import numpy, typer'] / starts['import numpy']:.2f}x",
        )
    )

    print(
        f"framing benchmarks, {date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
