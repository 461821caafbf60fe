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

from experiment import decide, measure

from framing.dataset.load import load_dataset
from framing.dataset.training import training_set
from framing.model.choices import DEFAULT_FEATURES

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
    results, measured = {}, {}
    for weight in args.weights:
        print(f"training: realistic rows x{weight:g}", file=sys.stderr, flush=True)
        training = training_set(data, realistic_weight=weight)
        measured[weight] = measure(
            training, DEFAULT_FEATURES, dev_set, documents=True, jobs=args.jobs
        )
        results[f"{weight:g}"] = measured[weight][0]
        print(json.dumps(results[f"{weight:g}"]), file=sys.stderr, flush=True)
    base, decisions = args.weights[0], {}
    for weight in args.weights[1:]:
        decisions[f"{weight:g}"] = decide(measured[base], measured[weight], dev_set)
        print(f"x{weight:g}: {decisions[f'{weight:g}']}")
    args.out.write_text(
        json.dumps({"weights": results, "decisions": decisions}, indent=2) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
