"""Rewriting one detail at a time: deleting its syntactic unit (``delete``),
saying a generalisation in its slot (``render``), names becoming roles
(``people``) — each with the sentence it must leave."""

from __future__ import annotations

import pytest

from tearline.sanitize import sanitize
from tearline.sanitize.delete import drop
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.render import say
from tearline.sanitize.tidy import tidy

NOTE = Note("test", "why")


def dropped(text: str, detail: str, kind: str = "employer", *, is_date: bool = False) -> str:
    draft = Draft(text)
    start = text.index(detail)
    drop(draft, start, start + len(detail), NOTE, kind, is_date=is_date)
    tidy(draft, NOTE)
    return draft.text


def said(text: str, detail: str, value: str, kind: str) -> str | None:
    start = text.index(detail)
    fitted = say(text, start, start + len(detail), value, kind)
    if fitted is None:
        return None
    draft = Draft(text)
    draft.replace(*fitted, NOTE)
    tidy(draft, NOTE)
    return draft.text


@pytest.mark.parametrize(
    ("text", "detail", "kind", "expected"),
    [
        # a prepositional phrase goes whole
        (
            "Source B handled the documentation at Terminal 3.",
            "Terminal 3",
            "place",
            "Source B handled the documentation.",
        ),
        # "access to X" keeps the honest "with direct access"
        (
            "(A) An official with direct access to TORVAL procurement files.",
            "access to TORVAL procurement files",
            "access",
            "(A) An official with direct access.",
        ),
        # a modifier goes, its head stays, and "a" becomes "an"
        ("A GDAP official signed.", "GDAP", "employer", "An official signed."),
        # a place appositive goes with the organisation it placed
        (
            "(B) A clerk at Aster Maritime Logistics, Drevna.",
            "Aster Maritime Logistics",
            "employer",
            "(B) A clerk.",
        ),
        # a relative clause that only said the detail goes with its adverbials
        (
            "A clerk who processed the Stellan Dawn manifest on 27 January. Direct access.",
            "Stellan Dawn manifest",
            "timing",
            "A clerk. Direct access.",
        ),
        # "a member of X" says nothing without X: a person stays a person
        (
            "SOURCE: A member of the Coastal Flotilla operations staff at Port Sarvik.",
            "Coastal Flotilla operations staff",
            "employer",
            "SOURCE: An official at Port Sarvik.",
        ),
        # the first of two objects goes with its conjunction
        (
            "Sources in the missile forces and the Ministry of Defence agree.",
            "missile forces",
            "employer",
            "Sources in the Ministry of Defence agree.",
        ),
        # a subject is replaced by a plain noun
        (
            "Aster Maritime acted as forwarder.",
            "Aster Maritime",
            "employer",
            "The company acted as forwarder.",
        ),
        # a participle goes with the phrase that completed it
        (
            "The lorry seen at Berth 4 crossed again.",
            "Berth 4",
            "place",
            "The lorry crossed again.",
        ),
        # "with responsibility for X" goes whole
        (
            "An officer with responsibility for fuel logistics. Direct access.",
            "fuel logistics",
            "post",
            "An officer. Direct access.",
        ),
        # a date at the start of a sentence takes its comma
        (
            "On 9 July, the SSP opened a case.",
            "9 July",
            "timing",
            "The SSP opened a case.",
        ),
        # a detail that is a verb takes its sentence
        (
            "It began. The source travelled to Pellaro in May. It ended.",
            "travelled",
            "timing",
            "It began. It ended.",
        ),
    ],
)
def test_a_detail_goes_with_its_unit(text: str, detail: str, kind: str, expected: str) -> None:
    is_date = any(c.isdigit() for c in detail) and kind == "timing"
    assert dropped(text, detail, kind, is_date=is_date) == expected


@pytest.mark.parametrize(
    ("text", "detail", "value", "kind", "expected"),
    [
        # a name modifies as itself
        (
            "A GDAP official signed.",
            "GDAP",
            "Kharovian Ministry of Defence",
            "employer",
            "A Kharovian Ministry of Defence official signed.",
        ),
        # ... and by its acronym when it has one
        (
            "A GS-2 liaison section officer signed.",
            "GS-2 liaison section",
            "Second Directorate of the General Staff (GS-2)",
            "employer",
            "A GS-2 officer signed.",
        ),
        # an institution takes "the"
        (
            "It was authorised in the missile contracts section.",
            "missile contracts section",
            "Kharovian Ministry of Defence",
            "employer",
            "It was authorised in the Kharovian Ministry of Defence.",
        ),
        # one is in a region, not at it
        (
            "It was fired at the Mirash test range.",
            "Mirash test range",
            "Velisk region",
            "place",
            "It was fired in the Velisk region.",
        ),
        # a common noun phrase cannot modify a person: it follows the head
        (
            "Korsa technicians were told.",
            "Korsa",
            "a cleared defence IT contractor",
            "employer",
            "Technicians at a cleared defence IT contractor were told.",
        ),
        # a predicate slot: "is a signatory" -> "has access"
        (
            "The source is a signatory on TORVAL motor-casing contracts.",
            "signatory on TORVAL motor-casing contracts",
            "access to missile procurement information",
            "access",
            "The source has access to missile procurement information.",
        ),
        # a role is said indefinitely: what made it unique is gone
        (
            "SOURCE: The lead engineer on Stand 2 at Design Bureau 7.",
            "Stand 2",
            "test engineer",
            "post",
            "SOURCE: A test engineer at Design Bureau 7.",
        ),
        # "staff" is a mass noun: "a … staff member"
        (
            "(B) A customs documentation clerk.",
            "customs documentation clerk",
            "port administrative staff",
            "post",
            "(B) A port administrative staff member.",
        ),
        # a plural subject agrees with what follows
        (
            "The 41st Missile Brigade took delivery of its first launchers.",
            "41st Missile Brigade",
            "missile forces",
            "employer",
            "The missile forces took delivery of their first launchers.",
        ),
        # a verb generalisation in a relative clause
        (
            "A clerk who processed the Stellan Dawn manifest, 27 January.",
            "processed the Stellan Dawn manifest",
            "worked the January 2026 Sarn sailings",
            "timing",
            "A clerk who worked the January 2026 Sarn sailings, 27 January.",
        ),
    ],
)
def test_a_generalisation_is_said_in_its_slot(
    text: str, detail: str, value: str, kind: str, expected: str
) -> None:
    assert said(text, detail, value, kind) == expected


@pytest.mark.parametrize(
    ("text", "detail", "value", "kind"),
    [
        # a role where no person is would be false
        (
            "The frame on test stand No. 2 was repaired.",
            "test stand No. 2",
            "test engineer",
            "post",
        ),
        # "head of the section" is not "head of the ministry"
        (
            "It was led by the head of the contracts section.",
            "contracts section",
            "Kharovian Ministry of Defence",
            "employer",
        ),
        # a sentence about the orders is not about the source's access
        (
            "The sailing orders were issued at night.",
            "sailing orders",
            "naval operational information",
            "access",
        ),
    ],
)
def test_a_generalisation_that_does_not_fit_is_not_forced(
    text: str, detail: str, value: str, kind: str
) -> None:
    assert said(text, detail, value, kind) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Major Ivo Brandt, the battalion's operations officer, told the companies.",
            "The battalion's operations officer told the companies.",
        ),
        (
            "The team was led by Colonel Ruta Ambrosz, head of the liaison office; it met.",
            "The team was led by the head of the liaison office; it met.",
        ),
        (
            "The envoy accompanied Deputy Foreign Minister Lena Marsh. Marsh left early.",
            "The envoy accompanied the deputy foreign minister. The minister left early.",
        ),
        (
            "It was signed in Colonel Mirek Savan's absence.",
            "It was signed in a senior officer's absence.",
        ),
        (
            "It was authorised on 9 January under reference GDAP/MSC/24-117, with care.",
            "It was authorised on 9 January, with care.",
        ),
        (
            "The patrol saw the lorry shortly after 2340.",
            "The patrol saw the lorry late in the evening.",
        ),
    ],
)
def test_generic_detail_is_rewritten_as_prose(text: str, expected: str) -> None:
    assert sanitize(text, [], target_k=1).text == expected
