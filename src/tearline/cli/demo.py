"""`tearline demo`: the whole product on the fictional demo world, in one command."""

from __future__ import annotations

import shutil
from importlib import resources
from typing import Annotated

import typer

from tearline.cli.app import app, settings
from tearline.cli.demo_view import render_overview
from tearline.cli.output import emit_json, handles_errors
from tearline.services import demo as demo_service
from tearline.services.workspace import Workspace
from tearline.services.world import load_scenario
from tearline.settings import Settings

DEMO_FILE = "demo-world.yaml"


def demo_text() -> str:
    return (resources.files("tearline.data") / DEMO_FILE).read_text(encoding="utf-8")


@app.command()
@handles_errors
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the overview as JSON.")] = False,
) -> None:
    """Load the demo world into a fresh embedded database (HOME/demo) and tour it."""
    home = settings().home / "demo"
    if home.exists():
        shutil.rmtree(home)  # always a fresh world: the demo must be reproducible
    ws = Workspace(Settings.resolve(home, environ={}))
    try:
        ws.init()
        cipher = ws.cipher()
        with ws.unit_of_work() as session:
            load_scenario(session, cipher, text=demo_text(), filename=DEMO_FILE)
        with ws.unit_of_work() as session:
            overview = demo_service.overview(session)
    finally:
        ws.close()
    if as_json:
        emit_json({"home": str(home), **overview.as_dict()})
        return
    render_overview(overview, home=str(home))
