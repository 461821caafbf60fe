"""The `framing` command line: parse options, call one framing.api function, show
the result. Heavy libraries are imported inside commands, so --help stays fast.

Each command lives in its own module as a plain function; they are registered
here, in the order `framing --help` lists them.
"""

from framing.cli import classify, data, evaluate, info, score, train
from framing.cli import sample as sample_cli
from framing.cli import suggest as suggest_cli
from framing.cli import summarize as summarize_cli
from framing.cli.app import app, data_app

app.command()(classify.classify)
app.command()(score.score)
app.command()(train.train)
app.command()(evaluate.evaluate)
app.command()(info.info)
app.command()(summarize_cli.summarize)
app.command()(sample_cli.sample)
app.command()(suggest_cli.suggest)
app.add_typer(data_app, name="data")
data_app.command("build")(data.data_build)
data_app.command("check")(data.data_check)


def main() -> None:
    app()
