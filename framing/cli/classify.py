"""`framing classify`."""

import json
import re
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
    require_stdout,
    stdout_console,
    stdout_gone,
)
from framing.render.escape import escape_controls, escape_controls_json
from framing.text.read import DEFAULT_MAX_BYTES


def classify(
    text: Annotated[
        str | None,
        typer.Argument(
            help="Text or an http(s) address to classify; '-' or nothing reads "
            "standard input."
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="Read a file: text, Markdown (.md) or a web page (.html)."
        ),
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
        typer.Option(
            "--max-bytes", min=1, help="Refuse larger input (file, page or stdin)."
        ),
    ] = DEFAULT_MAX_BYTES,
):
    """Classify text, a file or a web page, paragraph by paragraph and as a whole.

    Paragraphs are separated by blank lines (or a line break after a full stop).
    Web pages (.html, or an http(s) address as the text) are reduced to their
    article; Markdown loses its markup; the title, when known, is the first line.

    Example: pbpaste | framing classify --explain
    """
    if file is not None and text not in (None, "-"):
        fail("give the text as an argument or with --file, not both", 2)
    require_stdout("nowhere to show the result")
    from framing.text.document import parse_document

    if file is not None:
        from framing.text.document import read_document

        document, warning = call(read_document, file, max_bytes=max_bytes)
        source = str(file)
    elif text is None or text == "-":
        from framing.text.read import read_stream

        if sys.stdin is None:
            fail("standard input is closed; give the text as an argument or --file")
        if sys.stdin.isatty():
            typer.echo("Paste the text, then Ctrl-D:", err=True)
        # Read like a file: bounded by --max-bytes, binary refused, any encoding
        # decoded (a pasted Windows-1252 export must not crash).
        content, warning = call(read_stream, sys.stdin.buffer, max_bytes)
        document = call(parse_document, content)
        source = "standard input"
    else:
        from framing.text.fetch import fetch_document, is_url

        if is_url(text):
            document, warning = call(fetch_document, text, max_bytes=max_bytes)
            source = text.strip()
        else:
            hint = _path_hint(text)
            if hint:
                fail(hint, 2)
            document, warning = call(parse_document, text), None
            source = "the text"
    if warning:
        typer.echo(escape_controls(f"warning: {source}: {warning}"), err=True)
    result = call(
        api().classify,
        document.full_text,
        model_dir=model,
        min_confidence=min_confidence,
        explain=top if explain else 0,
    )
    if document.format != "text" or document.metadata():
        result["document"] = {"format": document.format, **document.metadata()}
        if not as_json:
            known = ", ".join(f"{k} {v!r}" for k, v in document.metadata().items())
            message = f"{source}: read as {document.format}; {known}"
            typer.echo(escape_controls(message), err=True)
    try:
        if as_json:
            typer.echo(
                escape_controls_json(json.dumps(result, indent=2, ensure_ascii=False))
            )
            return
        from framing.render.terminal import classify_table

        stdout_console().print(classify_table(result, explain=explain))
    except BrokenPipeError:
        stdout_gone()


_FILE_NAME = re.compile(
    r"[\w~./\\:-]*\w\.(txt|text|md|markdown|html?|xhtml|csv|tsv|jsonl?|ndjson|"
    r"xlsx|xls|docx?|pdf|rtf)",
    re.IGNORECASE,
)


def _path_hint(text: str) -> str | None:
    """The hint for a text argument that is a file or folder name, not prose."""
    name = text.strip()
    if not name or "\n" in name or len(name) > 1024:
        return None
    try:
        path = Path(name).expanduser()
        is_dir, exists = path.is_dir(), path.exists()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: "~user" unknown
        is_dir = exists = False
    if is_dir:
        return (
            f"{name} is a folder; to score every article in it, use: "
            f"framing score {name}"
        )
    if exists or _FILE_NAME.fullmatch(name):
        return (
            f"{name!r} looks like a file name, not text; to classify what the file "
            f"says, use: framing classify --file {name}"
        )
    return None
