"""The README is the newcomer's manual: its commands must be the ones CI runs."""

import re
from pathlib import Path

import pytest
from typer.main import get_command

from framing.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _first_commands(count: int) -> list[str]:
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, re.S)
    return [block.strip() for block in blocks[:count]]


def test_docs_readme_test_command_is_what_ci_runs():
    _run, test = _first_commands(2)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_docs_readme_first_command_scores_with_the_shipped_model():
    run, _test = _first_commands(2)
    assert "pip install" in run and "framing score data/articles" in run


COMMANDS = [
    "train",
    "classify",
    "score",
    "evaluate",
    "info",
    "data build",
    "data check",
]


@pytest.mark.parametrize("name", COMMANDS)
def test_docs_every_command_has_help_and_appears_in_readme(name):
    command = get_command(app)
    for part in name.split():
        command = command.commands[part]
    assert command.help and command.help.strip()
    assert f"framing {name}" in README
