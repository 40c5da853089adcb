"""Rich rendering of the demo overview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.panel import Panel
from rich.table import Table

from tearline.cli.decide import render_matrix
from tearline.cli.output import console
from tearline.cli.reassess import render as render_reassessment
from tearline.cli.trace import render as render_trace
from tearline.services.amend import AmendResult
from tearline.services.approvals import Approval
from tearline.services.decisions import Decision
from tearline.services.demo import Overview
from tearline.services.demo_leak import LeakAct
from tearline.services.reassess import Reassessment
from tearline.services.release import ReleaseResult
from tearline.services.sanitize import SanitizeResult

_BAR = "▁▂▃▄▅▆▇█"


def _spark(values: list[float]) -> str:
    return "".join(_BAR[min(len(_BAR) - 1, int(v * len(_BAR)))] for v in values)


def render_overview(view: Overview, *, home: str) -> None:
    counts = ", ".join(f"{n} {k}" for k, n in view.counts.items())
    console.print(
        Panel.fit(
            f"[bold]tearline demo[/] — a fictional world loaded into a fresh embedded database\n"
            f"{counts}\nhome: {home}",
            border_style="cyan",
        )
    )

    actors = Table(title="Actors", title_justify="left")
    for column in ("id", "name", "kind", "protection", "capacity", "groups"):
        actors.add_column(column)
    for a in view.actors:
        actors.add_row(
            a["id"],
            a["name"],
            a["kind"],
            f"{a['protection']:.2f}",
            str(a["capacity"] or "—"),
            ", ".join(a["groups"]) or "—",
        )
    console.print(actors)

    for drift in view.drifts:
        table = Table(
            title=f"Drift: {drift.source} → {drift.target}  ({drift.first} … {drift.last})",
            title_justify="left",
        )
        table.add_column("as of")
        dims = list(drift.change)
        for dim in dims:
            table.add_column(dim, justify="right")
        for point in drift.history:
            table.add_row(point["as_of"], *(f"{point[d]:.2f}" for d in dims))
        table.add_row(
            "[bold]trend[/]",
            *(f"{_spark([p[d] for p in drift.history])} {drift.change[d]:+.2f}" for d in dims),
        )
        console.print(table)

    sources = Table(title="Sources at a glance (identities stay encrypted)", title_justify="left")
    for column in (
        "codename",
        "status",
        "population",
        "attributes",
        "threatened by",
        "k if all disclosed",
    ):
        sources.add_column(column)
    for x in view.sources:
        style = "red" if x["status"] != "active" else ""
        sources.add_row(
            x["codename"],
            f"[{style}]{x['status']}[/]" if style else x["status"],
            f"{x['population']:,}",
            str(x["attributes"]),
            ", ".join(x["threatened_by"]),
            f"{x['k_if_all_disclosed']:,.2f}",
        )
    console.print(sources)

    reports = Table(title="Reports by category", title_justify="left")
    reports.add_column("category")
    reports.add_column("reports", justify="right")
    for category, n in view.reports_by_category.items():
        reports.add_row(category, str(n))
    if view.controls:
        reports.caption = "controls: " + ", ".join(f"{c} ×{n}" for c, n in view.controls.items())
    console.print(reports)

    releases = Table(title="Release history by partner", title_justify="left")
    for column in ("partner", "full", "tearline", "first", "last"):
        releases.add_column(column)
    for row in view.releases_by_partner:
        releases.add_row(
            row["partner"], str(row["full"]), str(row["tearline"]), row["first"], row["last"]
        )
    console.print(releases)

    for precedent in view.precedents:
        console.print(
            Panel(
                precedent["story"] or "(no account recorded)",
                title=f"Precedent: {precedent['codename']} ({precedent['status']})",
                border_style="red",
            )
        )


def render_decisions(decisions: list[Decision], today: date) -> None:
    console.rule("[bold]Decisions: what may each partner have now?")
    render_matrix(decisions, today)


def render_drift(hub: str, adversary: str, result: Reassessment) -> None:
    console.rule(f"[bold]Re-assessing the latest step of {hub} towards {adversary}")
    render_reassessment(result)
    changes = result.decision_changes
    tighter = [c for c in changes if c.after.restrictiveness > c.before.restrictiveness]
    mine = sum(1 for c in tighter if c.partner == hub)
    others = len(changes) - len(tighter)
    console.print(
        f"{hub}'s decisions: {mine} tighten; other partners: {len(tighter) - mine} tighten, "
        f"{others} loosen (monotone protection: a drift towards an adversary never loosens one)."
    )


def render_release(report: str, result: ReleaseResult, files: list[Path]) -> None:
    console.rule(f"[bold]Releasing {report} to the alliance")
    for copy, path in zip(result.copies, files, strict=True):
        console.print(
            f"[green]released[/] {copy.release.version.value} copy to {copy.release.partner}: {path}"
        )
        if copy.capacity is not None:
            colour = "green" if copy.capacity.traceable else "yellow"
            console.print(f"  [{colour}]trace capacity[/] — {copy.capacity.render()}")
    for withheld in result.withheld:
        console.print(f"[red]withheld[/] from {withheld.partner}: {withheld.reasons[0]}")


def render_leak(act: LeakAct) -> None:
    console.rule("[bold]A leak: text from the warning turns up, retyped")
    first = act.files[0]
    preview = first.read_text(encoding="utf-8").splitlines()[:6]
    console.print(Panel("\n".join(preview) + "\n…", title=str(first), border_style="yellow"))
    console.print("Tracing the excerpt alone:")
    render_trace(act.single)
    if len(act.files) > 1:
        console.print(
            f"\nThe same hands also leaked {len(act.files) - 1} earlier report(s) "
            f"({', '.join(f.name for f in act.files[1:])}); evidence adds up across documents:"
        )
        render_trace(act.combined)
    console.print(
        "[dim]A fingerprint names a copy, not a culprit: a copy forwarded or lost frames its "
        "holder. Each accused copy's ledger receipt proves what was sent to whom.[/]"
    )


def render_tearline(showcase: SanitizeResult, approval: Approval | None = None) -> None:
    result = showcase.result
    console.rule(
        f"[bold]A tearline beside its original: {showcase.report} for {showcase.partner} "
        f"(k ≥ {showcase.target_k:,.0f})"
    )
    table = Table(show_lines=False, expand=True)
    table.add_column("original (what the originator holds)", ratio=1)
    table.add_column("tearline (what the partner would get)", ratio=1)
    table.add_row(result.original.strip(), result.text.strip())
    console.print(table)
    ks = ", ".join(f"{x.source}: k {x.original_k:,.0f} → {x.k:,.0f}" for x in result.sources)
    console.print(f"{len(result.changes)} changes; {ks}")
    title = result.field("title") if result.header else ""
    if title:
        console.print(f"Title, sanitised with the body: {title}")
    if result.k_verified:
        console.print("k verified: a proven lower bound.")
        return
    console.print(
        f"k unverified: {len(result.review)} span(s) may still say who a source is "
        "(the decision counts k = 1 until a named reviewer approves this exact text):"
    )
    for r in result.review:
        console.print(f"  • {r.text.strip()[:70]} — {r.why}")
    if approval is not None:
        console.print(
            f"Approved by {approval.reviewer}: {approval.reason} "
            f"(text {approval.text_sha256[:12]}…; a release of this text records it)"
        )


def render_approval(pending: SanitizeResult, approval: Approval) -> None:
    console.rule(
        f"[bold]An unverified tearline approved by name: {pending.report} for {pending.partner}"
    )
    console.print(
        "Its k is not a proven bound: these spans may still say who a source is, so the "
        "decision counts k = 1 until someone approves this exact text."
    )
    for r in pending.result.review:
        console.print(f"  • {r.text.strip()[:70]} — {r.why}")
    console.print(
        f"Approved by {approval.reviewer}: {approval.reason} (text {approval.text_sha256[:12]}…). "
        "A release of this text now goes out and records the approval; any other text "
        "needs its own."
    )


def render_ledger(size: int, heads: int, root: str, receipt_of: str | None) -> None:
    console.rule("[bold]The ledger: every copy provable afterwards")
    console.print(f"Log verified: {size} leaves, {heads} signed tree heads, root {root[:16]}…")
    if receipt_of:
        console.print(
            f"Receipt of {receipt_of} verified with the ledger's public key alone "
            "(what the partner runs: tearline ledger verify-receipt FILE --pubkey KEY)."
        )


def render_amendment(source: str, who: str, reason: str, result: AmendResult) -> None:
    console.rule("[bold]A living record: a source marked compromised, and what follows")
    for a in result.amendments:
        console.print(f"{who} amends {a.subject} (audit entry {a.entry}): {a.describe()}")
    console.print(f"  why: {reason}")
    changed = result.decision_changes
    console.print(
        f"{result.decided} pending decision(s) on its reports re-decided at once: "
        f"{len(changed)} turn to withhold."
    )
    for c in changed[:5]:
        console.print(f"  {c.report} → {c.partner}: {c.before.value} → {c.after.value}")
    if len(changed) > 5:
        console.print(f"  … and {len(changed) - 5} more")
    resting = result.releases_at_risk
    partners = sorted({str(r["partner"]) for r in resting})
    console.print(
        f"{len(resting)} release(s) already made rest on {source} — to {', '.join(partners)}; "
        "listed for the handler (tearline source set ... --json)."
    )
    console.print("Who did what, when and why: tearline history (sealed in the ledger).")
