"""Every surface form of a declared attribute is recognised (and near misses are not)."""

from __future__ import annotations

import pytest

from tearline.sanitize import disclosures, find_attributes
from tests.sanitize.samples import DESIGNER, HERON, KESTREL


def level(text: str, source: object = KESTREL, attribute: str = "employer") -> int | None:
    found = disclosures(text, [source])  # type: ignore[list-item]
    return found.get((source.id, attribute))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ("value", "A source in the procurement directorate of the defence ministry said so."),
        ("declared mention", "A source in the ministry's procurement directorate said so."),
        ("inflection", "Sources in the procurement directorates of the defence ministries agree."),
        ("possessive", "The defence ministry's procurement directorate placed the order."),
        (
            "line break inside the phrase",
            "A source in the procurement\n   directorate of the\ndefence ministry said so.",
        ),
        ("fuzzy typo", "A source in the procurment directorate of the defence ministry said so."),
        ("US spelling", "A source in the procurement directorate of the defense ministry said so."),
        ("abbreviation", "A source in the procurement dir. of the defence ministry said so."),
    ],
)
def test_surface_forms_of_the_value_disclose_level_0(form: str, text: str) -> None:
    assert level(text) == 0, form


def test_a_reordered_phrase_is_the_same_phrase() -> None:
    from tearline.domain import Attribute, Source

    source = Source(
        "s",
        "S",
        1000,
        ("adv",),
        (Attribute("e", "procurement directorate of the ministry", 0.1, "employer"),),
    )
    assert disclosures("It came from the ministry's procurement directorate.", [source]) == {
        ("s", "e"): 0
    }


def test_a_generalisation_discloses_its_level() -> None:
    assert level("The defence ministry has confirmed the order.") == 1
    assert level("Someone in the defence sector said so.") == 2


def test_most_specific_level_wins() -> None:
    text = "The defence ministry's procurement directorate. The defence sector in general."
    assert level(text) == 0


def test_an_acronym_stands_for_its_name() -> None:
    text = "An official of GDAP's missile contracts section signed."
    assert disclosures(text, [HERON])[("src-heron", "unit")] == 0
    assert disclosures("GDAP placed the order.", [HERON])[("src-heron", "unit")] == 1


def test_a_name_stands_for_its_acronym() -> None:
    text = "The engineer works at Design Bureau 7 in Velisk."
    assert disclosures(text, [DESIGNER])[("src-designer", "employer")] == 0


def test_an_acronym_defined_in_the_text() -> None:
    from tearline.domain import Attribute, Source

    source = Source(
        "s",
        "S",
        1000,
        ("adv",),
        (Attribute("e", "Directorate of Cadres", 0.1, "employer"),),
    )
    text = "The Directorate of Cadres (DOC) met. Later the DOC asked for files."
    matches = [m for m in find_attributes(text, [source]) if text[m.start : m.end] == "DOC"]
    assert matches
    assert matches[-1].level == 0


def test_a_titled_name_is_then_said_by_its_surname() -> None:
    assert disclosures("Savan's office signed.", [HERON])[("src-heron", "manager")] == 0


@pytest.mark.parametrize(
    "text",
    [
        "She visited the yard on 14 March.",
        "She visited the yard on March 14th.",
        "She visited the yard on the 14th of March.",
        "In March, the yard was busy; she was there on the 14th.",
        "She visited the yard in mid-March.",
        "She visited the yard on 14/03/2025.",
        "She visited the yard on 2025-03-14.",
        "She visited the yard on March 14, 2025.",
    ],
)
def test_dates_in_any_format_disclose_the_timing(text: str) -> None:
    assert level(text, attribute="travel") == 0


@pytest.mark.parametrize("text", ["She travelled in March.", "She went away in 2025."])
def test_a_coarser_date_does_not_disclose_the_day(text: str) -> None:
    assert level(text, attribute="travel") != 0


def test_short_phrases_need_every_word() -> None:
    # "Vigil Front channel" is not disclosed by "the Vigil Front".
    from tearline.domain import Attribute, Source

    source = Source(
        "s", "S", 1000, ("adv",), (Attribute("p", "Vigil Front channel", 0.01, "post"),)
    )
    assert disclosures("The financing channel is the Vigil Front's income.", [source]) == {}
    assert disclosures("He runs the Vigil Front channel.", [source]) == {("s", "p"): 0}


def test_the_head_word_is_required() -> None:
    from tearline.domain import Attribute, Source

    source = Source(
        "s", "S", 1000, ("adv",), (Attribute("t", "second-stage motor telemetry", 0.01, "access"),)
    )
    assert disclosures("The second-stage motor failed.", [source]) == {}
    assert disclosures("He reads the telemetry of the second-stage motor.", [source]) != {}


def test_unrelated_text_discloses_nothing() -> None:
    assert disclosures("Rain fell on the northern coast all week.", [KESTREL, HERON]) == {}
