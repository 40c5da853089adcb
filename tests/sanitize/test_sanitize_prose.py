"""The tearline reads as prose: the checker, its regression cases, and the corpus.

The four regression tests are named after the defects issue 5 quoted from
`tearline sanitize rpt-2025-007 --partner aldren` (k = 5,000): each checks
that the checker catches the defect in that output, and that the tearline no
longer has it.
"""

from __future__ import annotations

from functools import cache

import pytest

from tearline.sanitize import Sanitized, sanitize
from tearline.sanitize.targets import tearline_target_k
from tests.sanitize import prose
from tests.sanitize.evaluate import demo_world

WORLD = demo_world()
REPORT = WORLD.report("rpt-2025-007")
ALDREN = tearline_target_k(WORLD, "aldren")

# The output quoted in issue 5 (the sanitiser before the rewriting was redone).
BEFORE = (
    "SOURCES: (A) An organisation official with direct the material. (B) A clerk, Drevna.\n\n"
    "Source A reports that the two consignments from Halden Trade House arrived at Drevna "
    "on 29 November and 6 December 2024 and that both filament-winding machines were "
    "installed at Velisk by mid-January. The final tranche, 1.9 million crowns, was "
    "authorised in the official countersigning in a senior officer's absence.\n\n"
    "The agent is the point of contact for the forwarder on all Kharovian Ministry of "
    "Defence business. He uses the mobile number and the address, which belongs to the "
    "Morvane intermediary rather than to any Kharovian body.\n"
)


@cache
def aldren_tearline() -> Sanitized:
    sources = [WORLD.source(s) for s in REPORT.sources]
    return sanitize(REPORT, sources, target_k=ALDREN, world=WORLD)


def flagged(text: str) -> set[str]:
    return {d.rule for d in prose.defects(REPORT.text, text)}


def test_the_aldren_target_is_five_thousand() -> None:
    assert ALDREN == 5000


def test_a_generalisation_is_said_in_its_own_words_not_as_an_organisation() -> None:
    # unit is kept at level 2, "Kharovian Ministry of Defence": "An organisation
    # official" threw its words away.
    assert "placeholder for a generalisation" in flagged(BEFORE)
    result = aldren_tearline()
    (heron,) = [s for s in result.sources if s.source == "src-heron"]
    assert heron.levels["unit"] == 2
    # The source line is the honest descriptor built from the chosen levels.
    assert "(A) A source at the Kharovian Ministry of Defence;" in result.text
    assert "organisation official" not in result.text


def test_no_broken_sentence_with_direct_the_material() -> None:
    assert {"adjective without its head", "placeholder noun"} <= flagged(BEFORE)
    assert "with direct the" not in aldren_tearline().text


def test_no_broken_sentence_authorised_in_the_official_countersigning() -> None:
    # "in the missile contracts section on January 9th under reference
    # GDAP/MSC/24-117, with the section's deputy head countersigning in Colonel
    # Savan's absence": each detail is rewritten in its own unit.
    assert "participle clause lost its 'with'" in flagged(BEFORE)
    text = aldren_tearline().text
    # The section's deputy head is HERON's own post: the countersigning is the
    # source's act, so the sentence is about the source and goes whole.
    assert "countersigning" not in text
    assert "GDAP/MSC" not in text
    assert "with direct the" not in text


def test_no_mobile_number_and_address_pointing_at_nothing() -> None:
    assert "a noun that lost its value" in flagged(BEFORE)
    text = aldren_tearline().text
    assert "He uses a mobile number and an e-mail address, which belongs" in text
    assert "the mobile number" not in text


def test_no_dangling_place_appositive_a_clerk_drevna() -> None:
    assert "dangling place appositive" in flagged(BEFORE)
    text = aldren_tearline().text
    assert "(B) A source." in text
    assert ", Drevna." not in text


def test_the_aldren_tearline_has_no_defect_at_all() -> None:
    assert prose.problems(REPORT.text, aldren_tearline().text) == []


# -- the checker itself -------------------------------------------------------------

BAD = {
    "determiner before determiner": "It was sent to the a ministry.",
    "possessive before an article": "The source's a relative with border access.",
    "dangling determiner": "He works for the.",
    "determiner before a function word": "The source met the in Tervansk.",
    "dangling preposition": "It was stored at.",
    "preposition before a verb": "It was flagged under was passed on.",
    "doubled word": "The the report arrived.",
    "adjective without its head": "A clerk with regular the files.",
    "lower-case sentence start": "It arrived. then it left.",
    "orphan punctuation": "The report arrived, . It left.",
    "empty paragraph": "One.\n\n\n\nTwo.",
    "empty list item or label": "SOURCES: (A) An official. (B) .",
    "a/an": "She is a engineer.",
    "a noun that lost its value": "He used the number and the address, which was false.",
    "bare institution name": "The order came from Kharovian Ministry of Defence today.",
    "bare singular role noun": "The source reports that organisation has moved.",
    "'a' with a mass noun": "A port administrative staff, Drevna.",
    "region after 'at'": "It was fired at the Velisk region.",
    "'member' without its 'of'": "SOURCE: A member at Port Sarvik.",
    "time after a time preposition": "He saw it shortly after late in the evening.",
    "'that' for a person": "An official that handles contracts.",
    "'a' with a plural": "(B) A contracts in the ministry.",
    "noun without its object": "An officer with responsibility.",
    "title cut by a replacement": "He accompanied Deputy Foreign the minister.",
    "two noun phrases collide": "An official in the section the contracts.",
    "sentence starts with a verb": "Concluded three contracts with them.",
    "participle without its complement": "The lorry seen crossed again.",
    "unbalanced brackets": "The bureau (DB-7 failed.",
    "unbalanced quotes": 'He said "ready and bored.',
    "a common noun owns a bare name": "The documents were held in the ministry's Korvath.",
    "count clause before an article": "The source was one of three an official.",
    "a role then a role": "The section head a senior officer signed.",
    "a period qualifies a person": "The quarterly family has occasional foreign travel.",
    "plural quantifier with a singular role": "It ordered polygraph screening of all official.",
    "doubled space": "The report  arrived.",
    "space before punctuation": "The report arrived .",
    "preposition before preposition": "It was stored at on Tuesday.",
    "dangling conjunction": "It was stored in the depot and.",
    "empty brackets or quotes": "The bureau () failed.",
    "dangling place appositive": "(B) A clerk, Drevna.",
    "participle clause lost its 'with'": "It was authorised in the official countersigning in May.",
    "'who' after a thing": "It was drafted by the desk who served abroad.",
    "placeholder noun": "An official with direct access to the material.",
    "placeholder for a generalisation": "An organisation official signed.",
    "comma before a period or closing bracket": "The report arrived late,.",
    "organisation appositive after a role": "An official, Kharovian Ministry of Defence, signed.",
    "'a' with a plural subject": "A cleared defence IT contractor technicians were told.",
}


@pytest.mark.parametrize(("rule", "text"), sorted(BAD.items()))
def test_the_checker_catches(rule: str, text: str) -> None:
    assert rule in {d.rule for d in prose.defects("", text)}


GOOD = [
    "SOURCES: (A) A Kharovian Ministry of Defence official with direct access. (B) A clerk.",
    "Source A reports that the two consignments arrived at Drevna on 29 November.",
    "He uses a mobile number and an e-mail address, which belongs to the intermediary.",
    "The source, an IT specialist, built the virtual machines and holds the rights on them.",
    "It was authorised in the Kharovian Ministry of Defence in January, with an official "
    "countersigning in a senior officer's absence.",
    "A unit of the army arrived at about 0630, an hour early.",
    "The ministry's Procurement Directorate signed; the company's Ferrow office paid.",
    "All officials were screened; both officers left.",
]


@pytest.mark.parametrize("text", GOOD)
def test_the_checker_leaves_good_prose_alone(text: str) -> None:
    assert prose.problems("", text) == []


def test_a_defect_the_original_already_has_is_not_the_sanitisers() -> None:
    original = "The report went to the a ministry."
    assert prose.problems(original, original) == []
    assert prose.problems(original, original + " It came from the.") != []
