"""`tearline demo`: the whole product on the fictional demo world, in one command.

The tour, on a fresh embedded database under HOME/demo, as of the demo world's
"today" (28 November 2026, fixed so that the tour is reproducible):

1. the world: actors, the relationships that drifted towards the adversary,
   sources (never identities), reports, the release history, the precedent;
2. the decision matrix for every pending (report, partner) pair;
3. the hub's latest drift re-assessed: decisions that change, sources at risk;
   the hub is unpredictable as well: its reach as a range (and the tail that
   range hides), then the alliance restricting it in turn (the cascade);
4. a release of the newest threat warning to the alliance, through the one
   decision function, with the copies written to HOME/demo/releases;
5. a leak: one partner's copies turn up retyped (the warning only in part) in
   HOME/demo/leaks; tracing the warning alone, then everything leaked, names
   the copies they derive from (the demo's fingerprint key is fixed, so the
   tour stays reproducible).
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from importlib import resources
from typing import Annotated, Any

import typer

from tearline.cli import demo_view
from tearline.cli.app import app, settings
from tearline.cli.demo_cascade_view import render_unpredictable_hub
from tearline.cli.output import emit_json, handles_errors
from tearline.cli.release import write_copies
from tearline.domain.sources import SourceStatus
from tearline.services import demo as demo_service
from tearline.services import demo_leak
from tearline.services.amend import SourceChange, amend
from tearline.services.approvals import approve
from tearline.services.audit import Act, AuditTrail
from tearline.services.decisions import Decisions, decide_all, pending_pairs
from tearline.services.demo_cascade import unpredictable_hub_act
from tearline.services.imported import import_releases
from tearline.services.ledger import make_receipt, open_ledger, verify_ledger, verify_receipt
from tearline.services.reassess import reassess
from tearline.services.release import release_report
from tearline.services.sanitize import tearline_of
from tearline.services.workspace import Settings, Workspace
from tearline.services.world import current_world, load_scenario

DEMO_FILE = "demo-world.yaml"
DEMO_DAY = date(2026, 11, 28)
DEMO_REPORT = "rpt-2026-116"  # the warning the alliance needs now
DEMO_TEARLINE = "rpt-2025-007"  # rich in source detail
DEMO_TEARLINE_PARTNER = "aldren"
DEMO_REVIEWER = "R. Okafor (release officer)"
DEMO_APPROVAL = ("rpt-2026-112", "istrel")  # an unverified tearline a reviewer approves
DEMO_OFFICER = "demo-officer"  # who acts in the demo (DESIGN.md "Who acts")
DEMO_HANDLER = "demo-handler"
DEMO_COMPROMISE_REASON = "the handler reports a hostile approach at the source's workplace"


def demo_text() -> str:
    return (resources.files("tearline.data") / DEMO_FILE).read_text(encoding="utf-8")


@app.command()
@handles_errors
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the tour as JSON.")] = False,
) -> None:
    """Load the demo world into a fresh embedded database (HOME/demo) and tour it."""
    home = settings().home / "demo"
    if home.exists():
        shutil.rmtree(home)  # always a fresh world: the demo must be reproducible
    ws = Workspace(Settings.resolve(home, environ={}))
    out: dict[str, Any] = {"home": str(home), "as_of": DEMO_DAY.isoformat()}
    try:
        ws.init()
        cipher = ws.cipher()
        ledger = open_ledger(ws, create_key=True)
        marking_key, make_secret = demo_leak.demo_marking(ws)
        loaded_at = datetime.combine(DEMO_DAY, datetime.min.time(), tzinfo=UTC).replace(hour=8)
        with ws.unit_of_work() as session:
            # The demo acts as a named person too: its load is audited and the world's
            # historical releases imported into the ledger, as `tearline load` does.
            loaded = load_scenario(session, cipher, text=demo_text(), filename=DEMO_FILE)
            import_releases(session, loaded.releases, ledger.signing_key, loaded_at)
            AuditTrail(session, ledger.signing_key).record(
                Act(DEMO_OFFICER, loaded_at, "the demo world"),
                action="load",
                subject=DEMO_FILE,
                details={"added": loaded.added, "imported": len(loaded.releases)},
            )
        with ws.unit_of_work() as session:
            world = current_world(session)
            overview = demo_service.overview_of(world)
            if not as_json:
                demo_view.render_overview(overview, home=str(home))
            out.update(overview.as_dict())

            decisions = decide_all(Decisions(world, DEMO_DAY), pending_pairs(world))
            out["decisions"] = [d.as_dict() for d in decisions]
            if not as_json:
                demo_view.render_decisions(decisions, DEMO_DAY)

            # A tearline beside its original: the report with the most source
            # detail, as the hub's protocol would have it (its strictest target).
            showcase = tearline_of(world, DEMO_TEARLINE, partner=DEMO_TEARLINE_PARTNER)
            # Its k is unverified when something in it may still say who a source
            # is: a named reviewer reads the spans and approves this exact text.
            approval = None
            if showcase.result.meets_target and not showcase.result.k_verified:
                approval = approve(
                    session,
                    showcase,
                    reviewer=DEMO_REVIEWER,
                    reason="Drevna is the port of arrival; the terminal that would narrow the clerk is gone",
                    now=datetime.combine(DEMO_DAY, datetime.min.time(), tzinfo=UTC),
                )
            out["tearline"] = {
                "report": showcase.report,
                "partner": showcase.partner,
                "target_k": showcase.target_k,
                "original": showcase.result.original,
                "tearline": showcase.result.text,
                "changes": len(showcase.result.changes),
                "title": showcase.result.field("title"),
                "k_verified": showcase.result.k_verified,
                "review": [{"text": r.text, "why": r.why} for r in showcase.result.review],
                "approval": None
                if approval is None
                else {"id": approval.id, "reviewer": approval.reviewer, "reason": approval.reason},
                "sources": [
                    {"source": x.source, "k_before": x.original_k, "k_after": x.k}
                    for x in showcase.result.sources
                ],
            }
            if not as_json:
                demo_view.render_tearline(showcase, approval)

            # An unverified tearline: "… now deals with him preferentially" may be
            # the source; a named reviewer reads it and approves this exact text.
            report_id, partner_id = DEMO_APPROVAL
            pending = tearline_of(world, report_id, partner=partner_id)
            if pending.result.meets_target and not pending.result.k_verified:
                approved = approve(
                    session,
                    pending,
                    reviewer=DEMO_REVIEWER,
                    reason="'him' is the forwarder's clerk in general; no count, post or place left",
                    now=datetime.combine(DEMO_DAY, datetime.min.time(), tzinfo=UTC),
                )
                out["approval"] = {
                    "report": report_id,
                    "partner": partner_id,
                    "k_verified": False,
                    "review": [{"text": r.text, "why": r.why} for r in pending.result.review],
                    "approval": {
                        "id": approved.id,
                        "reviewer": approved.reviewer,
                        "reason": approved.reason,
                        "text_sha256": approved.text_sha256,
                    },
                }
                if not as_json:
                    demo_view.render_approval(pending, approved)

            drift = demo_service.hub_drift(world)
            if drift is not None:
                hub, adversary, before = drift
                result = reassess(before, world, today=DEMO_DAY)
                out["drift_reassessment"] = {"hub": hub, "adversary": adversary, **result.as_dict()}
                if not as_json:
                    demo_view.render_drift(hub, adversary, result)
                # The hub is unpredictable too: its reach as a range, and the
                # alliance restricting it in turn (nothing is written).
                hub_act = unpredictable_hub_act(world, hub, adversary, DEMO_DAY)
                out["unpredictable_hub"] = hub_act
                if not as_json:
                    render_unpredictable_hub(hub_act)

            # The alliance: the smallest group the drifting hub belongs to.
            alliance: list[str] = []
            if drift is not None:
                groups = [world.group_members(g) for g in world.groups_of(drift[0])]
                smallest = min(groups, key=lambda members: len(members)) if groups else None
                alliance = sorted(smallest) if smallest else [drift[0]]
            now = datetime.combine(DEMO_DAY, datetime.min.time(), tzinfo=UTC).replace(hour=9)
            released = release_report(
                session,
                world,
                DEMO_REPORT,
                alliance,
                now=now,
                today=DEMO_DAY,
                signing_key=ledger.signing_key,
                fingerprint_key=marking_key,
                make_secret=make_secret,
            )
            AuditTrail(session, ledger.signing_key).record(
                Act(DEMO_OFFICER, now, ""),
                action="release",
                subject=DEMO_REPORT,
                details={
                    "partners": alliance,
                    "releases": [c.release.id for c in released.copies],
                    "withheld": [w.partner for w in released.withheld],
                },
            )
            files = write_copies(home / "releases", released)
            out["release"] = {
                "report": DEMO_REPORT,
                "releases": [
                    {
                        "id": c.release.id,
                        "partner": c.release.partner,
                        "version": c.release.version.value,
                        "file": str(f),
                        "trace": c.capacity.to_dict() if c.capacity else None,
                    }
                    for c, f in zip(released.copies, files, strict=True)
                ],
                "withheld": [
                    {"partner": w.partner, "reasons": list(w.reasons)} for w in released.withheld
                ],
            }
            if not as_json:
                demo_view.render_release(DEMO_REPORT, released, files)

            # The ledger: the whole log re-checked, and one copy's receipt
            # verified as its partner would, with only the public key.
            audit = verify_ledger(session, ledger.public_key)
            receipt_of = released.copies[0].release.id if released.copies else None
            if receipt_of is not None:
                receipt = make_receipt(session, receipt_of, ledger.public_key)
                verify_receipt(receipt, ledger.public_key)  # raises if it does not hold
            out["ledger"] = {
                "size": audit.size,
                "heads": audit.heads,
                "root": audit.root.hex(),
                "receipt_verified_for": receipt_of,
            }
            if not as_json:
                demo_view.render_ledger(audit.size, audit.heads, audit.root.hex(), receipt_of)

            act = demo_leak.leak_act(
                session,
                released,
                key=marking_key,
                make_secret=make_secret,
                signing_key=ledger.signing_key,
                now=now,
                today=DEMO_DAY,
                folder=home / "leaks",
            )
            if act is not None:
                out["leak"] = act.as_dict()
                if not as_json:
                    demo_view.render_leak(act)

            # An amendment and its consequences: the warning's first source is marked
            # compromised by its handler; pending decisions on its reports turn to withhold at
            # once and every release already resting on it is listed.
            burned = world.report(DEMO_REPORT).sources[0]
            handler = Act(DEMO_HANDLER, now.replace(hour=11), DEMO_COMPROMISE_REASON)
            amended = amend(
                session,
                [SourceChange(burned, status=SourceStatus.COMPROMISED)],
                handler,
                AuditTrail(session, ledger.signing_key),
                today=DEMO_DAY,
            )
            out["amendment"] = {"source": burned, "by": handler.who, **amended.as_dict()}
            if not as_json:
                demo_view.render_amendment(burned, handler.who, handler.reason, amended)
    finally:
        ws.close()
    if as_json:
        emit_json(out)


__all__ = ["DEMO_DAY", "demo", "demo_text"]
