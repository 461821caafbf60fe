"""Decide the feature families: each is added in turn to plain word n-grams, and
kept only if it wins beyond its bootstrap noise.

    python scripts/ablation.py [--out docs/ablation.json]

For every configuration (word n-grams alone; n-grams plus one family, for each
family; all families), a model is trained on data/paragraphs.csv as `framing
train` does, and measured twice:
- grouped cross-validation on the training data (pooled out-of-fold macro-F1 at
  the chosen C, with offsets), which is what decides;
- the dev set (data/dev), scored once per configuration, reported with a paired
  bootstrap interval of the difference (whole dev documents resampled), which a
  family must also pass.

The rule (scripts/experiment.py): a family is on if adding it raises the
grouped-CV macro-F1 (mean of stance and tone) and the dev-set difference (with
it minus without) has a 95% interval above zero for at least one head. (A
first run compared all families against all but one; removing any family
lowered nothing, so the comparison was turned round to ask what each family adds
to the plain n-grams.) The result is
written as JSON; framing/model/choices.py copies the decisions into every model
card.
"""

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from experiment import decide, measure

from framing.dataset.load import load_dataset
from framing.dataset.training import training_set
from framing.model.choices import DEFAULT_FEATURES
from framing.model.extractor import FAMILIES, FeatureConfig

ROOT = Path(__file__).resolve().parents[1]


def configurations() -> dict[str, FeatureConfig]:
    plain = replace(DEFAULT_FEATURES, **{f: False for f in FAMILIES})
    out = {"word n-grams": plain}
    for family in FAMILIES:
        out[f"with {family}"] = replace(plain, **{family: True})
    out["all families"] = replace(plain, **{f: True for f in FAMILIES})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "ablation.json")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "paragraphs.csv")
    args = parser.parse_args()
    training = training_set(args.data)
    dev_set = load_dataset(ROOT / "data" / "dev" / "paragraphs.csv", training=False)
    results, measured = {}, {}
    for name, config in configurations().items():
        print(f"training: {name}", file=sys.stderr, flush=True)
        measured[name] = measure(
            training, config, dev_set, documents=False, jobs=args.jobs
        )
        results[name] = {"features": config.name, **measured[name][0]}
        print(json.dumps(results[name]), file=sys.stderr, flush=True)
    decisions = {}
    for family in FAMILIES:
        decision = decide(measured["word n-grams"], measured[f"with {family}"], dev_set)
        cv_gain, dev, keep = decision["cv_gain"], decision["dev_gain"], decision["kept"]
        decisions[family] = {
            "on": keep,
            "cv_gain": cv_gain,
            "dev_gain": dev,
            "why": (
                f"grouped CV {cv_gain:+.3f} (mean of heads); dev "
                + ", ".join(
                    f"{c} {d['gain']:+.3f} [{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}]"
                    for c, d in dev.items()
                )
                + ("; kept" if keep else "; not beyond its noise: off")
            ),
        }
    args.out.write_text(
        json.dumps({"configurations": results, "decisions": decisions}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    for family, decision in decisions.items():
        print(f"{family}: {decision['why']}")


if __name__ == "__main__":
    main()
