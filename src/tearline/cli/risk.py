"""Risk commands: `reach`, `assess`, `exposure`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tearline.cli.app import app, read_world
from tearline.cli.decide import AsOf, Seed, parse_day
from tearline.cli.output import console, emit_json, handles_errors
from tearline.cli.progress import working
from tearline.domain.releases import Version
from tearline.risk import RiskOptions, assess_release, exposure, reach_in_world
from tearline.services import risk_views
from tearline.services.disclosure import ProductDisclosure

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
    as_json: JsonFlag = False,
) -> None:
    """P(material given to a partner reaches an adversary), with leak paths."""
    if exact and (samples is not None or precision is not None):
        raise typer.BadParameter("--exact cannot be combined with --samples or --precision")
    day = parse_day(as_of)
    world = read_world()
    with working("computing reach"):
        result = reach_in_world(
            world,
            partners=source or None,
            adversaries=target or None,
            as_of=day,
            # Asking for a sample size or a precision asks for Monte Carlo.
            method="exact"
            if exact
            else ("monte-carlo" if samples is not None or precision is not None else "auto"),
            samples=samples,
            precision=precision,
            seed=seed,
            paths=paths,
        )
    if as_json:
        emit_json(risk_views.reach_view(result))
        return
    table = Table(title=f"Reach as of {day.isoformat()}", title_justify="left")
    for column in ("from", "to", "reach", "95 % interval", "method", "most probable path"):
        table.add_column(column)
    for pair in result.pairs:
        ci = f"[{_pct(pair.ci[0])}, {_pct(pair.ci[1])}]" if pair.ci else "exact"
        best = pair.paths[0] if pair.paths else None
        path = f"{' → '.join(best.actors)} ({_pct(best.probability)})" if best else "—"
        table.add_row(pair.partner, pair.adversary, _pct(pair.reach), ci, pair.method, path)
    console.print(table)
    if result.worlds:
        console.print(f"{result.worlds:,} sampled worlds, seed {result.seed}")


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
    as_json: JsonFlag = False,
) -> None:
    """Marginal and cumulative risk of releasing a report to a partner, per source."""
    day = parse_day(as_of)
    world = read_world()
    with working("assessing"):
        result = assess_release(
            world,
            report,
            partner,
            version,
            options=RiskOptions(as_of=day, seed=seed, disclosure=ProductDisclosure(world)),
        )
    if as_json:
        emit_json(risk_views.assessment_view(result))
        return
    console.print(
        f"[bold]{report}[/] → [bold]{partner}[/] ({version.value}), as of {day.isoformat()}: "
        f"marginal {_pct(result.marginal)}, cumulative {_pct(result.cumulative)} "
        f"({'exact' if result.exact else f'{result.worlds:,} worlds'})"
    )
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
    as_json: JsonFlag = False,
) -> None:
    """Every source's cumulative risk from what was already released, and what drives it."""
    day = parse_day(as_of)
    world = read_world()
    with working("computing exposure"):
        options = RiskOptions(as_of=day, seed=seed, disclosure=ProductDisclosure(world))
        result = exposure(world, sources=source or None, options=options)
    if as_json:
        emit_json(risk_views.exposure_view(result))
        return
    table = Table(title=f"Exposure as of {day.isoformat()}", title_justify="left")
    for column in ("source", "risk", "max", "by adversary", "main driver"):
        table.add_column(column)
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
        table.add_row(s.source, f"{style}{_pct(s.risk)}", _pct(s.max_risk), by, main)
    console.print(table)
    over = [s.source for s in result.sources if s.exceeds]
    if over:
        console.print(
            f"[bold red]{len(over)} source(s) above their threshold:[/] {', '.join(over)}"
        )
