"""`tearline decide`: the decision matrix of pending (report, partner) pairs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.table import Table

from tearline.cli.acting import WhoOption, act, recording
from tearline.cli.app import app, read_world
from tearline.cli.ensemble_opts import (
    DEFAULT_MEMBERS_OPT,
    DEFAULT_QUANTILES_OPT,
    Members,
    Quantiles,
    UseDask,
)
from tearline.cli.ensemble_opts import settings as ensemble_settings
from tearline.cli.output import console, emit_json, handles_errors
from tearline.cli.progress import track, working
from tearline.services.decisions import Decision, Outcome, decide_pending
from tearline.services.risk_views import with_decision_spreads
from tearline.services.sweep import runner
from tearline.services.uncertainty import decision_spreads

_CELL = {
    Outcome.FULL: "[green]FULL[/]",
    Outcome.TEARLINE: "[yellow]TEAR[/]",
    Outcome.WITHHOLD: "[red]—[/]",
}


def parse_day(value: str | None) -> date:
    """The day decisions are made for; the clock is read here, at the edge."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (write YYYY-MM-DD)") from None


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Decide as of this day (YYYY-MM-DD; default today).")
]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the sampled worlds (reproducible).")]


@app.command()
@handles_errors
def decide(
    report: Annotated[
        list[str] | None, typer.Option("--report", help="Only this report (repeatable).")
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="Only this partner (repeatable).")
    ] = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    members: Members = DEFAULT_MEMBERS_OPT,
    quantiles: Quantiles = DEFAULT_QUANTILES_OPT,
    use_dask: UseDask = False,
    who: WhoOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Decide every pending (report, partner) pair: full, tearline or withhold, with reasons."""
    wanted = ensemble_settings(members, quantiles)
    today = parse_day(as_of)
    actor = act(who)
    with recording() as (_, session, trail):
        # Each decision is recorded with the protocol versions and figures.
        decisions = decide_pending(
            session,
            today=today,
            at=datetime.now(UTC),
            seed=seed,
            reports=report,
            partners=partner,
            progress=lambda pairs: track(pairs, len(pairs), "deciding"),
        )
        trail.record(
            actor,
            action="decide",
            subject=f"{len(decisions)} pair(s)",
            details={
                "as_of": today.isoformat(),
                "seed": seed,
                **{o.value: sum(1 for d in decisions if d.outcome is o) for o in Outcome},
            },
        )
    # Uncertain inputs: each figure's spread (decisions read the protective point).
    world = read_world()
    spreads = None
    if world.uncertain(today):
        with working("figures over tie-worlds"), runner(use_dask) as run:
            spreads = decision_spreads(
                world,
                [(d.report, d.partner) for d in decisions],
                today=today,
                seed=seed,
                settings=wanted,
                runner=run,
            )
    if as_json:
        doc = {"as_of": today.isoformat(), "decisions": [d.as_dict() for d in decisions]}
        if spreads is not None:
            with_decision_spreads(doc, *spreads)
        emit_json(doc)
        return
    render_matrix(decisions, today)
    if spreads is not None:
        info = spreads[0]
        console.print(
            f"Uncertain inputs ({', '.join(info.inputs)}): decisions read the figures at a "
            f"protective {world.model.decision_quantile:.0%} point; each figure's range over "
            f"{info.members} tie-worlds is in --json (figures.*.uncertainty)."
        )


def render_matrix(decisions: list[Decision], today: date) -> None:
    partners = sorted({d.partner for d in decisions})
    reports = list(dict.fromkeys(d.report for d in decisions))
    cells = {(d.report, d.partner): d for d in decisions}
    table = Table(title=f"Decisions as of {today.isoformat()}", title_justify="left")
    table.add_column("report", no_wrap=True)
    for p in partners:
        table.add_column(p, justify="center")
    for r in reports:
        table.add_row(
            r, *(_CELL[cells[(r, p)].outcome] if (r, p) in cells else "" for p in partners)
        )
    console.print(table)
    counts = {o: sum(1 for d in decisions if d.outcome is o) for o in Outcome}
    console.print(
        f"{len(decisions)} pending pairs: {counts[Outcome.FULL]} full, "
        f"{counts[Outcome.TEARLINE]} tearline, {counts[Outcome.WITHHOLD]} withheld. "
        "Use --report/--partner with --json for reasons and figures."
    )
    if len(decisions) <= 6:
        for d in decisions:
            console.print(f"[bold]{d.report} → {d.partner}[/]: {d.outcome.value}")
            for reason in d.reasons:
                console.print(f"  - {reason.render()}")
