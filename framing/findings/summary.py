"""Label shares per group, with confidence intervals and counts.

For each head (stance, tone, ...) and each group (outlet, month, ... or all rows),
the share of rows with each label and a 95% interval for it.

The interval is Wilson's score interval on an effective sample size. Paragraphs of
one article are not independent (an article is written from one position), so
counting them as separate observations would make the intervals too narrow. The
variance of each share is estimated as that of a ratio over documents (the
cluster-robust variance of the share, documents being the clusters), and the
sample size is shrunk by the design effect it implies (Kish): n_eff = p(1-p) /
variance, between the number of documents and the number of rows. With one row
per document this is the plain Wilson interval on the number of documents.

Low-confidence labels (below `min_confidence`, or already "uncertain" in the
scores) are either counted as a label of their own, "uncertain" (separate), or
left out of the shares and counted apart (exclude).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from framing.errors import InputError
from framing.findings.groups import Keys
from framing.findings.scores import UNCERTAIN, ScoreRow, Scores

Z_95 = 1.959963984540054
HANDLING = ("separate", "exclude")


def wilson(share: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a share observed on n (effective) trials."""
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def clustered_interval(
    counts: Sequence[int], sizes: Sequence[int], z: float = Z_95
) -> tuple[float, float, float]:
    """(share, low, high) of a label over clusters (documents) that hold
    `sizes[j]` rows of which `counts[j]` have the label."""
    total = sum(sizes)
    if total == 0:
        return 0.0, 0.0, 1.0
    share = sum(counts) / total
    clusters = len(sizes)
    if clusters > 1:
        variance = (
            clusters
            / (clusters - 1)
            * sum((y - share * m) ** 2 for y, m in zip(counts, sizes))
            / total**2
        )
    else:
        variance = 0.0
    if variance > 0:
        effective = min(max(share * (1 - share) / variance, clusters), total)
    else:
        # No spread between documents: every document has the same share. With a
        # share of 0 or 1 in several documents that says little, so only the
        # documents count; within one document, its paragraphs do.
        effective = clusters if share in (0.0, 1.0) and clusters > 1 else total
    low, high = wilson(share, effective, z)
    return share, low, high


def _label(row: ScoreRow, head: str, min_confidence: float) -> str:
    label = row.labels.get(head) or ""
    if label == UNCERTAIN or row.confidence.get(head, 0.0) < min_confidence:
        return UNCERTAIN
    return label


def shares(
    rows: Sequence[ScoreRow],
    head: str,
    labels: Sequence[str],
    *,
    min_confidence: float = 0.0,
    uncertain: str = "separate",
) -> dict:
    """Counts, shares and intervals of each label of `head` in `labels` over
    `rows` (include "uncertain" in `labels` to count low-confidence labels)."""
    per_document: dict[str, dict[str, int]] = {}
    excluded = 0
    for row in rows:
        label = _label(row, head, min_confidence)
        if label == UNCERTAIN and uncertain == "exclude":
            excluded += 1
            continue
        counts = per_document.setdefault(row.id, {})
        counts[label] = counts.get(label, 0) + 1
    sizes = [sum(counts.values()) for counts in per_document.values()]
    names = list(labels)
    result: dict = {
        "n": sum(sizes),
        "documents": len(sizes),
        "excluded": excluded,
        "labels": {},
    }
    for name in names:
        label_counts = [c.get(name, 0) for c in per_document.values()]
        share, low, high = clustered_interval(label_counts, sizes)
        result["labels"][name] = {
            "count": sum(label_counts),
            "share": round(share, 4),
            "low": round(low, 4),
            "high": round(high, 4),
        }
    return result


@dataclass
class Summary:
    """Label shares of every head, overall and per group.

    `heads` maps each head to {"labels": [...], "overall": shares, "groups":
    [{"group": {key: value}, **shares}, ...]}, where shares are {"n",
    "documents", "excluded", "labels": {label: {"count", "share", "low",
    "high"}}}.
    """

    scores: str
    unit: str
    rows: int
    scored: int
    by: list[str]
    time_keys: list[str]
    min_confidence: float
    uncertain: str
    heads: dict[str, dict]
    keys: Keys = field(repr=False)
    scored_rows: list[ScoreRow] = field(repr=False)
    interval: str = (
        "95% Wilson score interval, sample size shrunk by the design effect of "
        "paragraphs clustered in documents"
    )

    @property
    def errors(self) -> int:
        return self.rows - self.scored

    def regroup(self, keys: Sequence[str]) -> dict[str, list[dict]]:
        """Shares grouped by other keys (a subset of `by`, for charts):
        {head: [{"group": {...}, **shares}, ...]}."""
        return {
            head: _grouped(
                self.scored_rows,
                self.keys,
                keys,
                head,
                data["labels"],
                min_confidence=self.min_confidence,
                uncertain=self.uncertain,
            )
            for head, data in self.heads.items()
        }

    def table(self) -> tuple[list[str], list[list]]:
        """One long table (header, rows): a row per group, head and label, easy
        to read into pandas or R."""
        header = [*self.by, "head", "label", "count", "n", "share", "ci_low"]
        header += ["ci_high", "documents", "excluded"]
        rows = []
        for head, data in self.heads.items():
            groups = data["groups"] if self.by else [{"group": {}, **data["overall"]}]
            for group in groups:
                for label, figures in group["labels"].items():
                    rows.append(
                        [
                            *(group["group"][key] for key in self.by),
                            head,
                            label,
                            figures["count"],
                            group["n"],
                            figures["share"],
                            figures["low"],
                            figures["high"],
                            group["documents"],
                            group["excluded"],
                        ]
                    )
        return header, rows

    def to_dict(self) -> dict:
        return {
            "scores": self.scores,
            "unit": self.unit,
            "rows": self.rows,
            "scored": self.scored,
            "errors": self.errors,
            "by": self.by,
            "min_confidence": self.min_confidence,
            "uncertain": self.uncertain,
            "interval": self.interval,
            "heads": self.heads,
        }


def _grouped(
    rows: Sequence[ScoreRow],
    key_of: Keys,
    keys: Sequence[str],
    head: str,
    labels: Sequence[str],
    *,
    min_confidence: float,
    uncertain: str,
) -> list[dict]:
    groups: dict[tuple[str, ...], list[ScoreRow]] = {}
    for row in rows:
        groups.setdefault(key_of.of(row, keys), []).append(row)
    return [
        {
            "group": dict(zip(keys, group)),
            **shares(
                groups[group],
                head,
                labels,
                min_confidence=min_confidence,
                uncertain=uncertain,
            ),
        }
        for group in sorted(groups)
    ]


def summarize_scores(
    scores: Scores,
    *,
    by: Sequence[str] = (),
    min_confidence: float = 0.0,
    uncertain: str = "separate",
    date_column: str = "date",
    day_first: bool | None = None,
) -> Summary:
    """Label shares of every head, overall and per group of `by` (see the
    module's docstring); groups are sorted by their values (periods in time
    order)."""
    if uncertain not in HANDLING:
        raise InputError(f"uncertain must be one of {', '.join(HANDLING)}")
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError("min_confidence must be between 0 and 1")
    keys = Keys(scores, by, date_column=date_column, day_first=day_first)
    rows = scores.scored
    if not rows:
        raise InputError(f"{scores.path} has no scored rows (every row has an error)")
    heads = {}
    for head, labels in scores.heads.items():
        labels = [label for label in labels if label != UNCERTAIN]
        # "uncertain" is a column of its own only when some label can be one.
        show = uncertain == "separate" and (
            min_confidence > 0 or any(row.labels[head] == UNCERTAIN for row in rows)
        )
        labels += [UNCERTAIN] if show else []
        heads[head] = {
            "labels": labels,
            "overall": shares(
                rows, head, labels, min_confidence=min_confidence, uncertain=uncertain
            ),
            "groups": _grouped(
                rows,
                keys,
                keys.keys,
                head,
                labels,
                min_confidence=min_confidence,
                uncertain=uncertain,
            )
            if keys.keys
            else [],
        }
    return Summary(
        scores=str(scores.path),
        unit="paragraphs" if scores.paragraphs else "documents",
        rows=len(scores.rows),
        scored=len(rows),
        by=list(keys.keys),
        time_keys=[key for key in keys.keys if keys.is_time(key)],
        min_confidence=min_confidence,
        uncertain=uncertain,
        heads=heads,
        keys=keys,
        scored_rows=rows,
    )
