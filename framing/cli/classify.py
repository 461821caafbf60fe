"""`framing classify`."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
    JsonOption,
    MinConfidenceOption,
    ModelOption,
    api,
    call,
    fail,
    stdout_console,
)


def classify(
    text: Annotated[
        str | None,
        typer.Argument(help="Text to classify; '-' or nothing reads standard input."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the text from a file.")
    ] = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show the n-grams behind each label."),
    ] = False,
    top: Annotated[
        int, typer.Option("--top", min=1, help="N-grams per label, with --explain.")
    ] = 5,
    min_confidence: MinConfidenceOption = 0.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse larger --file input.")
    ] = 5_000_000,
):
    """Classify pasted text, paragraph by paragraph and as a whole.

    Paragraphs are separated by blank lines (or a line break after a full stop).

    Example: pbpaste | framing classify --explain
    """
    if file is not None and text not in (None, "-"):
        fail("give the text as an argument or with --file, not both", 2)
    if file is not None:
        from framing.text.read import read_text

        content, warning = call(read_text, file, max_bytes)
        if warning:
            typer.echo(f"warning: {file}: {warning}", err=True)
    elif text is None or text == "-":
        from framing.text.read import decode

        if sys.stdin.isatty():
            typer.echo("Paste the text, then Ctrl-D:", err=True)
        # Bytes, decoded like a file: a pasted Windows-1252 export must not crash.
        content, warning = decode(sys.stdin.buffer.read())
        if warning:
            typer.echo(f"warning: standard input: {warning}", err=True)
    else:
        content = text
    result = call(
        api().classify,
        content,
        model_dir=model,
        min_confidence=min_confidence,
        explain=top if explain else 0,
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    from framing.render.terminal import classify_table

    stdout_console().print(classify_table(result, explain=explain))
