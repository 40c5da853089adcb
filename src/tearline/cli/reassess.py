"""`whatif`, `reassess` and `history`: when relationships change."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from tearline.cli.acting import WhoOption, act, recording
from tearline.cli.app import app, read_world, stored
from tearline.cli.decide import AsOf, Seed, parse_day
from tearline.cli.ensemble_opts import (
    DEFAULT_MEMBERS_OPT,
    DEFAULT_QUANTILES_OPT,
    Members,
    Quantiles,
    UseDask,
    quantile_label,
    range_text,
    settings,
)
from tearline.cli.output import console, emit_json, handles_errors
from tearline.cli.progress import working
from tearline.services import history as history_service
from tearline.services.audit import AuditTrail
from tearline.services.changes import apply_changes, parse_protection, parse_tie
from tearline.services.reassess import DecisionChange, Reassessment, SourceAtRisk, reassess
from tearline.services.risk_views import ensemble_view, spread_view
from tearline.services.sweep import runner
from tearline.services.uncertainty import whatif_spread
from tearline.services.workspace import Workspace
from tearline.services.world import current_world

TieOption = Annotated[
    list[str] | None,
    typer.Option("--tie", help='A tie change, e.g. "aldren->kharovia:military=+0.3" (repeatable).'),
]
ProtectionOption = Annotated[
    list[str] | None,
    typer.Option("--protection", help='A protection change, e.g. "aldren=0.4" (repeatable).'),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _changes(tie: list[str] | None, protection: list[str] | None) -> tuple[list, list]:  # type: ignore[type-arg]
    ties = [parse_tie(t) for t in tie or []]
    protections = [parse_protection(p) for p in protection or []]
    if not ties and not protections:
        raise typer.BadParameter("give at least one --tie or --protection")
    return ties, protections


@app.command()
@handles_errors
def whatif(
    tie: TieOption = None,
    protection: ProtectionOption = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    members: Members = DEFAULT_MEMBERS_OPT,
    quantiles: Quantiles = DEFAULT_QUANTILES_OPT,
    use_dask: UseDask = False,
    as_json: JsonFlag = False,
) -> None:
    """Re-assess every decision and every source's exposure under a change. Writes nothing.

    A change may be uncertain (``0.3..0.7``, ``0.4~0.1``): every source's
    exposure then also gets its range and the input that makes it widest."""
    wanted = settings(members, quantiles)
    today = parse_day(as_of)
    ties, protections = _changes(tie, protection)
    world = read_world()
    changed, _, _ = apply_changes(world, ties, protections, on=today)
    with working("re-assessing (before and after, common random numbers)"):
        result = reassess(world, changed, today=today, seed=seed)
    spread = None
    if changed.uncertain(today):
        with working(f"exposure over {wanted.members} tie-worlds"), runner(use_dask) as run:
            spread = whatif_spread(changed, as_of=today, seed=seed, settings=wanted, runner=run)
    if as_json:
        doc = result.as_dict()
        if spread is not None:
            info, rows = spread
            doc["exposure_uncertainty"] = [
                {"source": source, "risk": risk, "uncertainty": spread_view(sp)}
                for source, risk, sp in rows
            ]
            doc["ensemble"] = ensemble_view(info)
        emit_json(doc)
        return
    render(result)
    if spread is not None:
        info, rows = spread
        table = Table(
            title=f"Exposure after the change, uncertain inputs ({quantile_label(wanted)})",
            title_justify="left",
        )
        for column in ("source", "risk", "range", "widest because of"):
            table.add_column(column)
        for source, risk, sp in sorted(rows, key=lambda r: -r[2].interval.high):
            lead = f"{sp.drivers[0][0]} ({sp.drivers[0][1]:.0%})" if sp.drivers else "—"
            table.add_row(source, f"{risk:.4f}", range_text(sp.interval), lead)
        console.print(table)
        console.print(
            f"{info.members:,} tie-worlds, seed {info.seed}, {info.runner}; "
            f"inputs: {', '.join(info.inputs)}"
        )


@app.command(name="reassess")
@handles_errors
def reassess_(
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded with the change).")],
    tie: TieOption = None,
    protection: ProtectionOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Record the new ties and protocol versions.")
    ] = False,
    as_of: AsOf = None,
    seed: Seed = 0,
    who: WhoOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A what-if that, with --apply, records the change and the protocol adjustments
    (and who applied them: --as NAME or TEARLINE_USER)."""
    today = parse_day(as_of)
    if not reason.strip():
        raise typer.BadParameter("--reason must say why")
    ties, protections = _changes(tie, protection)
    actor = act(who, reason=reason) if apply else None
    with recording() if apply else _reading() as (_, session, trail):
        world = current_world(session)
        changed, new_ties, new_actors = apply_changes(
            world, ties, protections, on=today, note=reason
        )
        with working("re-assessing"):
            result = reassess(world, changed, today=today, seed=seed)
        if apply:
            history_service.record_reassessment(
                session,
                new_ties,
                new_actors,
                [a.protocol for a in result.adjustments],
                at=datetime.now(UTC),
                reason=reason,
            )
            assert actor is not None
            assert trail is not None
            trail.record(
                actor,
                action="reassess",
                subject=", ".join([*(tie or []), *(protection or [])]),
                details={
                    "as_of": today.isoformat(),
                    "ties": [f"{t.source}->{t.target}@{t.as_of.isoformat()}" for t in new_ties],
                    "protections": {a.id: a.protection for a in new_actors},
                    "protocols": [
                        f"{a.protocol.id}@v{a.protocol.version}" for a in result.adjustments
                    ],
                },
            )
    if as_json:
        emit_json(
            {
                **result.as_dict(),
                "applied": apply,
                "reason": reason,
                "by": actor.who if actor else None,
            }
        )
        return
    render(result)
    if apply:
        console.print(
            f"[bold]Recorded[/]: {len(new_ties)} tie(s), {len(new_actors)} protection change(s), "
            f"{len(result.adjustments)} protocol version(s) — reason: {reason}"
        )
    else:
        console.print("Nothing recorded (add --apply to record).")


@contextmanager
def _reading() -> Iterator[tuple[Workspace, Session, AuditTrail | None]]:
    """A what-if records nothing, so it needs no name and no audit trail."""
    with stored() as (ws, session):
        yield ws, session, None


def render_trail(entries: list[dict[str, Any]]) -> None:
    trail = Table(title="Audit trail (who, when, why)", title_justify="left")
    for column in ("#", "when", "who", "action", "subject", "reason"):
        trail.add_column(column)
    for e in entries:
        trail.add_row(str(e["id"]), e["at"], e["who"], e["action"], e["subject"], e["reason"])
    console.print(trail)


def decision_changes_table(changes: Sequence[DecisionChange]) -> Table:
    """Pending decisions a change moves: tighter in red, looser in green."""
    table = Table(title="Decisions that change", title_justify="left")
    for column in ("report", "partner", "before", "after", "why"):
        table.add_column(column)
    for c in changes:
        tighter = c.after.restrictiveness > c.before.restrictiveness
        table.add_row(
            c.report,
            c.partner,
            c.before.value,
            f"{'[red]' if tighter else '[bold green]'}{c.after.value}[/]",
            c.reasons[0] if c.reasons else "",
        )
    return table


def render(result: Reassessment) -> None:
    if result.decision_changes:
        console.print(decision_changes_table(result.decision_changes))
    else:
        console.print("No pending decision changes.")
    _sources(
        "Sources the change pushes above their threshold (worst first)", result.sources_at_risk
    )
    if not result.sources_at_risk:
        console.print("No source is newly above its threshold.")
    _sources(
        "Already above their threshold before the change: act regardless", result.already_at_risk
    )
    for a in result.adjustments:
        fixes = ", ".join(
            f"{f.report}:{f.version} (cumulative {f.cumulative_risk:.4f}, reach {f.reach:.3f})"
            for f in a.fixes[:4]
        ) + (" …" if len(a.fixes) > 4 else "")
        console.print(
            f"[yellow]Adjust[/] {a.partner}: {a.action} "
            f"(protocol {a.protocol.id} v{a.protocol.version}); fixes {fixes}"
        )


def _sources(title: str, sources: tuple[SourceAtRisk, ...]) -> None:
    if not sources:
        return
    table = Table(title=title, title_justify="left")
    for column in ("source", "before", "after", "max", "releases responsible"):
        table.add_column(column)
    for s in sources:
        table.add_row(
            s.source,
            f"{s.before:.4f}",
            f"[red]{s.after:.4f}[/]",
            f"{s.max_risk:.4f}",
            ", ".join(s.releases[:4]) + (" …" if len(s.releases) > 4 else ""),
        )
    console.print(table)


@app.command()
@handles_errors
def history(
    partner: Annotated[str | None, typer.Option("--partner", help="Only this partner.")] = None,
    who: Annotated[
        str | None, typer.Option("--who", help="Only the audit entries of this person.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Save a trend plot (.png or .svg).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """How ties, protocols and decisions evolved, and the audit trail: who did what, when, why."""
    if plot is not None and plot.suffix.lower() not in {".png", ".svg"}:
        raise typer.BadParameter("--plot must end in .png or .svg")
    with stored() as (_, session):
        view = history_service.history(session, partner, who=who)
    if plot is not None:
        history_service.plot(view, plot)
    if as_json:
        emit_json({**view.as_dict(), "plot": str(plot) if plot else None})
        return
    ties = Table(
        title="Ties over time" + (f" ({partner})" if partner else ""), title_justify="left"
    )
    for column in (
        "from",
        "to",
        "as of",
        "diplomatic",
        "trade",
        "military",
        "intelligence",
        "note",
    ):
        ties.add_column(column)
    for t in view.ties:
        ties.add_row(
            t["from"],
            t["to"],
            t["as_of"],
            *(f"{t[d]:.2f}" for d in ("diplomatic", "trade", "military", "intelligence")),
            t["note"],
        )
    console.print(ties)
    protocols = Table(title="Protocol versions", title_justify="left")
    for column in ("protocol", "version", "recorded", "reason", "applies to"):
        protocols.add_column(column)
    for p in view.protocols:
        protocols.add_row(
            p["id"],
            str(p["version"]),
            p["recorded_at"] or "(loaded)",
            p["reason"],
            ", ".join(p["applies_to"]),
        )
    console.print(protocols)
    decisions = Table(title="Decisions recorded", title_justify="left")
    for column in ("day", "purpose", "full", "tearline", "withhold"):
        decisions.add_column(column)
    for d in view.decisions:
        decisions.add_row(
            d["as_of"], d["purpose"], str(d["full"]), str(d["tearline"]), str(d["withhold"])
        )
    console.print(decisions)
    render_trail(view.audit)
    if plot is not None:
        console.print(f"Trend plot saved to {plot}")
