"""Historical releases into the ledger: those a scenario file records were made before tearline
kept the record, so each gets an ``ImportedLeaf`` (marked imported, with its original date and
the time of import) rather than a release leaf that would vouch for a copy nobody kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from tearline.domain.releases import Release
from tearline.ledger.records import ImportedLeaf
from tearline.services.ledger import record_entries


def import_releases(
    session: Session, releases: Sequence[Release], signing_key: Ed25519PrivateKey, now: datetime
) -> int:
    """Append one imported leaf per release and sign the new head (the caller commits)."""
    leaves = [
        ImportedLeaf(
            release_id=r.id,
            report_id=r.report,
            version=r.version.value,
            recipient=r.partner,
            at=r.at,
            imported_at=now,
        )
        for r in releases
    ]
    record_entries(session, [(leaf.key, leaf.encode()) for leaf in leaves], signing_key, now)
    return len(leaves)
