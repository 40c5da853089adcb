"""tearline: share intelligence with partners without exposing the people who provided it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tearline.services.workspace import Workspace
from tearline.settings import Settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help=__doc__,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


class _State:
    home: Path | None = None


state = _State()


@app.callback()
def _root(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder for the embedded database, keys and outputs "
            "(default: $TEARLINE_HOME, else a per-user data folder).",
        ),
    ] = None,
) -> None:
    state.home = home


def settings() -> Settings:
    return Settings.resolve(state.home)


def workspace() -> Workspace:
    return Workspace(settings())


def main() -> None:
    app()
