"""Paragraphs for hand-coding: a seeded random (optionally stratified) sample,
and the paragraphs most worth labelling next.

Both give rows of the same shape, the coding sheet: `id` (the document),
`paragraph`, `text`, an empty column per head (stance, tone, ...) for the coder,
then the scores' metadata columns (outlet, date, ...). The model's labels are
left out unless asked for (then `model_<head>` and `model_<head>_confidence`
come last), so that coders are not anchored by them. Once filled in, the sheet
is labelled data for `framing train` and `framing evaluate --data`.

Only scored paragraphs with text can be chosen, and a text that occurs more than
once (a standfirst repeated across articles) is offered once.
"""

import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from framing.errors import InputError
from framing.findings.groups import Keys
from framing.findings.scores import ScoreRow, Scores, unguard

ALLOCATIONS = ("proportional", "equal")
SIMILARITY_LIMIT = 0.8


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def eligible(scores: Scores, exclude: Iterable[str] = ()) -> list[ScoreRow]:
    """Scored paragraph rows with a text, each text once, in file order, without
    the texts in `exclude` (already coded)."""
    if not scores.paragraphs:
        raise InputError(
            f"{scores.path} has a row per document; paragraphs are needed: run "
            "framing score FOLDER --paragraphs --out FILE"
        )
    seen = {_norm(text) for text in exclude}
    rows = []
    for row in scores.scored:
        if row.text and row.paragraph is not None:
            key = _norm(row.text)
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return rows


def coding_header(scores: Scores, *, show_labels: bool = False) -> list[str]:
    header = ["id", "paragraph", "text", *scores.heads, *scores.metadata_columns]
    if show_labels:
        for head in scores.heads:
            header += [f"model_{head}", f"model_{head}_confidence"]
    return header


def coding_row(row: ScoreRow, scores: Scores, *, show_labels: bool = False) -> list:
    cells: list = [row.id, row.paragraph, row.text]
    cells += [""] * len(scores.heads)
    cells += [row.metadata.get(name, "") for name in scores.metadata_columns]
    if show_labels:
        for head in scores.heads:
            cells += [row.labels[head], row.confidence[head]]
    return cells


def allocate(sizes: dict[tuple, int], n: int, allocation: str) -> dict[tuple, int]:
    """How many rows to draw from each stratum: in proportion to its size
    (largest remainders), or as equal as the strata's sizes allow."""
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    order = sorted(sizes)
    if allocation == "proportional":
        quotas = {key: n * sizes[key] / total for key in order}
        taken = {key: int(quotas[key]) for key in order}
        left = n - sum(taken.values())
        by_remainder = sorted(order, key=lambda k: -(quotas[k] - taken[k]))
        for key in by_remainder[:left]:
            taken[key] += 1
        return taken
    taken = dict.fromkeys(order, 0)
    left = n
    open_keys = [key for key in order if sizes[key] > 0]
    while left > 0 and open_keys:
        share = max(1, left // len(open_keys))
        for key in list(open_keys):
            step = min(share, sizes[key] - taken[key], left)
            taken[key] += step
            left -= step
            if taken[key] == sizes[key]:
                open_keys.remove(key)
            if left == 0:
                break
    return taken


def sample_rows(
    scores: Scores,
    *,
    n: int,
    stratify: Sequence[str] = (),
    seed: int = 0,
    allocation: str = "proportional",
    exclude: Iterable[str] = (),
    day_first: bool | None = None,
) -> tuple[list[ScoreRow], dict[tuple, tuple[int, int]]]:
    """A seeded random sample of `n` paragraphs, in random order, and for each
    stratum (a tuple of values of `stratify`) (rows drawn, rows available)."""
    if n < 1:
        raise InputError(f"the sample size must be at least 1; got {n}")
    if allocation not in ALLOCATIONS:
        raise InputError(f"allocation must be one of {', '.join(ALLOCATIONS)}")
    keys = Keys(scores, stratify, day_first=day_first)
    rows = eligible(scores, exclude)
    if not rows:
        raise InputError(f"{scores.path} has no scored paragraphs to sample")
    strata: dict[tuple, list[ScoreRow]] = {}
    for row in rows:
        strata.setdefault(keys.of(row) if stratify else (), []).append(row)
    counts = allocate({k: len(v) for k, v in strata.items()}, n, allocation)
    rng = random.Random(seed)
    chosen: list[ScoreRow] = []
    for key in sorted(strata):
        chosen += rng.sample(strata[key], counts[key])
    rng.shuffle(chosen)
    return chosen, {key: (counts[key], len(strata[key])) for key in sorted(strata)}


def _margin_uncertainty(row: ScoreRow) -> float:
    """Mean over heads of 1 - (top probability - second): 0 when the model is
    sure, 1 when its two best labels are tied."""
    values = []
    for probabilities in row.probabilities.values():
        top = sorted(probabilities.values(), reverse=True) + [0.0, 0.0]
        values.append(1.0 - (top[0] - top[1]))
    return sum(values) / len(values) if values else 0.0


def suggest_rows(
    scores: Scores,
    *,
    n: int,
    exclude: Iterable[str] = (),
    pool: int | None = None,
    similarity_limit: float = SIMILARITY_LIMIT,
) -> list[tuple[ScoreRow, float, float]]:
    """The `n` paragraphs most worth labelling next, as (row, uncertainty,
    highest similarity to one chosen before it).

    Uncertainty: how close the model's two best labels are, averaged over heads.
    Diversity: candidates are taken greedily by uncertainty x (1 - their highest
    TF-IDF cosine similarity to those already chosen), and a candidate at
    `similarity_limit` or above to one already chosen (a near-duplicate) is never
    taken. Only the `pool` most uncertain candidates are considered (default: ten
    times n, at least 500), unless they give fewer than n: then all are.
    """
    if n < 1:
        raise InputError(f"the number of paragraphs must be at least 1; got {n}")
    rows = eligible(scores, exclude)
    if not rows:
        raise InputError(f"{scores.path} has no scored paragraphs left to suggest")
    uncertainty = [_margin_uncertainty(row) for row in rows]
    ranked = sorted(range(len(rows)), key=lambda i: -uncertainty[i])
    size = pool or max(10 * n, 500)
    chosen = _diverse(rows, ranked[:size], uncertainty, n, similarity_limit)
    if len(chosen) < n and size < len(ranked):
        # The pool ran out of paragraphs that are not near-duplicates: look
        # through the whole file before giving fewer than asked.
        chosen = _diverse(rows, ranked, uncertainty, n, similarity_limit)
    return chosen


def _diverse(
    rows: list[ScoreRow],
    ranked: list[int],
    uncertainty: list[float],
    n: int,
    similarity_limit: float,
) -> list[tuple[ScoreRow, float, float]]:
    """Up to `n` of the `ranked` rows, taken greedily as suggest_rows says."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [rows[i].text or "" for i in ranked]
    try:
        matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(
            texts
        )
    except ValueError:
        # No text has a word of two letters ("I — a ✊."): with no features,
        # every paragraph is dissimilar to every other.
        matrix = csr_matrix((len(texts), 1))
    weight = np.array([uncertainty[i] for i in ranked])
    closest = np.zeros(len(ranked))
    available = np.ones(len(ranked), dtype=bool)
    chosen: list[tuple[ScoreRow, float, float]] = []
    while len(chosen) < n:
        score = np.where(
            available & (closest < similarity_limit), weight * (1 - closest), -1.0
        )
        best = int(np.argmax(score))
        if score[best] < 0:
            break  # every candidate left is a near-duplicate of a chosen one
        row_index = ranked[best]
        chosen.append((rows[row_index], float(weight[best]), float(closest[best])))
        available[best] = False
        similarity = (matrix @ matrix[best].T).toarray().ravel()
        closest = np.maximum(closest, similarity)
    return chosen


def shortfall(asked: int, got: int, available: int, excluded: bool) -> str | None:
    """Why fewer paragraphs than asked were chosen, in a few words (None if not):
    too few paragraphs, or near-duplicates of those chosen (suggest)."""
    if got >= asked:
        return None
    reasons = []
    if available < asked:
        left = "left after --exclude" if excluded else "available"
        reasons.append(f"only {available} paragraphs are {left}")
    if got < available:
        reasons.append(
            f"the other {available - got} are near-duplicates of those chosen"
        )
    return ", and ".join(reasons)


def coded_texts(paths: Sequence[Path | str]) -> list[str]:
    """The texts of coding sheets already written (to leave them out)."""
    from framing.corpus.tables import open_table

    texts = []
    for path in paths:
        try:
            table = open_table(path, text_column="text")
        except InputError as exc:
            if "for --text-column" not in str(exc):
                raise
            raise InputError(
                f"{path} has no 'text' column; give coding sheets written by "
                "framing sample or framing suggest"
            ) from None
        texts += [unguard(record.text) for record in table if record.text]
    return texts
