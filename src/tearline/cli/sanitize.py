"""`tearline sanitize`: the tearline version of a report, with what changed and why."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from tearline.cli.app import app, workspace
from tearline.cli.output import EXIT_FINDING, console, emit_json, handles_errors
from tearline.services.approvals import Approval, Approvals, approve, text_hash
from tearline.services.audit import Act, AuditTrail
from tearline.services.ledger import open_ledger
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
    approve_: Annotated[
        bool,
        typer.Option(
            "--approve",
            help="Approve this exact tearline for --partner although its k is unverified "
            "(needs --reviewer and --reason).",
        ),
    ] = False,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Who approves (with --approve).")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the text may leave (with --approve).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the tearline of REPORT: every detail that narrows its sources is
    generalised (or dropped) until each source keeps the target k. Exits 1
    when some source cannot reach the target even with everything dropped, or
    when the k is unverified (spans left for review) and no named reviewer
    approved this text for the partner. With --approve, stores that approval."""
    if approve_:
        missing = [
            flag
            for flag, value in (
                ("--partner", partner),
                ("--reviewer", reviewer),
                ("--reason", reason),
            )
            if not (value or "").strip()
        ]
        if missing:
            raise typer.BadParameter(f"--approve needs {', '.join(missing)}")
    elif reviewer is not None or reason is not None:
        raise typer.BadParameter("--reviewer and --reason go with --approve")
    ws = workspace()
    try:
        ws.open(create=False)
        # An approval is an act on the record: audited (the reviewer is who acts) and sealed
        # in the ledger with the approval itself.
        ledger = open_ledger(ws, create_key=True) if approve_ else None
        with ws.unit_of_work() as session:
            result = sanitize_report(session, report, partner=partner, target_k=target_k)
            if approve_:
                now = datetime.now(UTC).replace(microsecond=0)
                approval: Approval | None = approve(
                    session, result, reviewer=reviewer or "", reason=reason or "", now=now
                )
                assert ledger is not None
                assert approval is not None
                AuditTrail(session, ledger.signing_key).record(
                    Act.named(reviewer, at=now, reason=reason or ""),
                    action="approve",
                    subject=f"{report} -> {partner}",
                    details={"approval": approval.id, "text_sha256": approval.text_sha256},
                )
            elif partner is not None:
                approval = Approvals.load(session).for_text(report, partner, result.result)
            else:
                approval = None
    finally:
        ws.close()
    if as_json:
        emit_json(document(result, approval))
    else:
        _show(result, approval)
    s = result.result
    if not s.meets_target or (not s.k_verified and approval is None):
        raise typer.Exit(EXIT_FINDING)


def document(result: SanitizeResult, approval: Approval | None = None) -> dict[str, Any]:
    """The JSON document of `tearline sanitize --json` (docs/cli.md)."""
    s = result.result
    return {
        "report": result.report,
        "partner": result.partner,
        "target_k": result.target_k,
        "target_from": result.target_from,
        "meets_target": s.meets_target,
        "k_verified": s.k_verified,
        "review": [{"text": r.text, "why": r.why} for r in s.review],
        "text_sha256": text_hash(s),
        "approval": None
        if approval is None
        else {
            "id": approval.id,
            "reviewer": approval.reviewer,
            "reason": approval.reason,
            "at": approval.at,
            "text_sha256": approval.text_sha256,
        },
        "header": {f.name: f.text for f in s.header},
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


def _show(result: SanitizeResult, approval: Approval | None) -> None:
    s = result.result
    whom = f" for {result.partner}" if result.partner else ""
    console.print(
        f"[bold]Tearline of {result.report}{whom}[/] — target k ≥ {result.target_k:,.0f} "
        f"({result.target_from})"
    )
    console.print()
    for f in s.header:
        if f.text != f.original:
            console.print(f"{f.name}: [red strike]{f.original}[/] [bold green]{f.text}[/]")
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
    if s.k_verified:
        console.print("[green]k verified[/]: a proven lower bound for every source")
    else:
        console.print(
            "[yellow]k unverified[/]: these spans may still say who a source is; "
            "a named reviewer must approve the text before it can be released"
        )
        for r in s.review:
            console.print(f"  [yellow]•[/] {_short(r.text)} — {r.why}")
        if approval is not None:
            console.print(
                f"[green]Approved[/] by {approval.reviewer} at {approval.at:%Y-%m-%d %H:%M}Z: "
                f"{approval.reason}"
            )


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
