"""`tearline sanitize`: the tearline version of a report, with what changed and why."""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from tearline.cli.app import app, workspace
from tearline.cli.output import EXIT_FINDING, console, emit_json, handles_errors
from tearline.services.sanitize import Sanitized, SanitizeResult, sanitize_report

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@app.command()
@handles_errors
def sanitize(
    report: Annotated[str, typer.Argument(metavar="REPORT", help="Report id.")],
    partner: Annotated[
        str | None,
        typer.Option("--partner", help="Take the anonymity target from this partner's protocols."),
    ] = None,
    target_k: Annotated[
        float | None,
        typer.Option(
            "--target-k", min=1, help="Anonymity every source must keep (wins over --partner)."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the tearline of REPORT: every detail that narrows its sources is
    generalised (or dropped) until each source keeps the target k. Exits 1
    when some source cannot reach the target even with everything dropped."""
    ws = workspace()
    try:
        ws.open(create=False)
        with ws.unit_of_work() as session:
            result = sanitize_report(session, report, partner=partner, target_k=target_k)
    finally:
        ws.close()
    if as_json:
        emit_json(document(result))
    else:
        _show(result)
    if not result.result.meets_target:
        raise typer.Exit(EXIT_FINDING)


def document(result: SanitizeResult) -> dict[str, Any]:
    """The JSON document of `tearline sanitize --json` (docs/cli.md)."""
    s = result.result
    return {
        "report": result.report,
        "partner": result.partner,
        "target_k": result.target_k,
        "target_from": result.target_from,
        "meets_target": s.meets_target,
        "text": s.text,
        "changes": [
            {
                "start": c.start,
                "end": c.end,
                "before": c.before,
                "after": c.after,
                "source": c.source,
                "attribute": c.attribute,
                "kind": c.kind,
                "why": c.why,
            }
            for c in s.changes
        ],
        "sources": [
            {
                "source": x.source,
                "k": x.k,
                "marginal_risk": x.marginal_risk,
                "levels": x.levels,
                "original_k": x.original_k,
                "original_levels": x.original_levels,
                "meets_target": x.meets_target,
            }
            for x in s.sources
        ],
    }


def _show(result: SanitizeResult) -> None:
    s = result.result
    whom = f" for {result.partner}" if result.partner else ""
    console.print(
        f"[bold]Tearline of {result.report}{whom}[/] — target k ≥ {result.target_k:,.0f} "
        f"({result.target_from})"
    )
    console.print()
    console.print(diff(s))
    console.print()
    if s.changes:
        table = Table("before", "after", "kind", "why", title="Changes", title_justify="left")
        for c in s.changes:
            table.add_row(
                Text(_short(c.before), style="red"),
                Text(_short(c.after) or "—", style="green"),
                c.attribute or c.kind,
                c.why,
            )
        console.print(table)
    sources = Table("source", "k before", "k after", "target met", title="Sources")
    sources.title_justify = "left"
    for x in s.sources:
        sources.add_row(
            x.source,
            f"{x.original_k:,.0f}",
            f"{x.k:,.0f}",
            "[green]yes[/]" if x.meets_target else "[red]no[/]",
        )
    console.print(sources)
    if s.flagged:
        names = sorted({f"{f.text} ({f.kind.value})" for f in s.flagged})
        console.print(f"[dim]Kept, for review: {', '.join(names)}[/]")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_WORDS = re.compile(r"\s+|[^\s]+")


def diff(result: Sanitized) -> Text:
    """A word-level diff of the original and the tearline: deletions in red
    (struck through), insertions in green."""
    a = _WORDS.findall(result.original)
    b = _WORDS.findall(result.text)
    out = Text()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append("".join(a[i1:i2]), style="red strike")
        if op in ("insert", "replace"):
            out.append("".join(b[j1:j2]), style="bold green")
    return out
