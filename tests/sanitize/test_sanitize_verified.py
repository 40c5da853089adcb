"""The stated k is a certified lower bound (issue 10, points 1, 2 and 5).

- No declared mention, in any surface form the detector covers, survives
  anywhere in a tearline (title included).
- A ``k_verified`` result's k, recomputed from what its own text discloses,
  equals the stated k.
- Sanitising a tearline again changes nothing.
- Sentences about a source keep only what it reported; what cannot be
  classified is listed for review and the k is then unverified.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from benchmarks.sanitize import corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.domain import Attribute, Generalization, Report, Source
from tearline.sanitize import anonymity, disclosures, sanitize
from tests.sanitize.samples import DESIGNER, HERON, KESTREL
from tests.sanitize.test_sanitize_invariants import reports as plain_reports

ATTRIBUTES = [
    Attribute(
        "employer",
        "Drell Customs Post",
        0.001,
        "employer",
        (Generalization("the customs service", 0.2),),
        ("Drell Customs Post", "Drell customs"),
    ),
    Attribute(
        "post",
        "welding foreman in Dock 3",
        0.001,
        "post",
        (Generalization("a shipyard worker", 0.2),),
        ("Dock 3 welding foreman",),
    ),
    Attribute(
        "workplace",
        "Orvasse Cement Works",
        0.001,
        "employer",
        (Generalization("an industrial plant", 0.2),),
        ("Orvasse cement works", "Orvasse Cement"),
    ),
    Attribute(
        "site",
        "Kessarin naval shipyard",
        0.001,
        "place",
        (Generalization("a shipyard", 0.2),),
        ("Kessarin yard", "Kessarin shipyard"),
    ),
]


def _forms(draw: st.DrawFn, mention: str) -> str:
    """A surface form the detector covers: case, a possessive, a line break."""
    form = draw(st.sampled_from(["as is", "upper", "lower", "title", "possessive", "broken"]))
    if form == "upper":
        return mention.upper()
    if form == "lower":
        return mention.lower()
    if form == "title":
        return mention.title()
    if form == "possessive":
        return mention + "'s"
    if form == "broken" and " " in mention:
        return mention.replace(" ", "\n", 1)
    return mention


PLAIN_SENTENCES = [
    "Two consignments arrived by sea.",
    "The machines were installed by January.",
    "Payment was made in cash.",
    "Delivery is planned for late November.",
]


@st.composite
def mention_reports(draw: st.DrawFn) -> tuple[Report, Source]:
    chosen = draw(st.lists(st.sampled_from(ATTRIBUTES), min_size=1, max_size=3, unique=True))
    source = Source("src-x", "WREN", 10_000, ("adv",), tuple(chosen))
    mentions = [draw(st.sampled_from(a.mentions)) for a in chosen]
    where = [draw(st.sampled_from(["title", "body"])) for _ in mentions]
    title_bits = [_forms(draw, m) for m, w in zip(mentions, where, strict=True) if w == "title"]
    body_bits = [
        f"Work at {_forms(draw, m)} slowed down."
        for m, w in zip(mentions, where, strict=True)
        if w == "body"
    ]
    plain = draw(st.lists(st.sampled_from(PLAIN_SENTENCES), min_size=1, max_size=3))
    title = " and ".join(["Quarterly notes", *title_bits])
    text = " ".join([*plain, *body_bits]) + "\n"
    return Report("rpt-x", title, "economic", "SECRET", text, ("src-x",)), source


def _norm(text: str) -> str:
    text = re.sub(r"['’]s\b", "", text.casefold())
    return " ".join(re.findall(r"[\w-]+", text))


@settings(max_examples=80, deadline=None)
@given(mention_reports())
def test_no_declared_mention_survives_anywhere_in_a_copy(case: tuple[Report, Source]) -> None:
    report, source = case
    # k at the value is 10 per attribute: a target of 1,000 lets none stay.
    result = sanitize(report, [source], target_k=1000)
    released = _norm(result.released)
    for attribute in source.attributes:
        for phrase in (attribute.value, *attribute.mentions):
            assert _norm(phrase) not in released, (phrase, result.released)


def _check_verified_k(result_sources: list[Source], report: Report | str, target: float) -> None:
    result = sanitize(report, result_sources, target_k=target)
    if not result.k_verified:
        return
    found = disclosures(result.released, result_sources)
    for stated in result.sources:
        source = next(s for s in result_sources if s.id == stated.source)
        levels = {a: lv for (sid, a), lv in found.items() if sid == source.id}
        assert anonymity(source, levels) == pytest.approx(stated.k, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(plain_reports(), st.sampled_from([50.0, 500.0, 1000.0, 5000.0]))
def test_a_verified_k_is_the_k_of_its_own_disclosures(text: str, target: float) -> None:
    _check_verified_k([KESTREL, HERON, DESIGNER], text, target)


@pytest.mark.parametrize("case", corpus(), ids=lambda c: c.report.id)
def test_verified_k_on_the_evaluation_corpus(case: object) -> None:
    assert hasattr(case, "report")
    for target in (500.0, 2000.0, 10_000.0):
        _check_verified_k(list(case.sources), case.report, target)  # type: ignore[attr-defined]


def _again(report: Report, sources: list[Source], target: float) -> None:
    first = sanitize(report, sources, target_k=target)
    tearline = dataclasses.replace(report, title=first.field("title"), text=first.text)
    second = sanitize(tearline, sources, target_k=target)
    assert (second.field("title"), second.text) == (first.field("title"), first.text)


@pytest.mark.parametrize("case", corpus(), ids=lambda c: c.report.id)
def test_sanitising_a_tearline_changes_nothing_on_the_corpus(case: object) -> None:
    for target in (500.0, 2000.0, 10_000.0):
        _again(case.report, list(case.sources), target)  # type: ignore[attr-defined]


@settings(max_examples=40, deadline=None)
@given(plain_reports(), st.sampled_from([50.0, 500.0, 5000.0]))
def test_sanitising_a_tearline_changes_nothing(text: str, target: float) -> None:
    report = Report("rpt-h", "Notes", "misc", "SECRET", text, ())
    _again(report, [KESTREL, HERON, DESIGNER], target)


# -- sentences about a source ---------------------------------------------------------

CLERK = Source(
    "src-c",
    "MOORING",
    8000,
    ("adv",),
    (
        Attribute(
            "employer",
            "Vessen Freight Forwarding Ltd",
            0.01,
            "employer",
            (Generalization("a freight forwarder", 0.1),),
            ("Vessen Freight",),
        ),
        Attribute(
            "post",
            "documentation clerk",
            0.02,
            "post",
            (Generalization("a logistics clerk", 0.3),),
            ("documentation clerk",),
        ),
    ),
)


def test_a_source_sentence_keeps_only_what_was_reported() -> None:
    text = (
        "The source, one of three clerks who handle Sarnholt-bound cargo, says that the "
        "MV Tallis Grey loaded twelve crates on 4 March.\n"
    )
    result = sanitize(text, [CLERK], target_k=500)
    assert "three clerks" not in result.text
    assert "MV Tallis Grey loaded twelve crates" in result.text
    assert result.text.startswith("A source reports that")


def test_actions_travel_and_family_of_the_source_go() -> None:
    text = (
        "A source reports that the crates were consigned to Brightwater Agritech. "
        "She stamped the bills of lading herself. "
        "The source travels to Ostrevo every month to see her mother.\n"
        "Handling: the source's husband works for the harbour master.\n"
    )
    result = sanitize(text, [CLERK], target_k=500)
    for gone in ("stamped", "Ostrevo", "mother", "husband", "Handling"):
        assert gone not in result.text
    assert "Brightwater Agritech" in result.text


def test_a_source_line_says_the_honest_descriptor() -> None:
    text = "Source: a clerk at Vessen Freight who handles Sarnholt cargo; paid, reliable.\n"
    result = sanitize(text, [CLERK], target_k=500)
    assert result.text == "Source: A source at a freight forwarder.\n"
    assert "Sarnholt" not in result.text
    assert "paid" not in result.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Customs records show the shipment was one of three clerks' files.",
        "Only she and two colleagues have administrator rights on those machines.",
        "The clerk is the only one on the roster with the keys.",
    ],
)
def test_counts_of_people_who_share_an_access_are_never_verified(sentence: str) -> None:
    text = f"The crates left on 4 March. {sentence}\n"
    result = sanitize(text, [CLERK], target_k=500)
    kept = [r for r in result.review if r.text in result.released]
    assert not result.k_verified or not any(
        w in result.text for w in ("three clerks", "two colleagues", "only one on the roster")
    )
    assert all(r.why for r in kept)


def test_something_about_the_source_left_unclassified_makes_k_unverified() -> None:
    # A pronoun in what the source reported may be the source itself.
    text = "The source says that he was paid twice by the Kosta driver.\n"
    result = sanitize(text, [CLERK], target_k=500)
    assert not result.k_verified
    assert result.review
    assert all(r.why for r in result.review)


def test_a_title_with_the_sources_role_is_reviewed_or_rewritten() -> None:
    report = Report(
        "rpt-t",
        "Notes from the documentation clerk at Vessen Freight",
        "misc",
        "SECRET",
        "The crates left on 4 March.\n",
        ("src-c",),
    )
    result = sanitize(report, [CLERK], target_k=500)
    assert "Vessen" not in result.released
    assert not result.k_verified or "clerk" not in result.field("title")


@pytest.mark.parametrize("form", ["Egret", "EGRET", "egret", "Egret's", "EGRET'S"])
def test_a_code_name_in_any_case_with_a_possessive_never_leaves(form: str) -> None:
    source = Source("src-e", "EGRET", 7000, ("adv",), ())
    text = f"The couriers use {form} café as a drop. The couriers travel on by bus.\n"
    result = sanitize(text, [source], target_k=500)
    assert "egret" not in result.released.casefold()
    assert "The couriers travel on by bus." in result.text


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("The attaché met him at a flat on Lindgate Row in March.", "Lindgate Row"),
        ("The Red Dawn militia recruited 40 boys in October.", "Red Dawn militia"),
        ("The cargo was collected by Brightwater Agritech.", "Brightwater Agritech"),
        ("Trucks of the Zephyr Haulage company collected it.", "Zephyr Haulage"),
    ],
)
def test_names_that_are_the_intelligence_stay(sentence: str, kept: str) -> None:
    result = sanitize(f"{sentence}\n", [CLERK], target_k=500)
    assert kept in result.text


def test_a_chief_is_a_head() -> None:
    post = Source(
        "src-d",
        "WICKET",
        30_000,
        ("adv",),
        (
            Attribute(
                "post",
                "deputy head of the Armoured Vehicles Section",
                0.0002,
                "post",
                (Generalization("a mid-level procurement official", 0.01),),
                ("AVS deputy head",),
            ),
        ),
    )
    found = disclosures("The deputy chief of the Armoured Vehicles Section signed.", [post])
    assert found == {("src-d", "post"): 0}
