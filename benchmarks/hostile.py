"""A batch over a hostile folder: every good file gets its row, every broken one
an error row, and peak memory stays flat.

Run from the repository root after setup:  .venv/bin/python benchmarks/hostile.py
Builds N small files (default 20,000) of which 2% are broken in the ways a scraper
or archive produces them, scores the folder in a subprocess, checks the output row
by row, and compares peak memory with the same run on a clean folder.

With --large N it measures instead the peak memory of the largest process on N
files of 4.9 MB of prose and on one 4.9 MB file of one-word paragraphs (the worst
case per byte), per document and per paragraph, with 1 and 2 workers.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FRAMING = str(Path(sys.executable).parent / "framing")


def break_files(folder: Path, share: float) -> dict[str, str]:
    """Break every 1/share-th file in one of several ways; returns {id: how}."""
    files = sorted(p for p in folder.rglob("*.txt"))
    step = round(1 / share)
    broken = {}
    ways = [
        "empty",
        "binary",
        "oversized",
        "fifo",
        "self_link",
        "dangling_link",
        "only_junk",
        "nul_bytes",
    ]
    for n, path in enumerate(files[::step]):
        way = ways[n % len(ways)]
        path.unlink()
        if way == "empty":
            path.write_bytes(b"")
        elif way == "binary":
            path.write_bytes(os.urandom(2048))
        elif way == "oversized":
            path.write_bytes(b"word " * 300_000)  # 1.5 MB, over --max-bytes below
        elif way == "fifo":
            os.mkfifo(path)
        elif way == "self_link":
            path.symlink_to(path.name)
        elif way == "dangling_link":
            path.symlink_to("nowhere.txt")
        elif way == "only_junk":
            path.write_text("0\n\n687\n\nSpread the news\n", encoding="utf-8")
        elif way == "nul_bytes":
            path.write_bytes(b"The police said\x00\x00 nothing." * 50)
        broken[str(path.relative_to(folder))] = way
    # Things that must be skipped, not scored: hidden files and other extensions.
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    # A Windows-1252 file and an odd-byte name are readable: they must be scored.
    (folder / "legacy.txt").write_bytes(
        b"The officers\x92 union said the force \x93failed\x94."
    )
    odd = os.fsencode(str(folder)) + b"/odd-\xff-name.txt"
    with open(odd, "wb") as handle:
        handle.write(b"Police made three arrests after the match on Saturday.")
    return broken


def large_files(folder: Path, data: Path, count: int) -> None:
    """`count` files of about 4.9 MB of prose (the default --max-bytes is 5 MB),
    and one of 4.9 MB of one-word paragraphs, the worst case per byte."""
    build_corpus(data, folder / "prose", files=count, words=760_000, seed=2)
    worst = folder / "worst"
    worst.mkdir()
    with open(worst / "one-word-paragraphs.txt", "w", encoding="utf-8") as handle:
        written, n = 0, 0
        while written < 4_900_000:
            line = f"w{n}.\n"
            handle.write(line)
            written, n = written + len(line), n + 1


def peak_kb(folder: Path, out: Path, *options: str) -> tuple[int, int]:
    """(peak RSS in KB of the largest process, exit code) of a score run."""
    code = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:],"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    command = [
        FRAMING,
        "score",
        str(folder),
        "--out",
        str(out),
        "--force",
        *(options or ("--jobs", "1", "--max-bytes", "1000000")),
    ]
    result = subprocess.run(
        [sys.executable, "-c", code, *command],
        capture_output=True,
        text=True,
        timeout=3600,
        check=True,
    )
    peak, returncode = result.stdout.split()
    return int(peak), int(returncode)


def large_memory(work: Path, data: Path, count: int) -> None:
    """Peak memory of the largest process (parent or one worker) on large files,
    with one row per document and one per paragraph, on 1 and 2 workers."""
    large_files(work, data, count)
    for name in ("prose", "worst"):
        folder = work / name
        size = sum(p.stat().st_size for p in folder.rglob("*.txt")) / 1e6
        files = sum(1 for _ in folder.rglob("*.txt"))
        for rows in ("documents", "paragraphs"):
            for jobs in ("1", "2"):
                options = ["--jobs", jobs] + (["--paragraphs"] * (rows == "paragraphs"))
                peak, code = peak_kb(folder, work / "large.csv", *options)
                print(
                    f"{name}: {files} file(s), {size:.1f} MB, rows per {rows}, "
                    f"--jobs {jobs}: peak {peak / 1024:.0f} MB (exit {code})"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--broken", type=float, default=0.02)
    parser.add_argument(
        "--large",
        type=int,
        default=0,
        help="instead, peak memory for this many 4.9 MB files (and the worst case)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="framing-hostile-"))
    data = REPO / "data" / "paragraphs.csv"
    if args.large:
        large_memory(work, data, args.large)
        return

    clean = work / "clean"
    build_corpus(data, clean, files=args.files, words=100, seed=1)
    hostile = work / "hostile"
    build_corpus(data, hostile, files=args.files, words=100, seed=1)
    broken = break_files(hostile, args.broken)

    clean_peak, clean_code = peak_kb(clean, work / "clean.csv")
    hostile_peak, hostile_code = peak_kb(hostile, work / "hostile.csv")
    with open(
        work / "hostile.csv", encoding="utf-8-sig", newline=""
    ) as handle:  # the CSV starts with a byte-order mark, for Excel
        rows = {row["id"]: row for row in csv.DictReader(handle)}

    expected_ids = {
        str(p.relative_to(hostile))
        .encode("utf-8", "surrogateescape")
        .decode("utf-8", "backslashreplace")
        for p in hostile.rglob("*.txt")
        if not p.name.startswith(".")
    }
    missing = expected_ids - set(rows)
    broken_ok = [i for i, way in broken.items() if rows.get(i, {}).get("error")]
    good = expected_ids - set(broken)
    good_ok = [
        i for i in good if i in rows and not rows[i]["error"] and rows[i]["stance"]
    ]
    extra = set(rows) - expected_ids

    print(
        f"files: {len(expected_ids):,} text files ({len(broken)} broken, "
        f"ways: {', '.join(sorted(set(broken.values())))}) + 2 to skip"
    )
    print(
        f"exit codes: clean run {clean_code}, hostile run {hostile_code} "
        "(3 = some failed)"
    )
    print(f"rows: {len(rows):,}; missing {len(missing)}; unexpected {len(extra)}")
    print(f"good files with a full row: {len(good_ok):,} of {len(good):,}")
    print(f"broken files with an error row: {len(broken_ok)} of {len(broken)}")
    print(
        f"peak memory: clean {clean_peak / 1024:.0f} MB, "
        f"hostile {hostile_peak / 1024:.0f} MB,"
        f" ratio {hostile_peak / clean_peak:.2f}x"
    )
    ok = (
        not missing
        and not extra
        and len(good_ok) == len(good)
        and len(broken_ok) == len(broken)
    )
    print("result:", "PASS" if ok and hostile_code == 3 else "FAIL")
    sys.exit(0 if ok and hostile_code == 3 else 1)


if __name__ == "__main__":
    main()
