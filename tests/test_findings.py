"""From scores to findings (framing.findings): reading scores files, label shares
with intervals, charts and pages, and `framing summarize`."""

import csv
import json

import pytest
from _scores import STANCES, TONES, score_row, write_scores

from framing.cli import app
from framing.errors import InputError, OutputError
from framing.findings.scores import read_scores, unguard
from framing.findings.summary import clustered_interval, summarize_scores, wilson

# Two outlets over two months: the Herald's paragraphs are mostly institutional,
# the Post's mostly abolitionist; one file failed to score.
CORPUS = [
    score_row(
        "h1",
        0,
        "The chief praised officers.",
        "institutional",
        "supportive",
        "Herald",
        "2024-03-02",
    ),
    score_row(
        "h1",
        1,
        "The force will recruit more.",
        "institutional",
        "neutral",
        "Herald",
        "2024-03-02",
    ),
    score_row(
        "h2",
        0,
        "An inquiry found failings.",
        "reformist",
        "critical",
        "Herald",
        "2024-04-15",
    ),
    score_row(
        "h2",
        1,
        "Officers said morale was good.",
        "institutional",
        "neutral",
        "Herald",
        "2024-04-15",
        p=0.4,
    ),
    score_row(
        "p1",
        0,
        "Abolish the police now.",
        "abolitionist",
        "hostile",
        "Post",
        "2024-03-20",
    ),
    score_row(
        "p1",
        1,
        "The police cannot be reformed.",
        "abolitionist",
        "hostile",
        "Post",
        "2024-03-20",
    ),
    score_row(
        "p2",
        0,
        "Defund them and fund care.",
        "abolitionist",
        "critical",
        "Post",
        "2024-04-01",
    ),
    score_row("p3", None, "", "", "", "Post", "2024-04-02", error="empty file"),
]


@pytest.fixture
def scores_csv(tmp_path):
    return write_scores(tmp_path / "scores.csv", CORPUS)


def stance_shares(summary, group=None):
    data = summary.heads["stance"]
    block = (
        data["overall"]
        if group is None
        else next(g for g in data["groups"] if g["group"] == group)
    )
    return {label: f["count"] for label, f in block["labels"].items()}, block["n"]


# Reading scores


def test_findings_read_scores_finds_heads_metadata_and_errors(scores_csv):
    scores = read_scores(scores_csv)
    assert scores.heads == {"stance": STANCES, "tone": TONES}
    assert scores.metadata_columns == ["outlet", "date"]
    assert scores.paragraphs
    assert len(scores.rows) == 8 and len(scores.scored) == 7
    first = scores.rows[0]
    assert (first.id, first.paragraph, first.text) == ("h1", 0, CORPUS[0][2])
    assert first.labels == {"stance": "institutional", "tone": "supportive"}
    assert first.probabilities["stance"] == pytest.approx(
        {"abolitionist": 0.1, "institutional": 0.8, "reformist": 0.1}
    )
    assert first.metadata == {"outlet": "Herald", "date": "2024-03-02"}
    assert scores.rows[-1].error == "empty file"


def test_findings_read_scores_removes_the_formula_guard(tmp_path):
    row = score_row("'=doc", 0, "'-the force said", "reformist", "neutral", "'@outlet")
    scores = read_scores(write_scores(tmp_path / "s.csv", [row]))
    assert (scores.rows[0].id, scores.rows[0].text) == ("=doc", "-the force said")
    assert scores.rows[0].metadata["outlet"] == "@outlet"
    assert unguard("'quoted'") == "'quoted'"


def test_findings_read_scores_from_json_lines(tmp_path):
    record = {
        "id": "a.txt",
        "paragraph": 0,
        "text": "Police said.",
        "stance": {
            "label": "reformist",
            "confidence": 0.6,
            "scores": {"abolitionist": 0.1, "institutional": 0.3, "reformist": 0.6},
        },
        "tone": {"label": "neutral", "confidence": 0.9, "scores": {"neutral": 0.9}},
        "warning": None,
        "error": None,
        "outlet": "Herald",
    }
    failed = {
        "id": "b.txt",
        "paragraph": None,
        "text": None,
        "stance": None,
        "tone": None,
        "warning": None,
        "error": "empty file",
        "outlet": None,
    }
    path = tmp_path / "scores.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(failed) + "\n")
    scores = read_scores(path)
    assert scores.heads == {"stance": STANCES, "tone": ["neutral"]}
    assert scores.metadata_columns == ["outlet"]
    assert [row.labels["stance"] for row in scores.rows] == ["reformist", ""]
    assert len(scores.scored) == 1


def test_findings_a_carried_column_named_like_a_label_column_stays_metadata(
    tmp_path,
):
    """framing score carries a table's columns after the id: one named
    `tone_of_voice` was read as a label `of_voice` of the tone column."""
    path = tmp_path / "scores.csv"
    header = ["id", "tone_of_voice", "paragraph", "text", "tone", "tone_confidence",
              "tone_neutral", "tone_hostile", "warning", "error"]  # fmt: skip
    row = ["a.txt", "formal", "0", "Police said.", "neutral", "0.9", "0.9", "0.1"]
    path.write_text(",".join(header) + "\n" + ",".join(row + ["", ""]) + "\n")
    scores = read_scores(path)
    assert scores.heads == {"tone": ["neutral", "hostile"]}
    assert scores.metadata_columns == ["tone_of_voice"]
    assert scores.rows[0].metadata == {"tone_of_voice": "formal"}


def test_findings_dates_that_cannot_be_read_are_counted(tmp_path):
    """A date written in no way framing reads goes under "(no date)", and the
    summary's keys count such rows, with one as an example, for the note."""
    from framing.findings.groups import Keys

    dates = ["2024/01/05", "13-04-2024", "2024-02-30", "n/a", ""]
    rows = [score_row(f"d{n}.txt", 0, "Police said.", "reformist", "neutral")
            for n in range(len(dates))]  # fmt: skip
    path = write_scores(tmp_path / "s.csv", rows)
    text = path.read_text(encoding="utf-8-sig").splitlines()
    text[0] += ",date"
    text[1:] = [line + f",{date}" for line, date in zip(text[1:], dates)]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    keys = Keys(read_scores(path), ["month"])
    months = [keys.value(row, "month") for row in read_scores(path).rows]
    assert months == ["2024-01", "2024-04", "(no date)", "(no date)", "(no date)"]
    assert (keys.unread_dates, keys.unread_example) == (2, "2024-02-30")


def test_findings_read_scores_that_are_not_scores(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("text,stance\nPolice said.,reformist\n")
    with pytest.raises(InputError, match="is not a scores file"):
        read_scores(path)
    with pytest.raises(InputError, match="no such file"):
        read_scores(tmp_path / "gone.csv")


@pytest.mark.parametrize("name, fix", [("s.csv", "CSV UTF-8"), ("s.jsonl", "UTF-8")])
def test_findings_read_scores_that_are_not_utf8_say_so(tmp_path, name, fix):
    """Scores saved by a spreadsheet in Windows-1252 (a pound sign in a
    paragraph, say) are the user's to fix, not "unexpected" (and no traceback)."""
    path = tmp_path / name
    if name.endswith(".csv"):
        row = score_row("a.txt", 0, "It cost £5m, police said.", "reformist", "x")
        text = write_scores(path, [row]).read_text(encoding="utf-8-sig")
    else:
        text = json.dumps({"id": "a.txt", "text": "It cost £5m."}, ensure_ascii=False)
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(InputError, match=f"is not UTF-8; save it as {fix}$"):
        read_scores(path)


# Intervals


def test_findings_wilson_interval_known_values():
    low, high = wilson(0.5, 100)
    assert (round(low, 3), round(high, 3)) == (0.404, 0.596)
    assert wilson(0.0, 10)[0] == 0.0 and round(wilson(0.0, 10)[1], 3) == 0.278


def test_findings_one_row_per_document_is_the_plain_wilson_interval():
    counts = [1] * 30 + [0] * 70
    share, low, high = clustered_interval(counts, [1] * 100)
    assert share == 0.3
    assert (low, high) == pytest.approx(wilson(0.3, 100))


def test_findings_paragraphs_clustered_in_documents_widen_the_interval():
    # Ten documents of ten paragraphs: three documents all abolitionist, seven
    # none. 30 of 100 paragraphs, but really 3 of 10 documents.
    counts, sizes = [10] * 3 + [0] * 7, [10] * 10
    share, low, high = clustered_interval(counts, sizes)
    naive_low, naive_high = wilson(0.3, 100)
    assert share == 0.3
    assert high - low > 1.8 * (naive_high - naive_low)
    assert (low, high) == pytest.approx(wilson(0.3, 10), abs=0.03)


def test_findings_share_of_zero_in_few_documents_counts_documents():
    share, low, high = clustered_interval([0, 0], [50, 50])
    assert (share, low) == (0.0, 0.0)
    assert high == pytest.approx(wilson(0.0, 2)[1])


# Summaries


def test_findings_summary_counts_per_outlet_and_month(scores_csv):
    summary = summarize_scores(read_scores(scores_csv), by=["outlet", "month"])
    assert summary.unit == "paragraphs" and summary.errors == 1
    groups = [g["group"] for g in summary.heads["stance"]["groups"]]
    assert groups == [
        {"outlet": "Herald", "month": "2024-03"},
        {"outlet": "Herald", "month": "2024-04"},
        {"outlet": "Post", "month": "2024-03"},
        {"outlet": "Post", "month": "2024-04"},
    ]
    assert stance_shares(summary, {"outlet": "Herald", "month": "2024-04"}) == (
        {"abolitionist": 0, "institutional": 1, "reformist": 1},
        2,
    )
    assert stance_shares(summary) == (
        {"abolitionist": 3, "institutional": 3, "reformist": 1},
        7,
    )
    overall = summary.heads["stance"]["overall"]
    assert overall["documents"] == 4
    assert overall["labels"]["abolitionist"]["share"] == round(3 / 7, 4)
    low, high = (overall["labels"]["abolitionist"][k] for k in ("low", "high"))
    assert low < 3 / 7 < high


def test_findings_low_confidence_is_separate_or_excluded(scores_csv):
    scores = read_scores(scores_csv)
    separate = summarize_scores(scores, by=["outlet"], min_confidence=0.5)
    assert stance_shares(separate, {"outlet": "Herald"}) == (
        {"abolitionist": 0, "institutional": 2, "reformist": 1, "uncertain": 1},
        4,
    )
    excluded = summarize_scores(
        scores, by=["outlet"], min_confidence=0.5, uncertain="exclude"
    )
    herald = excluded.heads["stance"]["groups"][0]
    assert stance_shares(excluded, {"outlet": "Herald"}) == (
        {"abolitionist": 0, "institutional": 2, "reformist": 1},
        3,
    )
    assert herald["excluded"] == 1


def test_findings_uncertain_labels_in_the_scores_are_their_own_column(tmp_path):
    rows = [
        score_row("a", 0, "One.", "reformist", "neutral"),
        score_row("a", 1, "Two.", "uncertain", "neutral"),
    ]
    summary = summarize_scores(read_scores(write_scores(tmp_path / "s.csv", rows)))
    assert summary.heads["stance"]["labels"] == [*STANCES, "uncertain"]
    assert summary.heads["tone"]["labels"] == TONES
    assert stance_shares(summary)[0]["uncertain"] == 1


def test_findings_summary_by_a_label_column(scores_csv):
    summary = summarize_scores(read_scores(scores_csv), by=["stance"])
    tone = summary.heads["tone"]["groups"]
    assert [g["group"]["stance"] for g in tone] == STANCES
    assert tone[0]["labels"]["hostile"]["count"] == 2


@pytest.mark.parametrize(
    ("dates", "day_first", "months"),
    [
        (["13/03/2024", "01/04/2024"], None, ["2024-03", "2024-04"]),  # day first
        (["03/13/2024", "04/01/2024"], None, ["2024-03", "2024-04"]),  # month first
        (["01/03/2024", "02/04/2024"], True, ["2024-03", "2024-04"]),
        (["March 2, 2024", "2 April 2024"], None, ["2024-03", "2024-04"]),
        (["2024-03-02", "sometime"], None, ["(no date)", "2024-03"]),
    ],
)
def test_findings_months_from_dates_as_exports_write_them(
    tmp_path, dates, day_first, months
):
    rows = [
        score_row(f"d{i}", 0, f"Text {i}.", "reformist", "neutral", "X", date)
        for i, date in enumerate(dates)
    ]
    scores = read_scores(write_scores(tmp_path / "s.csv", rows))
    summary = summarize_scores(scores, by=["month"], day_first=day_first)
    assert [g["group"]["month"] for g in summary.heads["stance"]["groups"]] == months


def test_findings_ambiguous_dates_ask_for_day_or_month_first(tmp_path):
    rows = [score_row("d", 0, "Text.", "reformist", "neutral", "X", "05/04/2024")]
    scores = read_scores(write_scores(tmp_path / "s.csv", rows))
    with pytest.raises(InputError, match="--day-first or --month-first"):
        summarize_scores(scores, by=["month"])
    assert summarize_scores(scores, by=["week"], day_first=False).heads["stance"][
        "groups"
    ][0]["group"] == {"week": "2024-W18"}


def test_findings_grouping_by_a_missing_column_names_the_columns(scores_csv):
    with pytest.raises(InputError, match="no column 'section' to group by; use one"):
        summarize_scores(read_scores(scores_csv), by=["section"])


def test_findings_summary_table_is_long(scores_csv):
    summary = summarize_scores(read_scores(scores_csv), by=["outlet"])
    header, rows = summary.table()
    assert header == [
        "outlet",
        "head",
        "label",
        "count",
        "n",
        "share",
        "ci_low",
        "ci_high",
        "documents",
        "excluded",
    ]
    assert len(rows) == 2 * (3 + 4)  # outlets x (stance labels + tone labels)
    assert rows[0][:6] == ["Herald", "stance", "abolitionist", 0, 4, 0.0]


def test_findings_document_scores_are_summarised_per_document(tmp_path):
    header = [
        "id",
        "stance",
        "stance_confidence",
        *(f"stance_{s}" for s in STANCES),
        "paragraphs",
        "warning",
        "error",
        "outlet",
    ]
    rows = [
        ["a.txt", "reformist", 0.7, 0.1, 0.2, 0.7, 3, "", "", "Herald"],
        ["b.txt", "abolitionist", 0.9, 0.9, 0.05, 0.05, 5, "", "", "Post"],
    ]
    scores = read_scores(write_scores(tmp_path / "docs.csv", rows, header))
    summary = summarize_scores(scores, by=["outlet"])
    assert summary.unit == "documents"
    assert summary.heads["stance"]["overall"]["n"] == 2


# The commands


def test_findings_cli_summarize_table_csv_and_report(runner, scores_csv, tmp_path):
    out, report = tmp_path / "summary.csv", tmp_path / "report"
    result = runner.invoke(
        app,
        [
            "summarize",
            str(scores_csv),
            "--by",
            "outlet,month",
            "--out",
            str(out),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "stance: share of paragraphs (95% interval)" in result.stdout
    assert "1 rows with an error were left out" in result.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["outlet"] == "Herald" and rows[0]["month"] == "2024-03"
    names = sorted(p.name for p in report.iterdir())
    assert names == [
        "stance-over-time.png",
        "stance-shares.png",
        "summary.csv",
        "summary.html",
        "summary.md",
        "tone-over-time.png",
        "tone-shares.png",
    ]
    assert (report / "stance-shares.png").read_bytes()[:4] == b"\x89PNG"
    markdown = (report / "summary.md").read_text()
    assert "![stance](stance-shares.png)" in markdown
    assert "| Herald | 2024-03 | 2 | 1 |" in markdown
    assert "data:image/png;base64," in (report / "summary.html").read_text()
    # Again without a period: the charts over time of the first run would sit
    # in the folder, unlinked, looking current.
    result = runner.invoke(
        app, ["summarize", str(scores_csv), "--by", "outlet", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert not list(report.glob("*-over-time.png"))


def test_findings_cli_summarize_json_and_html_escaping(runner, tmp_path):
    rows = [score_row("a", 0, "Text.", "reformist", "neutral", "<script>x</script>")]
    path = write_scores(tmp_path / "s.csv", rows)
    report = tmp_path / "r"
    result = runner.invoke(
        app,
        ["summarize", str(path), "--by", "outlet", "--json", "--report", str(report)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["heads"]["stance"]["groups"][0]["group"] == {
        "outlet": "<script>x</script>"
    }
    page = (report / "summary.html").read_text()
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--by", "section"], 1, "no column 'section' to group by"),
        (["--low-confidence", "drop"], 2, "--low-confidence must be"),
        (["--out", "summary.pdf"], 2, "name the file .csv, .tsv or .xlsx"),
    ],
)
def test_findings_cli_summarize_errors(
    runner, scores_csv, tmp_path, args, code, message
):
    result = runner.invoke(app, ["summarize", str(scores_csv), *args])
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr


def test_findings_api_summarize_checks_the_output_before_reading(scores_csv, tmp_path):
    from framing.api import summarize

    folder_file = tmp_path / "file"
    folder_file.write_text("x")
    with pytest.raises(OutputError, match="is a file; give a folder"):
        summarize(scores_csv, report_dir=folder_file)


def test_findings_report_without_matplotlib_names_the_extra(
    scores_csv, tmp_path, monkeypatch
):
    import sys

    from framing.api import summarize

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(OutputError, match=r"pip install 'framing\[report\]'"):
        summarize(scores_csv, report_dir=tmp_path / "report")
    assert not (tmp_path / "report").exists()
