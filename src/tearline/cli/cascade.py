"""`tearline cascade`: what happens when allies follow us in restricting a hub."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from tearline.cli.app import app, read_world
from tearline.cli.decide import AsOf, Seed, parse_day
from tearline.cli.ensemble_opts import UseDask
from tearline.cli.output import console, emit_json, handles_errors
from tearline.cli.progress import working
from tearline.services.cascade import SweepPoint, cascade_view, run_cascade, sweep, sweep_dates
from tearline.services.sweep import runner


def _pct(value: float) -> str:
    return f"{value:.2e}" if 0 < value < 1e-3 else f"{value:.4f}"


def _dates(text: str, step: int) -> list[date]:
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise ValueError
        days = sweep_dates(date.fromisoformat(first), date.fromisoformat(last), step)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: expected FROM..TO (YYYY-MM-DD..YYYY-MM-DD)", param_hint="--sweep-dates"
        ) from None
    if not days:
        raise typer.BadParameter(f"{text!r}: FROM is after TO", param_hint="--sweep-dates")
    return days


def _tolerances(text: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: expected numbers like 0.1,0.2,0.3", param_hint="--sweep-reach"
        ) from None
    if not all(0.0 <= v <= 1.0 for v in values):
        raise typer.BadParameter(f"{text!r}: tolerances lie in 0..1", param_hint="--sweep-reach")
    return values


@app.command(name="cascade")
@handles_errors
def cascade_(
    restrict: Annotated[str, typer.Option("--restrict", help="The hub we restrict.")],
    as_of: AsOf = None,
    seed: Seed = 0,
    sweep_dates_: Annotated[
        str | None,
        typer.Option("--sweep-dates", help="Run the cascade on every date FROM..TO instead."),
    ] = None,
    step_days: Annotated[
        int, typer.Option("--step-days", min=1, help="Days between swept dates.")
    ] = 30,
    sweep_reach: Annotated[
        str | None,
        typer.Option(
            "--sweep-reach", help="Run it with every ally's reach tolerance set to each of these."
        ),
    ] = None,
    use_dask: UseDask = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Allies restricting the hub in turn (a threshold model), and our sources'
    exposure before and after. Writes nothing."""
    world = read_world()
    if sweep_dates_ is not None or sweep_reach is not None:
        days = _dates(sweep_dates_, step_days) if sweep_dates_ else [parse_day(as_of)]
        tolerances: list[float | None] = list(_tolerances(sweep_reach)) if sweep_reach else [None]
        points = [SweepPoint(d, t) for d in days for t in tolerances]
        with working(f"cascade at {len(points)} points"), runner(use_dask) as run:
            rows = sweep(world, restrict, points, seed=seed, runner=run)
            name = run.name
        if as_json:
            emit_json({"hub": restrict, "seed": seed, "runner": name, "sweep": rows})
            return
        _sweep_table(restrict, rows)
        return
    day = parse_day(as_of)
    with working("running the cascade"):
        report = run_cascade(world, restrict, day, seed=seed)
    view = cascade_view(report)
    if as_json:
        emit_json(view)
        return
    render_cascade(view)


def render_cascade(view: dict[str, Any]) -> None:
    console.print(
        f"[bold]Cascade[/] after we restrict [bold]{view['hub']}[/], as of {view['as_of']} "
        f"(allies: {', '.join(view['allies']) or 'none'}; nothing is written)"
    )
    if not view["rounds"]:
        console.print("  No ally's tolerance is passed: nobody follows.")
    for r in view["rounds"]:
        for x in r["restricting"]:
            console.print(
                f"  round {r['round']}: [bold]{x['ally']}[/] restricts "
                f"(intelligence to {view['hub']} {x['intelligence_before']:g} → "
                f"{x['intelligence_after']:g}) — {x['reason']}"
            )
    reach = ", ".join(
        f"{r['adversary']} {_pct(r['before'])} → {_pct(r['after'])}" for r in view["reach"]
    )
    console.print(f"  {view['hub']}'s reach: {reach}")
    table = Table("source", "exposure before", "after", "max", title_justify="left")
    for s in sorted(view["exposure"], key=lambda s: -s["before"]):
        flag = "[bold red]" if s["exceeds_after"] else ""
        table.add_row(
            s["source"], _pct(s["before"]), f"{flag}{_pct(s['after'])}", _pct(s["max_risk"])
        )
    console.print(table)


def _sweep_table(hub: str, rows: list[dict[str, Any]]) -> None:
    table = Table(
        "as of",
        "reach tol.",
        "rounds",
        "restricting",
        f"{hub} reach",
        "worst exposure before → after",
        "sources over",
        title=f"Cascade sweep: restricting {hub}",
        title_justify="left",
    )
    for r in rows:
        tol = "own" if r["reach_tolerance"] is None else f"{r['reach_tolerance']:g}"
        table.add_row(
            r["as_of"],
            tol,
            str(r["rounds"]),
            ", ".join(r["restricted"]) or "—",
            _pct(r["hub_reach_before"]),
            f"{_pct(r['worst_exposure_before'])} → {_pct(r['worst_exposure_after'])}",
            f"{r['sources_over_before']} → {r['sources_over_after']}",
        )
    console.print(table)
