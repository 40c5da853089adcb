"""Handling terms carried on every copy: when several protocols apply to a
recipient, the copy carries the most restrictive term of each kind."""

from __future__ import annotations

from collections.abc import Sequence

from tearline.domain.protocols import Attribution, EncryptInTransit, HandlingTerms, OnwardSharing

# Most restrictive first.
_ATTRIBUTION = [Attribution.MUST_NOT, Attribution.MAY, Attribution.MUST]
_ONWARD = [OnwardSharing.FORBIDDEN, OnwardSharing.WITH_CONSENT, OnwardSharing.PERMITTED]
_ENCRYPT = [EncryptInTransit.MUST, EncryptInTransit.MAY]
_ACTIONS = [
    "none",
    "contact-for-instructions",
    "internally-visible-actions",
    "externally-visible-indirect-actions",
    "externally-visible-direct-actions",
]
_TLP = ["red", "amber+strict", "amber", "green", "clear"]


def combine_terms(terms: Sequence[HandlingTerms]) -> HandlingTerms:
    """The strictest of each term; with no protocol, the restrictive defaults."""
    if not terms:
        return HandlingTerms()
    froms = [t.valid_from for t in terms if t.valid_from is not None]
    untils = [t.valid_until for t in terms if t.valid_until is not None]
    return HandlingTerms(
        attribution=min((t.attribution for t in terms), key=_ATTRIBUTION.index),
        permitted_actions=min((t.permitted_actions for t in terms), key=_ACTIONS.index),
        onward_sharing=min((t.onward_sharing for t in terms), key=_ONWARD.index),
        encrypt_in_transit=min((t.encrypt_in_transit for t in terms), key=_ENCRYPT.index),
        tlp=min((t.tlp for t in terms), key=_TLP.index),
        valid_from=max(froms) if froms else None,
        valid_until=min(untils) if untils else None,
    )


def terms_lines(terms: HandlingTerms) -> list[str]:
    """The handling block printed on a copy (FIRST IEP 2.0 vocabulary)."""
    validity = ""
    if terms.valid_from or terms.valid_until:
        start = terms.valid_from.isoformat() if terms.valid_from else "…"
        end = terms.valid_until.isoformat() if terms.valid_until else "…"
        validity = f"{start} to {end}"
    lines = [
        f"TLP:{terms.tlp.upper()}",
        f"Attribution: {terms.attribution.value}",
        f"Permitted actions: {terms.permitted_actions}",
        "Onward sharing: "
        + {
            OnwardSharing.FORBIDDEN: "forbidden without the originator's consent (third-party rule)",
            OnwardSharing.WITH_CONSENT: "only with the originator's consent",
            OnwardSharing.PERMITTED: "permitted",
        }[terms.onward_sharing],
        f"Encryption in transit: {terms.encrypt_in_transit.value}",
    ]
    if validity:
        lines.append(f"Valid: {validity}")
    return lines
