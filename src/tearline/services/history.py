"""How ties, protocols and decisions evolved; recording a re-assessment."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tearline.domain.actors import Actor
from tearline.domain.errors import StoreError
from tearline.domain.protocols import Protocol
from tearline.domain.ties import DIMENSIONS, Tie
from tearline.services import audit
from tearline.services.views import tie_view
from tearline.store.decisions import DecisionLog
from tearline.store.repository import WorldRepository


def record_reassessment(
    session: Session,
    ties: list[Tie],
    actors: list[Actor],
    protocols: list[Protocol],
    *,
    at: datetime,
    reason: str,
) -> None:
    """Record the change and the new protocol versions, with time and reason
    (in the caller's unit of work: all or nothing)."""
    repo = WorldRepository(session)
    for tie in ties:
        repo.record_tie(tie)
    for actor in actors:
        repo.set_protection(actor.id, actor.protection, actor.protection_range)
    for protocol in protocols:
        repo.add_protocol(protocol, recorded_at=at, reason=reason)


@dataclass(frozen=True, slots=True)
class HistoryView:
    partner: str | None
    ties: list[dict[str, Any]]
    protocols: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    audit: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "ties": self.ties,
            "protocols": self.protocols,
            "decisions": self.decisions,
            "audit": self.audit,
        }


def history(session: Session, partner: str | None = None, *, who: str | None = None) -> HistoryView:
    repo = WorldRepository(session)
    world = repo.world()
    if partner is not None:
        world.actor(partner)
    holders = ({partner} | world.groups_of(partner)) if partner else None
    ties = [tie_view(t) for t in world.ties if partner is None or partner in (t.source, t.target)]
    protocols = [
        {
            "id": row.id,
            "version": row.version,
            "recorded_at": row.recorded_at.isoformat() if row.recorded_at else None,
            "reason": row.reason,
            "applies_to": row.body.get("applies_to", []),
        }
        for row in repo.protocol_versions()
        if holders is None or holders & set(row.body.get("applies_to", []))
    ]
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in DecisionLog(session).history(partner):
        counts[(row.as_of.isoformat(), row.purpose, row.outcome)] += 1
    days = sorted({(day, purpose) for day, purpose, _ in counts})
    decisions = [
        {
            "as_of": day,
            "purpose": purpose,
            "full": counts[(day, purpose, "full")],
            "tearline": counts[(day, purpose, "tearline")],
            "withhold": counts[(day, purpose, "withhold")],
        }
        for day, purpose in days
    ]
    trail = [
        e.as_dict()
        for e in audit.entries(session, who=who)
        if partner is None or _about(e, partner)
    ]
    return HistoryView(partner, ties, protocols, decisions, trail)


def _about(entry: audit.AuditEntry, partner: str) -> bool:
    """An entry concerns a partner when it names it, as subject or anywhere in its details."""
    return partner == entry.subject or json.dumps(partner) in json.dumps(entry.details)


def plot(view: HistoryView, path: Path) -> None:
    """Each tie's strength per dimension over time (step lines: a reading
    holds until the next one)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: render to file only
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise StoreError("plotting needs matplotlib (pip install matplotlib)") from exc
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for tie in view.ties:
        pairs.setdefault((tie["from"], tie["to"]), []).append(tie)
    shown = [p for p, ts in pairs.items() if len(ts) > 1] or list(pairs)
    figure, axes = plt.subplots(len(DIMENSIONS), 1, figsize=(9, 2.2 * len(DIMENSIONS)), sharex=True)
    for axis, dimension in zip(axes, DIMENSIONS, strict=True):
        for pair in shown:
            series = pairs[pair]
            days = [datetime.fromisoformat(t["as_of"]) for t in series]
            axis.step(
                days,
                [t[dimension.value] for t in series],
                where="post",
                label=f"{pair[0]} → {pair[1]}",
            )
        axis.set_ylabel(dimension.value)
        axis.set_ylim(0, 1)
        axis.grid(alpha=0.3)
    axes[0].set_title("Ties over time" + (f" ({view.partner})" if view.partner else ""))
    axes[0].legend(fontsize="small", loc="upper left")
    figure.tight_layout()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from exc
    finally:
        plt.close(figure)
