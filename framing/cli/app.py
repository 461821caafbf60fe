"""The typer applications that the command modules register on."""

from typing import Annotated

import typer

app = typer.Typer(
    help="Stance and tone of news paragraphs about the police.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    help="Build and check the labelled dataset.", no_args_is_help=True
)


def _version(value: bool) -> None:
    if value:
        from framing import __version__

        typer.echo(f"framing {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Stance and tone of news paragraphs about the police."""
