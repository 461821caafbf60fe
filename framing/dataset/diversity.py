"""Checks that a class is not learnable from a few signature words, and that no
paragraph is a near-copy of another (or reuses a seed sentence).

Pure functions over lists of strings and labels; `diversity_markdown` renders.
"""

import re

import numpy as np

from framing.codebook import TRAINING_ONLY_SOURCE
from framing.dataset.registers import BOUND_REGISTERS

TOP_NGRAMS = 10
NEAR_DUPLICATE_COSINE = 0.8
SHARED_RUN_WORDS = 8
# The shortcut checks (issue: data designed so that shortcuts cannot work).
MAX_SIGNATURE_SHARE = 0.40
MAX_SHORTCUT_GAIN = 0.05
SHORTCUT_FOLDS = 5
SHORTCUT_P = 0.001
_WORD = re.compile(r"(?u)\b\w+\b")


def strongest_ngrams(texts: list[str], labels: list[str], top: int = TOP_NGRAMS):
    """Per class: its `top` n-grams by chi-squared association (over-represented in
    the class only), the share of the class's paragraphs containing at least one,
    and the same share among the other classes' paragraphs."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.feature_selection import chi2

    vectorizer = CountVectorizer(ngram_range=(1, 2), min_df=3, binary=True)
    matrix = vectorizer.fit_transform(texts)
    names = vectorizer.get_feature_names_out()
    labels_arr = np.asarray(labels)
    result = {}
    for label in sorted(set(labels)):
        inside = labels_arr == label
        scores, _ = chi2(matrix, inside)
        scores = np.nan_to_num(scores)
        rate_in = np.asarray(matrix[inside].mean(axis=0)).ravel()
        rate_out = np.asarray(matrix[~inside].mean(axis=0)).ravel()
        scores[rate_in <= rate_out] = 0  # keep n-grams that mark the class
        best = np.argsort(-scores, kind="stable")[:top]
        best = best[scores[best] > 0]
        has_any = np.asarray(matrix[:, best].sum(axis=1)).ravel() > 0
        result[label] = {
            "ngrams": names[best].tolist(),
            "share_in_class": round(float(has_any[inside].mean()), 3),
            "share_elsewhere": round(float(has_any[~inside].mean()), 3),
            "paragraphs": int(inside.sum()),
        }
    return result


def near_duplicates(ids: list[str], texts: list[str], threshold=NEAR_DUPLICATE_COSINE):
    """Pairs of paragraphs whose TF-IDF (word 1-2 gram) cosine is >= threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts)
    similarity = (matrix @ matrix.T).tocoo()
    pairs = [
        (ids[i], ids[j], round(float(v), 3))
        for i, j, v in zip(similarity.row, similarity.col, similarity.data)
        if i < j and v >= threshold
    ]
    return sorted(pairs, key=lambda p: -p[2])


def _runs(text: str, size: int) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def shared_runs(ids, texts, reference_ids, reference_texts, size=SHARED_RUN_WORDS):
    """(id, reference id, words) where a text shares a run of `size` words with a
    reference text (for instance an authored row reusing a seed sentence)."""
    index: dict[tuple, str] = {}
    for ref_id, text in zip(reference_ids, reference_texts):
        for run in _runs(text, size):
            index.setdefault(run, ref_id)
    found = []
    for row_id, text in zip(ids, texts):
        for run in sorted(_runs(text, size)):
            if run in index and index[run] != row_id:
                found.append((row_id, index[run], " ".join(run)))
                break
    return found


def topic_register_shortcut(
    topics: list[str],
    registers: list[str],
    labels: list[str],
    folds: int = SHORTCUT_FOLDS,
) -> dict:
    """Macro-F1 of a shortcut learner that sees only each row's topic and
    register, whole topics held out, against always answering the majority class.
    If the data let topic or register stand in for the label, it would beat the
    majority; it must not, by more than MAX_SHORTCUT_GAIN.

    The learner answers, for a row of register r, the label that register r holds
    significantly more often than the training rows as a whole (one-sided binomial
    test, p < SHORTCUT_P), else the majority label; a held-out topic was never seen,
    so only the register can help. A plain logistic regression is no test here:
    on balanced labels, chance imbalances of a few rows per register flip its
    answers, and it beats the majority (0.17 macro-F1 for three balanced labels)
    even when stance is independent of everything (about 0.33 on this project's
    data with labels shuffled within topics)."""
    from scipy.stats import binom

    from framing.evaluation.metrics import macro_f1
    from framing.model.training import group_folds

    classes = sorted(set(labels))
    y = np.asarray(labels, dtype=object)
    reg = np.asarray(registers, dtype=object)
    fold = group_folds(topics, folds)
    predicted = np.empty(len(y), dtype=object)
    majority = np.empty(len(y), dtype=object)
    tells = {}
    for k in range(folds):
        train, test = fold != k, fold == k
        if not test.any():
            continue
        counts = {c: int((y[train] == c).sum()) for c in classes}
        winner = min(classes, key=lambda c: (-counts[c], c))
        share = {c: counts[c] / train.sum() for c in classes}
        rule = {}
        for register in set(reg[train]):
            rows = train & (reg == register)
            n = int(rows.sum())
            excess = {}
            for c in classes:
                hits = int((y[rows] == c).sum())
                if binom.sf(hits - 1, n, share[c]) < SHORTCUT_P:
                    excess[c] = hits / n - share[c]
            if excess:
                rule[register] = max(excess, key=lambda c: excess[c])
                tells[register] = rule[register]
        majority[test] = winner
        predicted[test] = [rule.get(r, winner) for r in reg[test]]
    model_f1 = macro_f1(list(y), list(predicted), classes)
    majority_f1 = macro_f1(list(y), list(majority), classes)
    return {
        "rows": len(labels),
        "topics": len(set(topics)),
        "registers": len(set(registers)),
        "macro_f1": round(model_f1, 4),
        "majority_macro_f1": round(majority_f1, 4),
        "limit": round(majority_f1 + MAX_SHORTCUT_GAIN, 4),
        "telling_registers": dict(sorted(tells.items())),
        "passed": model_f1 <= majority_f1 + MAX_SHORTCUT_GAIN,
    }


def check_dataset(dataset) -> dict:
    ids = [row.get("id") or str(n) for row, n in zip(dataset.rows, dataset.lines)]
    seed = [i for i, row in enumerate(dataset.rows) if row.get("source") == "seed"]
    others = [i for i, row in enumerate(dataset.rows) if row.get("source") != "seed"]
    signature = {
        column: strongest_ngrams(dataset.texts, dataset.labels(column))
        for column in ("stance", "tone")
    }
    covered = {
        f"{column}/{label}": info["share_in_class"]
        for column, classes in signature.items()
        for label, info in classes.items()
    }
    # The check is on the paragraphs designed against shortcuts (source
    # "authored", with topic and register); the documents written to look like
    # the world keep the world's genre mix (a force's statement is institutional)
    # on purpose. The codebook makes a force's, a police union's and a minister's
    # own voice institutional: those registers hold one stance by definition, not
    # by a shortcut in the data, so the check looks at the registers that can
    # hold any.
    tagged = [
        i
        for i, row in enumerate(dataset.rows)
        if row.get("topic")
        and row.get("register")
        and row.get("source", TRAINING_ONLY_SOURCE) == TRAINING_ONLY_SOURCE
        and row["register"] not in BOUND_REGISTERS
    ]
    shortcut = (
        topic_register_shortcut(
            [dataset.rows[i]["topic"] for i in tagged],
            [dataset.rows[i]["register"] for i in tagged],
            [dataset.rows[i]["stance"] for i in tagged],
        )
        if len({dataset.rows[i]["topic"] for i in tagged}) >= SHORTCUT_FOLDS
        else None
    )
    pairs = {row.get("pair") for row in dataset.rows if row.get("pair")}
    # Contrast twins are near-copies by design; any other near-copy is a fault.
    pair_of = {ids[i]: row.get("pair") for i, row in enumerate(dataset.rows)}
    near = [
        (a, b, v)
        for a, b, v in near_duplicates(ids, dataset.texts)
        if not (pair_of.get(a) and pair_of.get(a) == pair_of.get(b))
    ]
    return {
        "rows": len(dataset.rows),
        "signature_ngrams": signature,
        "signature_check": {
            "limit": MAX_SIGNATURE_SHARE,
            "worst": max(covered.items(), key=lambda kv: kv[1]),
            "failing": sorted(k for k, v in covered.items() if v > MAX_SIGNATURE_SHARE),
            "passed": all(v <= MAX_SIGNATURE_SHARE for v in covered.values()),
        },
        "shortcut_check": shortcut,
        "contrast_pairs": len(pairs),
        "near_duplicates": near,
        "seed_runs_reused": shared_runs(
            [ids[i] for i in others],
            [dataset.texts[i] for i in others],
            [ids[i] for i in seed],
            [dataset.texts[i] for i in seed],
        ),
    }


def shortcut_failures(report: dict) -> list[str]:
    """What the shortcut checks found wrong, one sentence each (empty if none)."""
    problems = []
    signature = report["signature_check"]
    if not signature["passed"]:
        problems.append(
            f"the 10 strongest n-grams of {', '.join(signature['failing'])} cover more "
            f"than {signature['limit']:.0%} of the class's rows"
        )
    shortcut = report.get("shortcut_check")
    if shortcut and not shortcut["passed"]:
        problems.append(
            f"topic and register alone predict stance with macro-F1 "
            f"{shortcut['macro_f1']:.2f}, above the majority's "
            f"{shortcut['majority_macro_f1']:.2f} + {MAX_SHORTCUT_GAIN}"
        )
    return problems


def diversity_markdown(report: dict) -> str:
    signature = report["signature_check"]
    shortcut = report.get("shortcut_check")
    lines = [
        "# Dataset diversity check",
        "",
        f"{report['rows']} rows, {report['contrast_pairs']} contrast pairs. "
        "Generated by `framing data check`; do not edit.",
        "",
        "## Shortcut checks",
        "",
        "| check | figure | limit | result |",
        "|---|---|---|---|",
        f"| largest share of a class's rows holding one of its {TOP_NGRAMS} strongest "
        f"n-grams ({signature['worst'][0]}) | {signature['worst'][1]:.2f} | "
        f"{signature['limit']:.2f} | {'pass' if signature['passed'] else 'FAIL'} |",
    ]
    if shortcut:
        lines.append(
            f"| stance macro-F1 of a model that sees only topic and register, whole "
            f"topics held out (the authored paragraphs: {shortcut['rows']} rows, "
            f"{shortcut['topics']} topics, "
            f"{shortcut['registers']} registers) | {shortcut['macro_f1']:.2f} | "
            f"{shortcut['limit']:.2f} (majority {shortcut['majority_macro_f1']:.2f} "
            f"+ {MAX_SHORTCUT_GAIN}) | {'pass' if shortcut['passed'] else 'FAIL'} |"
        )
    lines += [
        "",
        "## Signature n-grams",
        "",
        f"For each class, its {TOP_NGRAMS} n-grams most associated with it "
        "(chi-squared, over-represented in the class), and the share of paragraphs "
        "containing at least one of them, in the class and elsewhere. A class that "
        "a few words give away would show a share near 1 in the class and near 0 "
        "elsewhere.",
    ]
    for column, classes in report["signature_ngrams"].items():
        lines += [
            "",
            f"### {column}",
            "",
            "| class | paragraphs | share in class | share elsewhere | n-grams |",
            "|---|---|---|---|---|",
        ]
        for label, info in classes.items():
            lines.append(
                f"| {label} | {info['paragraphs']} | {info['share_in_class']:.2f} | "
                f"{info['share_elsewhere']:.2f} | {', '.join(info['ngrams'])} |"
            )
    lines += [
        "",
        f"## Near-duplicates (TF-IDF cosine >= {NEAR_DUPLICATE_COSINE}), "
        "declared contrast twins excepted",
        "",
    ]
    pairs = report["near_duplicates"]
    lines += [f"- {a} ~ {b} ({v})" for a, b, v in pairs] or ["None."]
    lines += ["", f"## Seed runs of {SHARED_RUN_WORDS}+ words reused in other rows", ""]
    runs = report["seed_runs_reused"]
    lines += [f'- {a} reuses {b}: "{words}"' for a, b, words in runs] or ["None."]
    return "\n".join(lines) + "\n"
