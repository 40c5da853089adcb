"""Risk commands: `reach`, `assess`, `exposure`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tearline.cli.app import app, read_world
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
from tearline.domain.releases import Version
from tearline.services import risk_views
from tearline.services.sweep import runner
from tearline.services.uncertainty import (
    EnsembleInfo,
    Method,
    ReachQuery,
    Spread,
    assess_spread,
    exposure_spread,
    reach_spread,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _pct(value: float) -> str:
    return f"{value:.2e}" if 0 < value < 1e-3 else f"{value:.4f}"


@app.command()
@handles_errors
def reach(
    source: Annotated[
        list[str] | None, typer.Option("--from", help="Partner (repeatable; default all).")
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option("--to", help="Adversary (repeatable; default all).")
    ] = None,
    exact: Annotated[
        bool, typer.Option("--exact", help="Exact answers only (error if too large).")
    ] = False,
    samples: Annotated[
        int | None, typer.Option("--samples", min=64, help="Monte Carlo worlds.")
    ] = None,
    precision: Annotated[
        float | None,
        typer.Option(
            "--precision", min=0.001, max=1.0, help="Relative half-width wanted, e.g. 0.1 = ±10 %."
        ),
    ] = None,
    seed: Seed = 0,
    as_of: AsOf = None,
    paths: Annotated[
        int, typer.Option("--paths", min=0, help="Most probable leak paths to show.")
    ] = 3,
    members: Members = DEFAULT_MEMBERS_OPT,
    quantiles: Quantiles = DEFAULT_QUANTILES_OPT,
    use_dask: UseDask = False,
    as_json: JsonFlag = False,
) -> None:
    """P(material given to a partner reaches an adversary), with leak paths.

    When a tie or protection is uncertain (a range or a belief) or an actor is
    impulsive, each reach also gets its spread over an ensemble of tie-worlds."""
    if exact and (samples is not None or precision is not None):
        raise typer.BadParameter("--exact cannot be combined with --samples or --precision")
    wanted = settings(members, quantiles)
    day = parse_day(as_of)
    world = read_world()
    # Asking for a sample size or a precision asks for Monte Carlo.
    method: Method = (
        "exact"
        if exact
        else ("monte-carlo" if samples is not None or precision is not None else "auto")
    )
    with working("computing reach"):
        result = risk_views.reach(
            world,
            partners=source or None,
            adversaries=target or None,
            as_of=day,
            method=method,
            samples=samples,
            precision=precision,
            seed=seed,
            paths=paths,
        )
    spread: tuple[EnsembleInfo, list[Spread]] | None = None
    if world.uncertain(day):
        query = ReachQuery(
            tuple(source) if source else None,
            tuple(target) if target else None,
            day,
            method,
            samples,
            precision,
            seed,
        )
        with working(f"reach over {wanted.members} tie-worlds"), runner(use_dask) as run:
            spread = reach_spread(world, query, wanted, run)
    if as_json:
        view = risk_views.reach_view(result)
        emit_json(risk_views.with_reach_spread(view, *spread) if spread else view)
        return
    table = Table(title=f"Reach as of {day.isoformat()}", title_justify="left")
    columns = ["from", "to", "reach", "95 % interval", "method", "most probable path"]
    if spread:
        columns.insert(3, f"uncertain inputs ({quantile_label(wanted)})")
    for column in columns:
        table.add_column(column)
    for k, pair in enumerate(result.pairs):
        ci = f"[{_pct(pair.ci[0])}, {_pct(pair.ci[1])}]" if pair.ci else "exact"
        best = pair.paths[0] if pair.paths else None
        path = f"{' → '.join(best.actors)} ({_pct(best.probability)})" if best else "—"
        row = [pair.partner, pair.adversary, _pct(pair.reach), ci, pair.method, path]
        if spread:
            row.insert(3, _spread_text(spread[1][k]))
        table.add_row(*row)
    console.print(table)
    if result.worlds:
        console.print(f"{result.worlds:,} sampled worlds, seed {result.seed}")
    if spread:
        _ensemble_note(spread[0])


def _spread_text(spread: Spread) -> str:
    text = range_text(spread.interval)
    if spread.drivers:
        text += f" · {spread.drivers[0][0]}"
    return text


def _ensemble_note(info: EnsembleInfo) -> None:
    console.print(
        f"Ranges over {info.members:,} tie-worlds drawn from {len(info.inputs)} uncertain "
        f"input(s) ({', '.join(info.inputs)}), seed {info.seed}, {info.runner}; "
        "the input named beside a range contributes most to its width."
    )


@app.command()
@handles_errors
def assess(
    report: Annotated[str, typer.Argument(help="Report id.")],
    partner: Annotated[str, typer.Option("--partner", help="Candidate recipient.")],
    version: Annotated[
        Version, typer.Option("--version", help="Version to assess.")
    ] = Version.FULL,
    seed: Seed = 0,
    as_of: AsOf = None,
    members: Members = DEFAULT_MEMBERS_OPT,
    quantiles: Quantiles = DEFAULT_QUANTILES_OPT,
    use_dask: UseDask = False,
    as_json: JsonFlag = False,
) -> None:
    """Marginal and cumulative risk of releasing a report to a partner, per source."""
    wanted = settings(members, quantiles)
    day = parse_day(as_of)
    world = read_world()
    options = risk_views.risk_options(world, as_of=day, seed=seed)
    with working("assessing"):
        result = risk_views.assess(world, report, partner, version, options)
    spread = None
    if world.uncertain(day):
        with working(f"assessing over {wanted.members} tie-worlds"), runner(use_dask) as run:
            spread = assess_spread(world, (report, partner, version), options, wanted, run)
    if as_json:
        view = risk_views.assessment_view(result)
        emit_json(risk_views.with_assessment_spread(view, *spread) if spread else view)
        return
    console.print(
        f"[bold]{report}[/] → [bold]{partner}[/] ({version.value}), as of {day.isoformat()}: "
        f"marginal {_pct(result.marginal)}, cumulative {_pct(result.cumulative)} "
        f"({'exact' if result.exact else f'{result.worlds:,} worlds'})"
    )
    if spread:
        console.print(
            f"  uncertain inputs ({quantile_label(wanted)}): marginal "
            f"{_spread_text(spread[1].marginal)}; cumulative {_spread_text(spread[1].cumulative)}"
        )
        _ensemble_note(spread[0])
    table = Table("source", "before", "after", "marginal", "max", "disclosed", "reach / top path")
    for s in result.sources:
        flag = "[red]" if s.exceeds else ""
        disclosed = ", ".join(f"{d.name}@{d.level} ({d.selectivity:g})" for d in s.disclosed) or "—"
        drivers = "; ".join(
            f"{r.adversary} {_pct(r.reach)}"
            + (f" via {' → '.join(r.paths[0].actors)}" if r.paths else "")
            for r in s.adversaries
        )
        table.add_row(
            s.source,
            _pct(s.before),
            f"{flag}{_pct(s.after)}",
            _pct(s.marginal),
            _pct(s.max_risk),
            disclosed,
            drivers,
        )
    console.print(table)


@app.command(name="exposure")
@handles_errors
def exposure_(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    seed: Seed = 0,
    as_of: AsOf = None,
    members: Members = DEFAULT_MEMBERS_OPT,
    quantiles: Quantiles = DEFAULT_QUANTILES_OPT,
    use_dask: UseDask = False,
    as_json: JsonFlag = False,
) -> None:
    """Every source's cumulative risk from what was already released, and what drives it."""
    wanted = settings(members, quantiles)
    day = parse_day(as_of)
    world = read_world()
    with working("computing exposure"):
        options = risk_views.risk_options(world, as_of=day, seed=seed)
        result = risk_views.source_exposure(world, source or None, options)
    spread = None
    if world.uncertain(day):
        with working(f"exposure over {wanted.members} tie-worlds"), runner(use_dask) as run:
            spread = exposure_spread(world, source or None, options, wanted, run)
    if as_json:
        view = risk_views.exposure_view(result)
        emit_json(risk_views.with_exposure_spread(view, *spread) if spread else view)
        return
    table = Table(title=f"Exposure as of {day.isoformat()}", title_justify="left")
    columns = ["source", "risk", "max", "by adversary", "main driver"]
    if spread:
        columns.insert(2, f"uncertain inputs ({quantile_label(wanted)})")
    for column in columns:
        table.add_column(column)
    ranges = {s.source: spread[1][k] for k, s in enumerate(result.sources)} if spread else {}
    for s in sorted(result.sources, key=lambda x: -x.risk):
        style = "[bold red]" if s.exceeds else ""
        by = ", ".join(f"{a} {_pct(r)}" for a, r in s.adversaries)
        driver = s.drivers[0] if s.drivers else None
        main = (
            f"{len(driver.releases)} release(s) to {driver.partner} → {driver.adversary} "
            f"(reach {_pct(driver.reach)})"
            if driver
            else "—"
        )
        row = [s.source, f"{style}{_pct(s.risk)}", _pct(s.max_risk), by, main]
        if spread:
            row.insert(2, _spread_text(ranges[s.source]))
        table.add_row(*row)
    console.print(table)
    if spread:
        _ensemble_note(spread[0])
    over = [s.source for s in result.sources if s.exceeds]
    if over:
        console.print(
            f"[bold red]{len(over)} source(s) above their threshold:[/] {', '.join(over)}"
        )
