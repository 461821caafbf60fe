"""Decide the weight of the realistic documents' paragraphs in training.

    python scripts/source_weight.py [--weights 1 3] [--out docs/source_weight.json]

The realistic documents (data/realistic: written blind, coded by the codebook)
look like the world; the authored paragraphs exemplify the labels. Giving the
realistic rows more weight might move the model toward running text. Each weight
is tried by training on data/paragraphs.csv as `framing train` does, with that
weight on the rows whose source is "realistic", and measured as
scripts/ablation.py measures a feature family: grouped cross-validation on the
running text decides (pooled out-of-fold macro-F1 with offsets, mean of the two
heads), and the dev set, scored once per weight, must show a paired-bootstrap 95%
interval of the difference above zero for at least one head. Otherwise the weight
stays 1. framing/model/choices.py copies the decision.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from framing.codebook import LABEL_COLUMNS
from framing.dataset.load import load_dataset
from framing.dataset.training import training_set
from framing.evaluation.metrics import macro_f1, paired_difference
from framing.model.choices import DEFAULT_FEATURES
from framing.model.training import train_scorer

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "source_weight.json"
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    data = ROOT / "data" / "paragraphs.csv"
    dev_set = load_dataset(ROOT / "data" / "dev" / "paragraphs.csv", training=False)
    truth = {c: dev_set.labels(c) for c in LABEL_COLUMNS}
    results, predictions = {}, {}
    for weight in args.weights:
        print(f"training: realistic rows x{weight:g}", file=sys.stderr, flush=True)
        training = training_set(data, realistic_weight=weight)
        scorer, selection = train_scorer(
            training.texts,
            training.labels,
            training.groups,
            features=DEFAULT_FEATURES,
            documents=training.documents,
            weights=training.weights,
            scored=training.scored,
            jobs=args.jobs,
        )
        probabilities = scorer.predict_proba(dev_set.texts)
        predictions[weight] = {
            c: [scorer.classes(c)[i] for i in probabilities[c].argmax(axis=1)]
            for c in LABEL_COLUMNS
        }
        results[f"{weight:g}"] = {
            "cv": {c: selection.cv[c]["macro_f1_with_offsets"] for c in LABEL_COLUMNS},
            "dev": {
                c: round(
                    macro_f1(truth[c], predictions[weight][c], sorted(set(truth[c]))),
                    4,
                )
                for c in LABEL_COLUMNS
            },
        }
        print(json.dumps(results[f"{weight:g}"]), file=sys.stderr, flush=True)
    base, decisions = args.weights[0], {}
    for weight in args.weights[1:]:
        cv_gain = float(
            np.mean(
                [
                    results[f"{weight:g}"]["cv"][c] - results[f"{base:g}"]["cv"][c]
                    for c in LABEL_COLUMNS
                ]
            )
        )
        dev = {
            c: paired_difference(
                truth[c],
                predictions[base][c],
                predictions[weight][c],
                sorted(set(truth[c])),
                groups=dev_set.documents,
            )
            for c in LABEL_COLUMNS
        }
        keep = cv_gain > 0 and any(d["ci95"][0] > 0 for d in dev.values())
        decisions[f"{weight:g}"] = {
            "kept": keep,
            "cv_gain": round(cv_gain, 4),
            "dev_gain": dev,
        }
        print(f"x{weight:g}: CV {cv_gain:+.4f}; dev {dev}; kept: {keep}")
    args.out.write_text(
        json.dumps({"weights": results, "decisions": decisions}, indent=2) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
