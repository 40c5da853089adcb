"""tearline: share intelligence with partners without exposing the people who provided it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from tearline.domain.world import World
from tearline.services.workspace import Settings, Workspace
from tearline.services.world import current_world

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


@contextmanager
def stored(*, create: bool = False) -> Iterator[tuple[Workspace, Session]]:
    """The workspace opened for one command and its one unit of work."""
    ws = workspace()
    try:
        ws.open(create=create)
        with ws.unit_of_work() as session:
            yield ws, session
    finally:
        ws.close()


def read_world() -> World:
    """The stored world (no identities), for commands that only read."""
    with stored() as (_, session):
        return current_world(session)


def main() -> None:
    app()
