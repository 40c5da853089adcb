"""Who acts, on the command line: ``--as NAME`` or ``TEARLINE_USER``.

Every command that changes or releases anything takes ``who: WhoOption``, turns it into an
``Act`` with ``act(who, reason=...)`` before touching anything (no name: a usage error, exit 2,
nothing written), and does its work inside ``recording(act)``: the workspace, one unit of work
and the ``AuditTrail`` that writes the entry and its ledger leaf in that same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from tearline.cli.app import workspace
from tearline.services.audit import USER_ENV, Act, AuditTrail
from tearline.services.ledger import open_ledger
from tearline.services.workspace import Workspace

WhoOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar=USER_ENV,
        show_envvar=True,
        help="Who acts: the named person recorded with the change (default $TEARLINE_USER).",
    ),
]


def act(who: str | None, *, reason: str = "", at: datetime | None = None) -> Act:
    """The acting person, now (seconds: the time shown to people and written to the ledger).
    ``MissingActorError`` (exit 2) when no name was given."""
    return Act.named(who, at=at or datetime.now(UTC).replace(microsecond=0), reason=reason)


@contextmanager
def recording(*, create: bool = False) -> Iterator[tuple[Workspace, Session, AuditTrail]]:
    """The workspace, its one unit of work, and the audit trail writing into it.

    The ledger is checked first (a damaged log refuses to serve) and its key made if this home
    has none yet."""
    ws = workspace()
    try:
        ws.open(create=create)
        ledger = open_ledger(ws, create_key=True)
        with ws.unit_of_work() as session:
            yield ws, session, AuditTrail(session, ledger.signing_key)
    finally:
        ws.close()
