"""Tracing leaked texts to the released copies they derive from.

Reads every fingerprint stream in the database, runs the pure tracer
(``tearline.fingerprint.trace``) and links each accusation to the releases that carried the
accused partner's fingerprint and to their ledger entries, whose receipts prove what was
sent to whom (``tearline ledger receipt RELEASE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tearline.domain.errors import NotFoundError, StoreError
from tearline.fingerprint import DEFAULT_EPSILON as DEFAULT_EPSILON
from tearline.fingerprint import Leak as Leak
from tearline.fingerprint import Stream, TraceResult, trace
from tearline.services.fingerprints import check_key, stored_layout
from tearline.store.fingerprints import FingerprintStore
from tearline.store.ledger_log import LedgerLog


@dataclass(frozen=True, slots=True)
class ReleaseLink:
    release: str
    ledger_index: int | None

    @property
    def receipt_command(self) -> str:
        return f"tearline ledger receipt {self.release} --out {self.release}.receipt.json"

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "ledger_index": self.ledger_index,
            "receipt": self.receipt_command,
        }


@dataclass(frozen=True, slots=True)
class TraceReport:
    result: TraceResult
    links: dict[str, tuple[ReleaseLink, ...]]  # accused partner → its copies concerned

    def as_dict(self) -> dict[str, Any]:
        result = self.result
        return {
            "documents": [
                {
                    "file": d.name,
                    "report": d.report,
                    "version": d.version,
                    "streams": list(d.streams),
                    "coverage": d.coverage,
                    "symbols_read": d.symbols_read,
                    "erasures": d.erasures,
                }
                for d in result.documents
            ],
            "accused": [
                {
                    "partner": c.partner,
                    "release_ids": [link.release for link in self.links[c.partner]],
                    "score": round(c.score, 4),
                    "threshold": round(c.threshold, 4),
                    "p_bound": c.tail,
                    "receipts": [link.as_dict() for link in self.links[c.partner]],
                }
                for c in result.accused
            ],
            "candidates": [
                {
                    "partner": c.partner,
                    "score": round(c.score, 4),
                    "threshold": round(c.threshold, 4),
                    "p_bound": c.tail,
                    "accused": c.accused,
                }
                for c in result.candidates
            ],
            "epsilon": result.epsilon,
            "verdict": result.verdict,
        }


def trace_leaks(
    session: Session,
    key: bytes | None,
    leaks: Sequence[Leak],
    *,
    epsilon: float = DEFAULT_EPSILON,
) -> TraceReport:
    """Trace ``leaks`` against every stream stored. ``key`` may be None only while nothing
    has been fingerprinted (then nothing can match)."""
    store = FingerprintStore(session)
    streams = []
    for stored in store.streams():
        if key is None:
            raise StoreError(
                "fingerprinted copies were released but the fingerprint key "
                "(HOME/keys/fingerprint.key) is missing: restore it"
            )
        check_key(key, stored.code, stored.id)
        streams.append(
            Stream(
                stored.id,
                stored.report,
                stored.version,
                stored_layout(stored.id, stored.base_text, stored.layout),
                stored.recipients,
                float(stored.code["cutoff"]),
            )
        )
    result = trace(leaks, streams, key or b"", epsilon=epsilon)
    log = LedgerLog(session)
    links: dict[str, tuple[ReleaseLink, ...]] = {}
    for accused in result.accused:
        links[accused.partner] = tuple(
            ReleaseLink(rid, _ledger_index(log, rid))
            for rid in store.releases(accused.streams, accused.partner)
        )
    return TraceReport(result, links)


def _ledger_index(log: LedgerLog, release: str) -> int | None:
    try:
        return log.leaf(release)[0]
    except NotFoundError:
        return None
