"""The tearline command line (Typer + Rich). Each sibling module registers its
commands on the one root ``app``."""

from tearline.cli import decide, demo, risk, world
from tearline.cli.app import app, main

__all__ = ["app", "decide", "demo", "main", "risk", "world"]
