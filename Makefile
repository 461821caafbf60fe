# Shortcuts for maintainers; every target is a plain command you can also type.
PY := .venv/bin/python
FRAMING := .venv/bin/framing

.PHONY: setup test lint data model evaluate report bench

setup:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'

test:
	$(PY) -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Rebuild data/paragraphs.csv from the articles and the authored paragraphs.
data:
	$(FRAMING) data build
	$(FRAMING) data check --out docs/diversity.md

# Retrain the shipped model from data/ (tests/test_retrain.py checks it matches).
model:
	$(FRAMING) train --data data/paragraphs.csv --out models/default --force --evaluate

evaluate:
	$(FRAMING) evaluate --report docs/evaluation
	$(PY) scripts/readme_figures.py

bench:
	$(PY) benchmarks/run.py
