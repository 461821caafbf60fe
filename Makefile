# Shortcuts for maintainers; every target is a plain command you can also type.
PY := .venv/bin/python
FRAMING := .venv/bin/framing

.PHONY: setup test lint data model ablation loop demo evaluate bench

setup:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'

test:
	$(PY) -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy framing

# Rebuild data/paragraphs.csv from the articles, the authored paragraphs and the
# labelled documents (data/documents, data/realistic); check it for shortcuts.
data:
	$(FRAMING) data build
	$(FRAMING) data check --out docs/diversity.md

# Retrain the shipped model from data/ (tests/test_retrain.py checks it matches).
model:
	$(FRAMING) train --data data/paragraphs.csv --out models/default --force --evaluate

# Which feature families the shipped model uses (docs/ablation.json; the decisions
# are copied into framing/model/choices.py by hand).
ablation:
	$(PY) scripts/ablation.py --out docs/ablation.json

# The correction loop: 50 suggested against 50 random labels (docs/loop.json).
loop:
	$(PY) scripts/loop_measure.py --out docs/loop.json

# README's "Study a corpus" example: a CSV corpus scored and summarised (docs/study).
demo:
	$(PY) scripts/demo_corpus.py --report docs/study

evaluate:
	$(FRAMING) evaluate --report docs/evaluation
	$(PY) scripts/readme_figures.py

bench:
	$(PY) benchmarks/run.py
