"""`tearline trace FILE...`: which released copies a leaked text derives from.

Exit codes: 0 when the trace ran (whether or not anyone is accused); 2 when a file cannot be
read, or the fingerprint key does not match the stored streams.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tearline.cli.app import app, workspace
from tearline.cli.output import console, emit_json, handles_errors
from tearline.domain.errors import MalformedInputError
from tearline.services.fingerprints import fingerprint_key, fingerprint_key_path
from tearline.services.trace import DEFAULT_EPSILON, Leak, TraceReport, trace_leaks

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@app.command("trace")
@handles_errors
def trace_command(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Leaked texts.")],
    epsilon: Annotated[
        float,
        typer.Option(
            "--epsilon",
            min=1e-12,
            max=0.5,
            help="Bound on the probability of accusing any innocent recipient.",
        ),
    ] = DEFAULT_EPSILON,
    as_json: JsonFlag = False,
) -> None:
    """Align leaked texts to the released reports, read their fingerprints, name the copies."""
    leaks = [Leak(str(path), read_leak(path)) for path in files]
    ws = workspace()
    try:
        ws.open(create=False)
        # No key and nothing fingerprinted yet: the trace runs and matches nothing.
        has_key = fingerprint_key_path(ws.settings).exists()
        key = fingerprint_key(ws) if has_key else None
        with ws.unit_of_work() as session:
            report = trace_leaks(session, key, leaks, epsilon=epsilon)
    finally:
        ws.close()
    if as_json:
        emit_json(report.as_dict())
    else:
        render(report)


def read_leak(path: Path) -> str:
    """A leaked text: UTF-8 (a BOM is dropped; undecodable bytes become U+FFFD, since leaks
    arrive in any state)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MalformedInputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    return raw.decode("utf-8-sig", errors="replace")


def render(report: TraceReport) -> None:
    result = report.result
    documents = Table(title="Leaked documents", title_justify="left")
    for column in ("file", "report", "version", "coverage", "symbols read", "erasures"):
        documents.add_column(column)
    for d in result.documents:
        documents.add_row(
            Path(d.name).name,
            d.report or "—",
            d.version or "—",
            f"{d.coverage:.0%}",
            str(d.symbols_read),
            str(d.erasures),
        )
    console.print(documents)
    if result.candidates:
        scores = Table(
            title=f"Recipients scored (ε = {result.epsilon:g} for all of them together)",
            title_justify="left",
        )
        for column in ("partner", "score", "threshold", "p ≤", "accused"):
            scores.add_column(column, justify="right" if column != "partner" else "left")
        for c in result.candidates:
            scores.add_row(
                c.partner,
                f"{c.score:.1f}",
                f"{c.threshold:.1f}",
                f"{c.tail:.2g}",
                "[bold red]yes[/]" if c.accused else "no",
            )
        console.print(scores)
    style = "bold red" if result.accused else "bold"
    console.print(f"[{style}]{result.verdict}[/]")
    for partner, links in report.links.items():
        for link in links:
            console.print(f"  {partner}: {link.release} — receipt: {link.receipt_command}")
