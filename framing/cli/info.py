"""`framing info`."""

import json

import typer

from framing.cli.common import (
    JsonOption,
    ModelOption,
    api,
    call,
    stdout_console,
)


def info(model: ModelOption = None, as_json: JsonOption = False):
    """Show a model's card: labels, training data, versions, evaluation.

    Example: framing info --model models/mine
    """
    card = call(api().info, model)
    if as_json:
        typer.echo(json.dumps(card, indent=2))
        return
    from framing.render.terminal import card_tables

    console = stdout_console()
    for renderable in card_tables(card):
        console.print(renderable)
