"""Drive the ledger as the release path will: release rows and their leaves in one unit of work.

Until ``tearline release`` records its copies itself, these helpers insert real ``releases``
rows (for the SMALL scenario's report and partners) and record their leaves with
``services.ledger.record_releases`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tearline.ledger.heads import private_key_from_raw
from tearline.ledger.leaf import ReleaseLeaf
from tearline.services.ledger import record_releases
from tearline.services.world import load_scenario
from tearline.store.database import unit_of_work
from tearline.store.identity import IdentityCipher
from tearline.store.tables import ReleaseRow
from tests.samples import SMALL

KEY = private_key_from_raw(bytes(range(32)))
"""A fixed ledger key (Ed25519 is deterministic, so heads are reproducible)."""

OTHER_KEY = private_key_from_raw(bytes(range(1, 33)))
START = datetime(2026, 1, 1, tzinfo=UTC)


def load_world(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        load_scenario(session, IdentityCipher(b"k" * 32), text=SMALL)


def release_id(number: int) -> str:
    return f"bulk-{number:06d}"


def leaf_for(number: int, *, variant: str = "") -> ReleaseLeaf:
    return ReleaseLeaf.for_copy(
        release_id=release_id(number),
        report_id="rep-1",
        copy=f"copy {number} of rep-1{variant}".encode(),
        version="full" if number % 3 else "tearline",
        recipient="hub" if number % 2 else "ally",
        at=START + timedelta(seconds=number),
        fingerprint_id=f"fp-{number}",
        protocol_version="alliance-standard@1",
    )


def release(
    session: Session,
    numbers: Iterable[int],
    *,
    variant: str = "",
    key: Ed25519PrivateKey = KEY,
) -> list[int]:
    """Insert release rows and record their leaves, signed once (the caller commits)."""
    numbers = list(numbers)
    leaves = [leaf_for(n, variant=variant) for n in numbers]
    session.add_all(
        ReleaseRow(
            id=leaf.release_id,
            report_id=leaf.report_id,
            partner_id=leaf.recipient,
            version=leaf.version,
            at=leaf.at,
            note="",
        )
        for leaf in leaves
    )
    session.flush()
    now = START + timedelta(days=1, seconds=max(numbers, default=0))
    return record_releases(session, leaves, key, now)


def release_batches(engine: Engine, batches: Iterable[range]) -> None:
    """One unit of work (and one signed head) per batch."""
    for numbers in batches:
        with unit_of_work(engine) as session:
            release(session, numbers)
