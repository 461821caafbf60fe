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
    printable_json,
    require_stdout,
    stdout_console,
    stdout_gone,
)
from framing.text.read import DEFAULT_MAX_BYTES


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
        int,
        typer.Option("--max-bytes", min=1, help="Refuse larger input (file or stdin)."),
    ] = DEFAULT_MAX_BYTES,
):
    """Classify pasted text, paragraph by paragraph and as a whole.

    Paragraphs are separated by blank lines (or a line break after a full stop).

    Example: pbpaste | framing classify --explain
    """
    if file is not None and text not in (None, "-"):
        fail("give the text as an argument or with --file, not both", 2)
    require_stdout("nowhere to show the result")
    content = _read_input(text, file, max_bytes)
    result = call(
        api().classify,
        content,
        model_dir=model,
        min_confidence=min_confidence,
        explain=top if explain else 0,
    )
    try:
        if as_json:
            typer.echo(printable_json(json.dumps(result, indent=2, ensure_ascii=False)))
            return
        from framing.render.terminal import classify_table

        stdout_console().print(classify_table(result, explain=explain))
    except BrokenPipeError:
        stdout_gone()


def _read_input(text: str | None, file: Path | None, max_bytes: int) -> str:
    """The text to classify: the argument, the file, or standard input (read like
    a file: bounded by --max-bytes, binary refused, any encoding decoded)."""
    from framing.cli.common import printable

    if file is not None:
        from framing.text.read import read_text

        content, warning = call(read_text, file, max_bytes)
        where = str(file)
    elif text is None or text == "-":
        from framing.text.read import read_stream

        if sys.stdin is None:
            fail("standard input is closed; give the text as an argument or --file")
        if sys.stdin.isatty():
            typer.echo("Paste the text, then Ctrl-D:", err=True)
        content, warning = call(read_stream, sys.stdin.buffer, max_bytes)
        where = "standard input"
    else:
        return text
    if warning:
        typer.echo(printable(f"warning: {where}: {warning}"), err=True)
    return content
