"""Channels: where wording may vary, and that every copy says exactly the same thing."""

from __future__ import annotations

import random
import re

import pytest

from tearline.fingerprint import Layout, LayoutError, detect, embed
from tests.fingerprint.helpers import demo_reports


def _variants(text: str) -> dict[str, list[tuple[str, ...]]]:
    layout = detect(text)
    found: dict[str, list[tuple[str, ...]]] = {}
    for slot in layout.slots:
        found.setdefault(slot.label, []).extend(s.options for s in slot.spans)
    return found


@pytest.mark.parametrize(
    ("text", "label", "options"),
    [
        (
            "The cell has about 40 members.",
            "approximately",
            ("about", "approximately", "around", "roughly"),
        ),
        (
            "Approximately 20 kg were moved.",
            "approximately",
            ("Approximately", "About", "Around", "Roughly"),
        ),
        (
            "The source reported that the cell had left.",
            "said-that",
            ("reported that", "said that", "stated that"),
        ),
        ("We assess that the group will act.", "assess", ("assess", "judge")),
        ("The material is believed to be in Lisk.", "believed-to", ("believed to", "thought to")),
        ("The group's earlier reconnaissance failed.", "earlier", ("earlier", "previous", "prior")),
        ("Members have been seen at the harbour.", "seen", ("seen", "observed")),
        ("The attack will probably come at night.", "probably", ("probably", "likely")),
        ("The cell moved into Brisca in December 2025.", "during-month", ("in", "during")),
        (
            "Talks between Aldren and Kharovia resumed.",
            "names",
            ("Aldren and Kharovia", "Kharovia and Aldren"),
        ),
        ("It was organised in Lisk.", "ise-ize", ("s", "z")),
        (
            "The tankers arrive on 9 and 21 December.",
            "date-order",
            ("9 and 21 December", "December 9 and 21"),
        ),
        (
            "It left on 3 February 2026 at dawn.",
            "date-order",
            ("3 February 2026", "February 3, 2026"),
        ),
        ("It left on January 9th under escort.", "date-order", ("January 9th", "9th January")),
        ("The range is 1,900 km.", "thousands", ("1,900", "1900")),
        ("Costs rose by 11 per cent last year.", "per-cent", (" per cent", "%", " percent")),
        ("GDAP signed three contracts.", "small-numbers", ("three", "3")),
        ("The team sailed at 0630 hours.", "time-colon", ("0630", "06:30")),
        (
            "It covers three areas: casing, propellant formulation and test instrumentation.",
            "serial-comma",
            ("", ","),
        ),
    ],
)
def test_channels_find_interchangeable_wordings(
    text: str, label: str, options: tuple[str, ...]
) -> None:
    assert options in _variants(text).get(label, [])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("They talked about 200 people.", "approximately"),  # "about" is a preposition here
        ("An attack is likely to follow.", "probably"),  # "likely" as an adjective stays
        ("It was stopped at the border.", "stopped"),  # not "stopped doing"
        ("The damage was assessed by engineers.", "assessed"),  # evaluated, not judged
        ("Prices rose between 9 and 21 December.", "names"),  # a range is no pair of names
        ("The Bank of Aldren and Kharovia lent it.", "names"),  # one name, not two
        ("The exercise was supervised.", "ise-ize"),  # never -ize
        ("It sailed from 12 to 19 October 2026.", "date-order"),  # the day range would break
        ("It calls on 3 or 4 February.", "date-order"),
        ("In 2030 hours were cut.", "time-colon"),  # a year, not a time
        ("It flew after 1200 hours of tests.", "time-colon"),  # a duration
        ("The plan was agreed in 2025 members.", "thousands"),  # could be a year
        ("Stand 2 engineers tested it.", "small-numbers"),  # a name, not a count
        ('He said: "we bought about 40 rifles" and left.', "approximately"),  # quotes stay verbatim
        ("The ministry of defence, with direct and regular access.", "serial-comma"),  # no list
        ("It stops at Marenna, Pellaro, on 3 or 4 February.", "serial-comma"),
    ],
)
def test_channels_leave_lookalikes_alone(text: str, label: str) -> None:
    assert label not in _variants(text)


def test_conventions_change_every_occurrence_together() -> None:
    text = "Arrivals on 9 December and 21 December were organised; it was authorised."
    layout = detect(text)
    copy = embed(layout, [slot.q - 1 for slot in layout.slots])
    assert "December 9" in copy
    assert "December 21" in copy
    assert "organized" in copy
    assert "authorized" in copy


def test_capitals_and_sentence_starts_are_kept() -> None:
    layout = detect("APPROXIMATELY 40 MEN ARRIVED. Approximately 20 left.")
    copies = {embed(layout, [k] * len(layout.slots)) for k in range(3)}
    assert "AROUND 40 MEN ARRIVED. Around 20 left." in copies


_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
}
_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
]


def _numbers(text: str) -> list[str]:
    """Every number, as digits without grouping or time colons (two..nine as numbers)."""
    words = re.findall(
        r"\d[\d,:]*(?:\.\d+)?|\b(?:two|three|four|five|six|seven|eight|nine)\b", text
    )
    return [_NUMBER_WORDS.get(w, w.replace(",", "").replace(":", "")) for w in words]


def _dates(text: str) -> list[tuple[str, ...]]:
    """(days, month, year) of every date, whichever order it is written in."""
    month = "|".join(_MONTHS)
    day = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:-|–|and)\s*\d{1,2}(?:st|nd|rd|th)?)?"
    found = []
    for m in re.finditer(
        rf"(?P<d>{day})\s+(?P<m>{month})(?:,?\s+(?P<y>\d{{4}}))?|(?P<m2>{month})\s+(?P<d2>{day})\b(?:,?\s+(?P<y2>\d{{4}}))?",
        text,
    ):
        days = m.group("d") or m.group("d2")
        found.append(
            (
                "".join(days.split()),
                m.group("m") or m.group("m2"),
                m.group("y") or m.group("y2") or "",
            )
        )
    return found


def _spelling(text: str) -> str:
    text = re.sub(r"(?i)(?<=\w)iz(?=e|ed|es|ing|ation|er)", "is", text)
    text = re.sub(r"(?i)\b(co)-(?=operat|ordinat)", r"\1", text)
    text = re.sub(r"(?i)\be-mail", "email", text)
    return re.sub(r"(?i)judgment", "judgement", text)


def test_every_copy_of_every_demo_report_means_the_same() -> None:
    rng = random.Random(3)
    checked = 0
    for text in demo_reports():
        layout = detect(text)
        base = layout.text
        for _ in range(4):
            copy = embed(layout, [rng.randrange(slot.q) for slot in layout.slots])
            assert sorted(_numbers(copy)) == sorted(_numbers(base))
            assert sorted(_dates(copy)) == sorted(_dates(base))
            # Sentences keep their capitals; no doubled or dangling spaces appear.
            assert copy.count("  ") == base.count("  ")
            assert " ," not in copy
            for sentence in re.split(r"(?<=[.!?])\s+", copy):
                assert not sentence or not sentence[0].islower()
            checked += 1
        # Conventions only: spelling normalised, the texts agree exactly (the
        # conventions this normaliser knows; word families are checked on their own).
        known = {"ise-ize", "co-operate", "e-mail", "judgement"}
        only = [slot.q - 1 if slot.label in known else 0 for slot in layout.slots]
        assert _spelling(embed(layout, only)) == _spelling(base)
    assert checked == 4 * len(demo_reports())


def test_density_on_real_reports() -> None:
    words = sum(len(t.split()) for t in demo_reports())
    slots = sum(len(detect(t).slots) for t in demo_reports())
    assert 6.0 <= 100 * slots / words <= 12.0


def test_layouts_refuse_broken_invariants() -> None:
    layout = detect("The cell has about 40 members near the port.")
    data = layout.to_dict()
    assert Layout.from_dict(layout.text, data) == layout
    data["slots"][0]["spans"][0][2] = ["roughly", "about"]
    with pytest.raises(LayoutError, match="option 0"):
        Layout.from_dict(layout.text, data)
    with pytest.raises(LayoutError, match="symbols"):
        embed(layout, [])
