"""Options shared by the commands that compute over ensembles of tie-worlds."""

from __future__ import annotations

from typing import Annotated

import typer

from tearline.services.uncertainty import (
    DEFAULT_MEMBERS,
    EnsembleSettings,
    Interval,
    parse_quantiles,
)

Members = Annotated[
    int,
    typer.Option(
        "--ensemble",
        min=2,
        max=100_000,
        help="Tie-worlds drawn from uncertain inputs (only used when some input is uncertain).",
    ),
]
Quantiles = Annotated[
    str,
    typer.Option(
        "--quantiles", help="Percentiles reported as low,median,high (default 0.05,0.5,0.95)."
    ),
]
UseDask = Annotated[
    bool,
    typer.Option(
        "--dask",
        help="Run the ensemble on a local Dask cluster (TEARLINE_DASK=tcp://host:port "
        "names a running one instead).",
    ),
]
DEFAULT_MEMBERS_OPT = DEFAULT_MEMBERS
DEFAULT_QUANTILES_OPT = "0.05,0.5,0.95"


def settings(members: int, quantiles: str) -> EnsembleSettings:
    try:
        return EnsembleSettings(members, parse_quantiles(quantiles))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--quantiles") from None


def _pct(value: float) -> str:
    return f"{value:.2e}" if 0 < value < 1e-3 else f"{value:.4f}"


def range_text(i: Interval) -> str:
    """``[low – high]`` as the human output shows a spread."""
    return f"[{_pct(i.low)} – {_pct(i.high)}]"


def quantile_label(settings: EnsembleSettings) -> str:
    low, _, high = settings.quantiles
    return f"{low * 100:g}–{high * 100:g} %"
