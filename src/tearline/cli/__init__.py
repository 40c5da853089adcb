"""The tearline command line (Typer + Rich). Each sibling module registers its
commands on the one root ``app``."""

from tearline.cli import amend as amend  # registers `tearline protocol|source|report`
from tearline.cli import cascade as cascade  # registers `tearline cascade`
from tearline.cli import decide, demo, ledger, reassess, release, risk, world
from tearline.cli import sanitize as sanitize  # registers `tearline sanitize`
from tearline.cli import trace as trace  # registers `tearline trace`
from tearline.cli.app import app, main

__all__ = ["app", "decide", "demo", "ledger", "main", "reassess", "release", "risk", "world"]
