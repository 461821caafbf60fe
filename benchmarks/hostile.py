"""A batch over a hostile folder: every good file gets its row, every broken one
an error row, and peak memory stays flat.

Run from the repository root after setup:  .venv/bin/python benchmarks/hostile.py
Builds N small files (default 20,000) of which 2% are broken in the ways a scraper
or archive produces them, scores the folder in a subprocess, checks the output row
by row, and compares peak memory with the same run on a clean folder.
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


def peak_kb(folder: Path, out: Path) -> tuple[int, int]:
    """(peak RSS in KB, exit code) of a one-process score run."""
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
        "--jobs",
        "1",
        "--max-bytes",
        "1000000",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--broken", type=float, default=0.02)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="framing-hostile-"))
    data = REPO / "data" / "paragraphs.csv"

    clean = work / "clean"
    build_corpus(data, clean, files=args.files, words=100, seed=1)
    hostile = work / "hostile"
    build_corpus(data, hostile, files=args.files, words=100, seed=1)
    broken = break_files(hostile, args.broken)

    clean_peak, clean_code = peak_kb(clean, work / "clean.csv")
    hostile_peak, hostile_code = peak_kb(hostile, work / "hostile.csv")
    with open(work / "hostile.csv", encoding="utf-8", newline="") as handle:
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
