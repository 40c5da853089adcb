"""Releasing a report: decide for each recipient, make each allowed copy,
record it. The only code that creates releases.

A copy names its recipient and no one else (recipients of the same report
never learn of each other), carries the handling terms of the protocols that
apply, and its SHA-256 is recorded with the release. Its body — full text or
tearline — carries the recipient's fingerprint (``services.fingerprints``);
the header does not.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from tearline.domain.actors import ActorKind
from tearline.domain.errors import ConflictError
from tearline.domain.releases import Release, Version
from tearline.domain.reports import Report
from tearline.domain.world import World
from tearline.fingerprint import DEFAULT_EPSILON, carry_slots
from tearline.fingerprint.capacity import Capacity
from tearline.ledger.leaf import ReleaseLeaf
from tearline.protocols import Decider, Decision, Outcome
from tearline.protocols.terms import combine_terms, terms_lines
from tearline.services.approvals import Approval, Approvals, record_use
from tearline.services.decisions import Decisions
from tearline.services.disclosure import ProductDisclosure
from tearline.services.fingerprints import (
    IdenticalCopyError,
    SecretSource,
    copy_trace_capacity,
    fingerprint_copy,
)
from tearline.services.ledger import record_releases
from tearline.services.recall import mark_delivered, notice_lines, notices_for
from tearline.services.sanitize import TearlineCopy
from tearline.store.decisions import (
    DecisionLog,
    add_copy,
    report_version,
    stored_releases,
    unique_release_id,
)
from tearline.store.ledger_log import LedgerLog

# Makes the tearline copy of a report for a partner (tests substitute one).
TearlineMaker = Callable[[World, str, str], TearlineCopy]


@dataclass(frozen=True, slots=True)
class Copy:
    release: Release
    text: str
    sha256: str
    decision: Decision
    ledger_index: int = -1
    fingerprint_id: str | None = None
    approval: Approval | None = None  # a reviewer's, for an unverified tearline
    stream_id: str | None = None
    capacity: Capacity | None = None  # trace capacity at release (fingerprint.capacity)
    recalls: tuple[str, ...] = ()  # recalled releases whose notice this copy carries


@dataclass(frozen=True, slots=True)
class Withheld:
    partner: str
    reasons: tuple[str, ...]
    decision: Decision | None


@dataclass(frozen=True, slots=True)
class Override:
    """A release against the protocols' decision (duty to warn), under a second named person.
    The copy is a tearline unless the approver asked for the full version."""

    approver: str
    reason: str
    version: Version = Version.TEARLINE


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    report: str
    copies: tuple[Copy, ...]
    withheld: tuple[Withheld, ...]


def render_copy(
    world: World,
    report: Report,
    partner: str,
    version: Version,
    body: str,
    release_id: str,
    at: datetime,
    sanitised: TearlineCopy | None = None,
    notices: Sequence[str] = (),
) -> str:
    """The copy's text: its header, the body, the classification. A tearline's
    header carries the report's title, id and category as sanitised with its
    body (``sanitised``), never the originals."""
    title, ident, category = report.title, report.id, report.category
    if sanitised is not None:
        title, ident, category = sanitised.title, sanitised.report, sanitised.category
    terms = combine_terms([p.terms for p in world.protocols_for(partner)])
    controls = ", ".join(report.controls) or "none"
    header = [
        f"{report.classification} — {'TEARLINE' if version is Version.TEARLINE else 'FULL'} VERSION",
        f"Report: {ident} — {title}",
        f"Category: {category}    Controls: {controls}",
        f"Released to: {world.actor(partner).name} ({partner})",
        f"Release: {release_id}    Date: {at.strftime('%Y-%m-%d %H:%M UTC')}",
        "Handling:",
        *(f"  {line}" for line in terms_lines(terms)),
        *notices,  # recalls of earlier copies, carried with this delivery
    ]
    rule = "-" * 72
    return "\n".join([*header, rule, "", body.strip(), "", rule, report.classification, ""])


def _unverified(disclosure: ProductDisclosure, report: Report, partner: str) -> tuple[str, ...]:
    """Why a tearline was not an option, when its k is unverified and unapproved."""
    result = disclosure.tearline_for(report, partner)
    if result.k_verified or not result.meets_target:
        return ()
    if disclosure.approval_for(report, partner) is not None:
        return ()
    return (
        f"the tearline's k is unverified ({len(result.review)} span(s) to review): a named "
        f"reviewer can approve it with `tearline sanitize {report.id} --partner {partner} "
        "--approve --reviewer NAME --reason TEXT`",
    )


def release_report(
    session: Session,
    world: World,
    report_id: str,
    partners: Sequence[str],
    *,
    now: datetime,
    today: date,
    signing_key: Ed25519PrivateKey,
    fingerprint_key: bytes,
    seed: int = 0,
    tearline: TearlineMaker | None = None,
    make_secret: SecretSource | None = None,
    epsilon: float = DEFAULT_EPSILON,
    force_untraceable: bool = False,
    override: Override | None = None,
) -> ReleaseResult:
    """Decide and release ``report_id`` to each partner in turn. Each copy
    made joins the history before the next partner is decided, so the mosaic
    of this very release is counted. Every copy's ledger leaf and the new
    signed tree head are written in the caller's unit of work, with the
    release rows: they commit or roll back together. Each body is
    fingerprinted for its recipient with ``fingerprint_key`` (the sanitiser
    sees the report without declared slots; those it leaves untouched are
    put back into the tearline, so it is fingerprinted there too). The copy
    made is the one the decision judged: the same plain text, the same
    tearline (``services.disclosure``). Each copy's trace capacity at
    ``epsilon`` is computed once every copy of the release is made, and goes
    into its ledger leaf; a copy that would be identical to another
    recipient's is withheld, unless ``force_untraceable``.

    With ``override`` every recipient gets the override's version whatever the decision
    (still made and recorded, purpose ``override``, so the record shows what the protocols
    said); the copies and their leaves are marked as overrides. Each copy carries the notices
    of its recipient's undelivered recalls (``services.recall``)."""
    # Decide and record are one atomic step: the ledger's writer lock is taken first and the
    # release history read again under it, so a concurrent release of a report resting on
    # the same sources either committed before (and is counted here) or waits for this one.
    LedgerLog(session).lock()
    world = dataclasses.replace(world, releases=stored_releases(session))
    report = world.report(report_id)
    for partner in partners:
        actor = world.actor(partner)
        if actor.kind in (ActorKind.ORIGINATOR, ActorKind.ADVERSARY):
            raise ConflictError(f"cannot release to {partner}: it is the {actor.kind.value}")
    if len(set(partners)) != len(partners):
        raise ConflictError("a recipient is named twice")
    log = DecisionLog(session)
    # Built once: neither the protocols nor what a report's copies disclose
    # change when this release's own copies join the history.
    policies = Decider(world).policies
    # Unverified tearlines leave only on a named reviewer's approval of their text.
    disclosure = ProductDisclosure(world, Approvals.load(session))
    made_from = report_version(session, report_id)  # copies and leaves name the version
    copies: list[Copy] = []
    withheld: list[Withheld] = []
    for partner in partners:
        engine = Decisions(world, today, seed=seed, disclosure=disclosure, policies=policies)
        decision = engine.decide(report_id, partner)
        purpose = "release" if override is None else "override"
        decision_id = log.record(decision, as_of=today, at=now, purpose=purpose)
        if override is None and decision.outcome is Outcome.WITHHOLD:
            reasons = tuple(r.render() for r in decision.reasons)
            withheld.append(
                Withheld(partner, reasons + _unverified(disclosure, report, partner), decision)
            )
            continue
        version = override.version if override else Version(decision.outcome.value)
        sanitised = None
        if version is Version.FULL:
            body = report.text  # its declared slots are resolved by the fingerprint
        else:
            # The very tearline the decision judged (a tearline that cannot meet
            # the partner's target is refused by the decision, never swapped here).
            if tearline is not None:
                sanitised = tearline(world, report_id, partner)
            else:
                result = disclosure.tearline_for(report, partner)
                approval = disclosure.approval_for(report, partner)
                if override is not None and not result.meets_target:
                    # An override is not the decision: it must not pass off a tearline
                    # that leaves a source below the partner's target as one that meets it.
                    raise ConflictError(
                        f"override: no tearline of {report_id} meets {partner}'s anonymity "
                        "target; the approver may ask for the full version"
                    )
                if not result.k_verified and approval is None:
                    if override is not None:
                        raise ConflictError(
                            f"override: the tearline of {report_id} for {partner} has an "
                            "unverified k and no reviewer's approval; have it approved first, "
                            "or the approver may ask for the full version"
                        )
                    # The decision refuses it first; this keeps it so whatever
                    # the protocols say: an unverified k leaves only approved.
                    withheld.append(
                        Withheld(partner, _unverified(disclosure, report, partner), decision)
                    )
                    continue
                sanitised = TearlineCopy.of(result, approval)
            body = carry_slots(report.text, sanitised.body)
        try:
            marked = fingerprint_copy(
                session,
                fingerprint_key,
                report=report_id,
                version=version.value,
                body=body,
                partner=partner,
                at=now,
                make_secret=make_secret,
                allow_identical=force_untraceable,
            )
        except IdenticalCopyError as exc:
            withheld.append(Withheld(partner, (str(exc),), decision))
            continue
        release_id = unique_release_id(
            session, Release.default_id(report_id, partner, version, now)
        )
        recalled = notices_for(session, partner)
        text = render_copy(
            world,
            report,
            partner,
            version,
            marked.text,
            release_id,
            now,
            sanitised,
            notice_lines(recalled),
        )
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        release = Release(release_id, report_id, partner, version, now)
        add_copy(
            session,
            release_id=release_id,
            report=report_id,
            partner=partner,
            version=version.value,
            at=now,
            content=text,
            content_sha256=sha256,
            decision_id=decision_id,
            fingerprint_id=marked.fingerprint_id,
            report_version=made_from,
            origin="release" if override is None else "override",
        )
        mark_delivered(session, recalled, release_id)
        if sanitised is not None and sanitised.approval is not None:
            record_use(session, release_id, sanitised.approval)
        copies.append(
            Copy(
                release,
                text,
                sha256,
                decision,
                fingerprint_id=marked.fingerprint_id,
                approval=None if sanitised is None else sanitised.approval,
                stream_id=marked.stream_id,
                recalls=tuple(r.release_id for r in recalled),
            )
        )
        world = dataclasses.replace(world, releases=(*world.releases, release))
    # Capacity among every recipient of each stream, this release's included.
    copies = [
        dataclasses.replace(
            c,
            capacity=copy_trace_capacity(
                session, fingerprint_key, c.stream_id, c.release.partner, epsilon=epsilon
            ),
        )
        if c.stream_id is not None
        else c
        for c in copies
    ]
    leaves = [
        ReleaseLeaf(
            release_id=c.release.id,
            report_id=c.release.report,
            content_sha256=bytes.fromhex(c.sha256),
            version=c.release.version.value,
            recipient=c.release.partner,
            fingerprint_id=c.fingerprint_id,
            protocol_version=",".join(c.decision.protocols) or None,
            at=c.release.at,
            trace_slots=c.capacity.slots if c.capacity else None,
            trace_named=c.capacity.traceable if c.capacity else None,
            trace_epsilon=format(epsilon, "g") if c.capacity else None,
            report_version=made_from,
            origin="release" if override is None else "override",
        )
        for c in copies
    ]
    indices = record_releases(session, leaves, signing_key, now)
    copies = [dataclasses.replace(c, ledger_index=i) for c, i in zip(copies, indices, strict=True)]
    return ReleaseResult(report_id, tuple(copies), tuple(withheld))
