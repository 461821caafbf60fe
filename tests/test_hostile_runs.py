"""What a hostile folder, a planted file, an interrupted run or a careless caller
can no longer break (issue 11, "Reliability 2"). One test or table per item, named
after it, so that this file reads as the list of what is promised:

- links to files outside the folder are not read unless --follow-links (3);
- any depth of folders is walked (8);
- ids are one to one with file names (17).

Items 5 and 12-16 (model loading, dataset reading) are tested with the model and
dataset code.
"""

import io
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from framing import api
from framing.cli import app
from framing.corpus.walk import LINK_OUT, iter_entries

GOOD = "The police said {n} officers attended the protest on Saturday.\n"


def make_corpus(folder: Path, count: int, text: str = GOOD) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"doc{n:05d}.txt").write_text(text.format(n=n), encoding="utf-8")
    return folder


def cli(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


# 3: links to files outside the folder.


def test_hostile_3_links_out_of_the_folder_are_not_read(model_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret password is swordfish, the officer said.\n")
    folder = make_corpus(tmp_path / "corpus", 1)
    (folder / "x.txt").symlink_to(secret)
    (folder / "p.txt").symlink_to("/proc/self/status")
    (folder / "inside.txt").symlink_to("doc00000.txt")  # inside: read

    result = cli(
        "score", folder, "--paragraphs", "--format", "jsonl", "--model", model_dir
    )
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["x.txt"]["error"] == rows["p.txt"]["error"] == LINK_OUT
    assert "swordfish" not in result.stdout and "VmRSS" not in result.stdout
    assert rows["inside.txt"]["text"] == GOOD.format(n=0).strip()
    assert result.exit_code == 3

    allowed = cli(
        "score",
        folder,
        "--paragraphs",
        "--format",
        "jsonl",
        "--follow-links",
        "--model",
        model_dir,
    )
    assert allowed.exit_code == 0, allowed.output
    assert "swordfish" in allowed.stdout


# 8: any depth.


def test_hostile_8_a_folder_1200_levels_deep_is_walked(model_dir, tmp_path):
    folders = [os.path.join(tmp_path, "corpus")]
    for _ in range(1200):  # pathlib and os.makedirs would recurse
        folders.append(os.path.join(folders[-1], "d"))
    for folder in folders:
        os.mkdir(folder)
    bottom = os.path.join(folders[-1], "bottom.txt")
    Path(bottom).write_text(GOOD.format(n=1))
    try:
        ids = [entry.id for entry in iter_entries(Path(folders[0]))]
        assert ids == ["d/" * 1200 + "bottom.txt"]
        stream = io.StringIO()
        summary = api.score(folders[0], stream=stream, model_dir=model_dir)
        assert summary["documents"] == 1 and summary["failed"] == 0
    finally:
        os.unlink(bottom)
        for folder in reversed(folders):  # shutil.rmtree would recurse too
            os.rmdir(folder)


# 17: ids are one to one with file names.


def test_hostile_17_undecodable_bytes_and_a_literal_escape_get_different_ids(
    model_dir, tmp_path
):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/a\xff.txt", "w") as handle:
        handle.write(GOOD.format(n=1))
    (folder / "a\\xff.txt").write_text(GOOD.format(n=2))
    (folder / "plain.txt").write_text(GOOD.format(n=3))
    ids = [entry.id for entry in iter_entries(folder)]
    assert ids == ["a\\\\xff.txt", "a\\xff.txt", "plain.txt"]
    assert len(set(ids)) == 3
