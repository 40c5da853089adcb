"""Releases: one copy of one report, in one version, to one partner."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum


class Version(StrEnum):
    FULL = "full"
    TEARLINE = "tearline"


@dataclass(frozen=True, slots=True)
class Release:
    """A copy that left. ``at`` is timezone-aware (UTC)."""

    id: str
    report: str
    partner: str
    version: Version
    at: datetime
    note: str = ""

    @staticmethod
    def default_id(report: str, partner: str, version: Version, at: datetime) -> str:
        """A stable id for a release that a scenario file does not name: the
        same release written twice gets the same id, so it is caught as a
        duplicate rather than silently counted twice."""
        digest = hashlib.sha256(
            f"{report}\x00{partner}\x00{version.value}\x00{at.isoformat()}".encode()
        ).hexdigest()
        return f"rel-{digest[:10]}"


def to_utc(value: datetime | date) -> datetime:
    """Release times are kept in UTC; a bare date means midnight UTC and a
    naive time is taken to be UTC (as docs/scenario.md states)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
