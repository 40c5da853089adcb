"""The release path: every copy that leaves is one the decision allows."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from tearline.domain import ActorKind, Version, World
from tearline.ledger.leaf import ReleaseLeaf
from tearline.protocols import Outcome
from tearline.scenario import dump_scenario
from tearline.services.decisions import Decisions
from tearline.services.release import release_report
from tearline.services.sanitize import TearlineCopy
from tearline.services.world import current_world, load_scenario
from tearline.store.database import make_engine, migrate, unit_of_work
from tearline.store.identity import IdentityCipher
from tearline.store.ledger_log import LedgerLog
from tearline.store.tables import DecisionRow, ReleaseRow
from tests.protocols.reference import reference_outcome
from tests.samples import SMALL
from tests.strategies import worlds

CIPHER = IdentityCipher(b"r" * 32)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
MARKING_KEY = bytes(range(32, 64))
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _allowed_tearline(_world: World, report: str, partner: str) -> TearlineCopy:
    return TearlineCopy(f"[tearline of {report} for {partner}]", "[title]", report, "[category]")


@settings(max_examples=30, deadline=None)
@given(world=worlds(), data=st.data())
def test_no_copy_leaves_that_the_decision_forbids(world: World, data: st.DataObject) -> None:
    recipients = [
        a.id for a in world.actors if a.kind in (ActorKind.PARTNER, ActorKind.THIRD_PARTY)
    ]
    if not world.reports or not recipients:
        return
    engine = make_engine("sqlite://")  # a fresh database per example
    migrate(engine)
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=dump_scenario(world, include_identities=True))
    report = data.draw(st.sampled_from([r.id for r in world.reports]))
    chosen = data.draw(st.lists(st.sampled_from(recipients), min_size=1, unique=True))
    with unit_of_work(engine) as session:
        stored = current_world(session)
        result = release_report(
            session,
            stored,
            report,
            chosen,
            now=NOW,
            today=NOW.date(),
            signing_key=KEY,
            fingerprint_key=MARKING_KEY,
            tearline=_allowed_tearline,
        )
    assert len(result.copies) + len(result.withheld) == len(chosen)
    for copy in result.copies:
        decision = copy.decision
        assert copy.release.version.value == decision.outcome.value
        # An independent reading of the protocols agrees the version may go.
        figures = dict(decision.figures)
        assert (
            reference_outcome(stored, report, copy.release.partner, figures, NOW.date())
            is decision.outcome
        )
        # A copy names its recipient and nobody else who received the report.
        for other in chosen:
            if other != copy.release.partner:
                assert f"({other})" not in copy.text
    for withheld in result.withheld:
        assert withheld.decision is not None
        # Withheld by the decision, or — the decision allowing it — because the copy would
        # be byte-identical to another recipient's (these tearlines carry no fingerprint
        # slot), which is refused unless forced (issue 17).
        assert withheld.decision.outcome is Outcome.WITHHOLD or (
            "would be identical to the copy already made for" in withheld.reasons[0]
        )
    with unit_of_work(engine) as session:
        rows = session.scalars(select(ReleaseRow).where(ReleaseRow.content.is_not(None))).all()
        assert sorted(r.id for r in rows) == sorted(c.release.id for c in result.copies)
        decisions = session.scalar(select(func.count()).select_from(DecisionRow))
        assert decisions == len(chosen)
        # Every copy has its leaf, naming the copy's hash; the log verifies.
        log = LedgerLog(session)
        assert log.size() == len(result.copies)
        for copy in result.copies:
            _, raw = log.leaf(copy.release.id)
            leaf = ReleaseLeaf.decode(raw)
            assert leaf.content_sha256.hex() == copy.sha256
            assert leaf.recipient == copy.release.partner
        log.verify_all(KEY.public_key())
    engine.dispose()


def test_each_copy_joins_the_history_before_the_next_recipient(engine: Engine) -> None:
    # KESTREL below its threshold: the floor would otherwise refuse every copy.
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=SMALL.replace("max_risk: 0.02", "max_risk: 0.9"))
    with unit_of_work(engine) as session:
        world = current_world(session)
        result = release_report(
            session,
            world,
            "rep-1",
            ["ally", "hub"],
            now=NOW,
            today=NOW.date(),
            signing_key=KEY,
            fingerprint_key=MARKING_KEY,
            tearline=_allowed_tearline,
        )
    first = next(c for c in result.copies if c.release.partner == "ally")
    hub = [c.decision for c in result.copies if c.release.partner == "hub"] + [
        w.decision for w in result.withheld if w.partner == "hub" and w.decision
    ]
    assert len(hub) == 1
    alone = Decisions(world, NOW.date()).decide("rep-1", "hub")
    after_first = Decisions(
        dataclasses.replace(world, releases=(*world.releases, first.release)), NOW.date()
    ).decide("rep-1", "hub")
    assert hub[0].figures == after_first.figures
    assert (
        hub[0].figures[Version.FULL].cumulative_risk >= alone.figures[Version.FULL].cumulative_risk
    )


def _demo_engine() -> Engine:
    from tearline.cli.demo import demo_text

    engine = make_engine("sqlite://")
    migrate(engine)
    with unit_of_work(engine) as session:
        load_scenario(session, CIPHER, text=demo_text())
    return engine


# Demo reports whose tearlines carry source detail, and partners whose
# protocols allow tearlines at targets of 500 to 5,000.
_REPORTS = ["rpt-2025-007", "rpt-2026-112", "rpt-2026-052", "rpt-2025-019", "rpt-2026-014"]
_PARTNERS = ["istrel", "pellaro", "brisca", "aldren"]


@settings(max_examples=12, deadline=None)
@given(
    report=st.sampled_from(_REPORTS),
    partners=st.lists(st.sampled_from(_PARTNERS), min_size=1, max_size=3, unique=True),
    approved=st.sets(st.sampled_from(_PARTNERS)),
)
def test_the_release_path_never_emits_an_unapproved_unverified_tearline(
    report: str, partners: list[str], approved: set[str]
) -> None:
    from tearline.services.approvals import approval_of_release, approve, text_hash
    from tearline.services.sanitize import tearline_of

    engine = _demo_engine()
    with unit_of_work(engine) as session:
        world = current_world(session)
        for partner in sorted(approved):
            made = tearline_of(world, report, partner=partner)
            if made.result.meets_target and not made.result.k_verified:
                approve(session, made, reviewer="R. Okafor", reason="checked", now=NOW)
    with unit_of_work(engine) as session:
        world = current_world(session)
        result = release_report(
            session,
            world,
            report,
            partners,
            now=NOW,
            today=NOW.date(),
            signing_key=KEY,
            fingerprint_key=MARKING_KEY,
        )
        for copy in result.copies:
            if copy.release.version is not Version.TEARLINE:
                continue
            made = tearline_of(world, report, partner=copy.release.partner).result
            recorded = approval_of_release(session, copy.release.id)
            if made.k_verified:
                assert recorded is None
                continue
            # Unverified: it left only because a reviewer approved this exact text.
            assert copy.release.partner in approved
            assert recorded is not None
            assert recorded.text_sha256 == text_hash(made)
            assert copy.approval == recorded
