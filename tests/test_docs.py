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


def _command_names(group=None, prefix="") -> list[str]:
    """Every command of the app, subcommands as "data build": from the app itself,
    so a new command cannot miss its help text or its README mention."""
    group = group or get_command(app)
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _command_names(command, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def test_docs_the_command_list_is_complete():
    assert {"classify", "score", "train", "evaluate", "data build"} <= set(
        _command_names()
    )


@pytest.mark.parametrize("name", _command_names())
def test_docs_every_command_has_help_and_appears_in_readme(name):
    command = get_command(app)
    for part in name.split():
        command = command.commands[part]
    assert command.help and command.help.strip()
    assert f"framing {name}" in README


def test_docs_architecture_names_only_modules_that_exist():
    import re

    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = set(re.findall(r"`(?:framing/)?([a-z_]+/[a-z_]+\.py)`", text))
    assert len(modules) > 20
    for module in modules:
        inside = not module.startswith(("framing/", "scripts/", "tests/"))
        assert ((REPO / "framing" if inside else REPO) / module).is_file(), module
