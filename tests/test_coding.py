"""Coding sheets (framing.findings.coding): seeded and stratified samples, the
paragraphs most worth labelling next, `framing sample` and `framing suggest`, and
the loop score -> summarize -> sample -> suggest on a real corpus."""

import csv
import json
import math
from pathlib import Path

import pytest
from _scores import many_rows, score_row, write_scores
from typer.main import get_command

from framing.cli import app
from framing.errors import InputError
from framing.findings.coding import allocate, sample_rows, suggest_rows
from framing.findings.scores import read_scores

# Samples for hand-coding


def test_coding_sample_is_reproducible_and_seeded(tmp_path):
    scores = read_scores(write_scores(tmp_path / "s.csv", many_rows()))
    first, _ = sample_rows(scores, n=10, seed=1)
    again, _ = sample_rows(scores, n=10, seed=1)
    other, _ = sample_rows(scores, n=10, seed=2)
    assert [r.text for r in first] == [r.text for r in again]
    assert [r.text for r in first] != [r.text for r in other]
    assert len({r.text for r in first}) == 10


def test_coding_sample_stratified_in_proportion(tmp_path):
    scores = read_scores(write_scores(tmp_path / "s.csv", many_rows()))
    rows, strata = sample_rows(scores, n=12, stratify=["outlet"])
    assert strata == {("Herald",): (9, 45), ("Post",): (3, 15)}
    assert sum(r.metadata["outlet"] == "Post" for r in rows) == 3


def test_coding_sample_stratified_equally(tmp_path):
    scores = read_scores(write_scores(tmp_path / "s.csv", many_rows()))
    _rows, strata = sample_rows(scores, n=12, stratify=["stance"], allocation="equal")
    assert {key: drawn for key, (drawn, _available) in strata.items()} == {
        ("abolitionist",): 4,
        ("institutional",): 4,
        ("reformist",): 4,
    }


@pytest.mark.parametrize(
    ("sizes", "n", "allocation", "expected"),
    [
        ({"a": 50, "b": 30, "c": 20}, 10, "proportional", {"a": 5, "b": 3, "c": 2}),
        ({"a": 5, "b": 3, "c": 2}, 4, "proportional", {"a": 2, "b": 1, "c": 1}),
        ({"a": 100, "b": 2, "c": 50}, 12, "equal", {"a": 5, "b": 2, "c": 5}),
        ({"a": 3, "b": 2}, 10, "equal", {"a": 3, "b": 2}),
    ],
)
def test_coding_allocate(sizes, n, allocation, expected):
    assert allocate(sizes, n, allocation) == expected
    assert sum(allocate(sizes, n, allocation).values()) == min(n, sum(sizes.values()))


def test_coding_sample_offers_a_repeated_text_once_and_skips_coded(tmp_path):
    rows = [
        score_row("a", 0, "Standfirst repeated.", "reformist", "neutral"),
        score_row("b", 0, "Standfirst  repeated.", "reformist", "neutral"),
        score_row("b", 1, "Already coded.", "reformist", "neutral"),
        score_row("c", 0, "Fresh text.", "reformist", "neutral"),
    ]
    scores = read_scores(write_scores(tmp_path / "s.csv", rows))
    chosen, _ = sample_rows(scores, n=10, exclude=["already CODED."])
    assert sorted(r.text for r in chosen) == ["Fresh text.", "Standfirst repeated."]


def test_coding_sample_needs_paragraph_rows(tmp_path):
    header = [
        "id",
        "stance",
        "stance_confidence",
        "stance_reformist",
        "paragraphs",
        "warning",
        "error",
    ]
    scores = read_scores(
        write_scores(tmp_path / "d.csv", [["a", "reformist", 1, 1, 2, "", ""]], header)
    )
    with pytest.raises(InputError, match="framing score FOLDER --paragraphs"):
        sample_rows(scores, n=5)


# Suggestions


def test_coding_suggest_takes_uncertain_paragraphs_but_not_near_duplicates(tmp_path):
    rows = [
        # Three near-identical paragraphs the model is unsure of.
        score_row(
            "a",
            0,
            "Officers were sent to the protest in the city centre.",
            "reformist",
            "neutral",
            p=0.34,
        ),
        score_row(
            "a",
            1,
            "Officers were sent to the protest in the city centre today.",
            "reformist",
            "neutral",
            p=0.34,
        ),
        score_row(
            "b",
            0,
            "Officers were sent to the protest in the city centre again.",
            "reformist",
            "neutral",
            p=0.35,
        ),
        # A different paragraph, nearly as uncertain.
        score_row(
            "c",
            0,
            "The watchdog will publish its review of vetting.",
            "institutional",
            "neutral",
            p=0.4,
        ),
        # Paragraphs the model is sure of.
        *[
            score_row(
                f"d{i}",
                0,
                f"Abolish the police, part {i}.",
                "abolitionist",
                "hostile",
                p=0.95,
            )
            for i in range(5)
        ],
    ]
    scores = read_scores(write_scores(tmp_path / "s.csv", rows))
    chosen = suggest_rows(scores, n=3)
    texts = [row.text for row, _u, _s in chosen]
    assert texts[0] == rows[0][2]
    assert texts[1] == rows[3][2]  # not the near-duplicate of the first
    assert all(similarity < 0.8 for _r, _u, similarity in chosen)
    assert not {rows[1][2], rows[2][2]} <= set(texts)


def test_coding_suggest_skips_coded_paragraphs(tmp_path):
    scores = read_scores(write_scores(tmp_path / "s.csv", many_rows(12)))
    coded = {row.text for row in scores.rows[:6]}
    chosen = suggest_rows(scores, n=20, exclude=coded)
    assert not coded & {row.text for row, _u, _s in chosen}


def test_coding_suggest_paragraphs_without_words(tmp_path):
    """No paragraph has a word the similarity can use: none is a near-duplicate."""
    rows = [
        score_row("a", 0, "I — a ✊.", "reformist", "neutral", p=0.4),
        score_row("b", 0, "A ✊!", "reformist", "neutral", p=0.5),
        score_row("b", 1, "I.", "reformist", "neutral", p=0.6),
    ]
    scores = read_scores(write_scores(tmp_path / "s.csv", rows))
    chosen = suggest_rows(scores, n=2)
    assert [row.text for row, _u, _s in chosen] == ["I — a ✊.", "A ✊!"]
    assert [similarity for _r, _u, similarity in chosen] == [0.0, 0.0]


NEAR_DUPLICATES = [
    "Officers were sent to the protest in the city centre.",
    "Officers were sent to the protest in the city centre today.",
    "Officers were sent to the protest in the city centre again.",
]


def test_coding_suggest_looks_past_a_pool_of_near_duplicates(tmp_path):
    rows = [
        *(
            score_row("a", i, t, "reformist", "neutral", p=0.34)
            for i, t in enumerate(NEAR_DUPLICATES)
        ),
        score_row(
            "b", 0, "The watchdog will publish a review.", "reformist", "neutral", p=0.9
        ),
    ]
    scores = read_scores(write_scores(tmp_path / "s.csv", rows))
    chosen = suggest_rows(scores, n=2, pool=3)
    texts = [row.text for row, _u, _s in chosen]
    assert texts == [NEAR_DUPLICATES[0], "The watchdog will publish a review."]


def read_sheet(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_coding_cli_sample_writes_a_coding_sheet(runner, tmp_path):
    scores = write_scores(tmp_path / "s.csv", many_rows())
    out = tmp_path / "tocode.csv"
    result = runner.invoke(
        app,
        ["sample", str(scores), "--n", "12", "--stratify", "outlet", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote 12 paragraphs to {out} (seed 0)\n"
    assert "Post" in result.stdout  # the strata table
    sheet = read_sheet(out)
    assert sheet[0] == ["id", "paragraph", "text", "stance", "tone", "outlet", "date"]
    assert len(sheet) == 13
    assert all(row[3] == row[4] == "" for row in sheet[1:])


def test_coding_cli_sample_shows_labels_on_request_and_writes_xlsx(runner, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    scores = write_scores(tmp_path / "s.csv", many_rows())
    out = tmp_path / "tocode.xlsx"
    result = runner.invoke(
        app, ["sample", str(scores), "-n", "5", "--show-labels", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][-4:] == (
        "model_stance",
        "model_stance_confidence",
        "model_tone",
        "model_tone_confidence",
    )
    assert len(rows) == 6


def test_coding_cli_sample_will_not_overwrite_a_coding_sheet(runner, tmp_path):
    scores = write_scores(tmp_path / "s.csv", many_rows())
    out = tmp_path / "tocode.csv"
    out.write_text("id,paragraph,text,stance,tone\na,0,x,reformist,neutral\n")
    result = runner.invoke(app, ["sample", str(scores), "--out", str(out)])
    assert result.exit_code == 1
    assert "pass --force to overwrite it" in result.stderr
    assert "reformist" in out.read_text()
    forced = runner.invoke(app, ["sample", str(scores), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output


@pytest.mark.parametrize("command", ["sample", "suggest"])
@pytest.mark.parametrize("target", ["scores", "link", "other path", "exclude"])
def test_coding_cli_will_not_write_over_its_inputs(runner, tmp_path, command, target):
    scores = write_scores(tmp_path / "s.csv", many_rows())
    coded = tmp_path / "tocode.csv"
    runner.invoke(app, ["sample", str(scores), "-n", "5", "--out", str(coded)])
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(scores)
    out = {
        "scores": scores,
        "link": tmp_path / "link.csv",
        "other path": tmp_path / "sub" / ".." / "s.csv",
        "exclude": coded,
    }[target]
    before = scores.read_bytes(), coded.read_bytes()
    result = runner.invoke(
        app,
        [command, str(scores), "-n", "3", "--exclude", str(coded), "--out", str(out)]
        + ["--force"],
    )
    assert result.exit_code == 1, result.output
    assert "is the same file as the input" in result.stderr
    assert "give another --out" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert (scores.read_bytes(), coded.read_bytes()) == before


def test_coding_cli_suggest_same_sheet_shape_and_excludes(runner, tmp_path):
    scores = write_scores(tmp_path / "s.csv", many_rows())
    first, second = tmp_path / "tocode.csv", tmp_path / "next.csv"
    runner.invoke(app, ["sample", str(scores), "-n", "20", "--out", str(first)])
    result = runner.invoke(
        app,
        [
            "suggest",
            str(scores),
            "-n",
            "10",
            "--exclude",
            str(first),
            "--out",
            str(second),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote 10 paragraphs to {second} (mean")
    sampled, suggested = read_sheet(first), read_sheet(second)
    assert suggested[0] == sampled[0]
    assert not {r[2] for r in sampled[1:]} & {r[2] for r in suggested[1:]}


def test_coding_cli_says_when_it_writes_fewer_than_asked(runner, tmp_path):
    scores = write_scores(tmp_path / "s.csv", many_rows())
    out, coded = tmp_path / "all.csv", tmp_path / "tocode.csv"
    runner.invoke(app, ["sample", str(scores), "-n", "20", "--out", str(coded)])
    result = runner.invoke(
        app, ["sample", str(scores), "-n", "1000", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Wrote 60 of the 1000 paragraphs asked to {out} (seed 0): only 60 "
        "paragraphs are available\n"
    )
    result = runner.invoke(
        app,
        ["sample", str(scores), "-n", "1000", "--exclude", str(coded), "--out"]
        + [str(out), "--force"],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Wrote 40 of the 1000 paragraphs asked to {out} (seed 0): only 40 "
        "paragraphs are left after --exclude\n"
    )


def test_coding_cli_suggest_says_when_the_rest_are_near_duplicates(runner, tmp_path):
    rows = [
        score_row("a", i, text, "reformist", "neutral", p=0.34)
        for i, text in enumerate(NEAR_DUPLICATES)
    ]
    scores = write_scores(tmp_path / "s.csv", rows)
    out = tmp_path / "next.csv"
    result = runner.invoke(app, ["suggest", str(scores), "-n", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote 1 of the 3 paragraphs asked to {out}")
    assert result.stderr.endswith(": the other 2 are near-duplicates of those chosen\n")


def test_coding_cli_suggest_exclude_needs_a_text_column(runner, tmp_path):
    scores = write_scores(tmp_path / "s.csv", many_rows())
    other = tmp_path / "other.csv"
    other.write_text("body\nx\n")
    result = runner.invoke(
        app,
        [
            "suggest",
            str(scores),
            "--exclude",
            str(other),
            "--out",
            str(tmp_path / "n.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "has no 'text' column" in result.stderr


def test_coding_score_sample_suggest_summarize_end_to_end(runner, tiny_model, tmp_path):
    """The loop on a small corpus with the real `score` output."""
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = [
        "Abolish the police now: the police cannot be reformed, only ended.",
        "Campaigners said the force needs independent oversight and better training.",
        "The chief constable praised officers for keeping the public safe.",
        "Police said the report would be published on Monday.",
    ]
    for i in range(6):
        body = "\n\n".join(
            f"{texts[(i + j) % 4]} Article {i}, part {j}." for j in range(4)
        )
        (folder / f"a{i}.txt").write_text(f"Headline {i}\n\n{body}\n")
    scores = tmp_path / "scores.csv"
    result = runner.invoke(
        app,
        [
            "score",
            str(folder),
            "--paragraphs",
            "--model",
            str(tiny_model),
            "--out",
            str(scores),
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    tocode = tmp_path / "tocode.csv"
    result = runner.invoke(
        app,
        [
            "sample",
            str(scores),
            "-n",
            "8",
            "--stratify",
            "stance",
            "--out",
            str(tocode),
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = read_sheet(tocode)
    assert sheet[0] == ["id", "paragraph", "text", "stance", "tone", "title", "date"]
    assert len(sheet) == 9
    assert all(row[0].endswith(".txt") and row[2] for row in sheet[1:])
    nxt = tmp_path / "next.csv"
    result = runner.invoke(
        app,
        [
            "suggest",
            str(scores),
            "-n",
            "5",
            "--exclude",
            str(tocode),
            "--out",
            str(nxt),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(read_sheet(nxt)) == 6
    result = runner.invoke(app, ["summarize", str(scores), "--by", "stance", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 30 and summary["errors"] == 0
    total = sum(
        f["share"] for f in summary["heads"]["tone"]["overall"]["labels"].values()
    )
    assert math.isclose(total, 1.0, abs_tol=1e-3)


@pytest.mark.parametrize("name", ["summarize", "sample", "suggest"])
def test_coding_commands_have_help_and_appear_in_readme(name):
    command = get_command(app).commands[name]
    assert command.help and command.help.strip()
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert f"framing {name}" in readme
