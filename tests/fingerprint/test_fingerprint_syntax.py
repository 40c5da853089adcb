"""Issue 17's channels: sentence-level, punctuation, spelling and hyphenation variants —
where they apply, and, as importantly, where they must not."""

from __future__ import annotations

import random
import re

import pytest

from tearline.fingerprint import Layout, detect, embed
from tests.fingerprint.helpers import demo_reports


def _options(text: str) -> dict[str, list[tuple[str, ...]]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for slot in detect(text).slots:
        found.setdefault(slot.label, []).extend(s.options for s in slot.spans)
    return found


def _copies(text: str) -> set[str]:
    """Every copy where a single slot takes each of its variants."""
    layout = detect(text)
    out = set()
    for i, slot in enumerate(layout.slots):
        for k in range(slot.q):
            word = [0] * len(layout.slots)
            word[i] = k
            out.add(embed(layout, word))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The source believes that the cell has left.",
            "The source believes the cell has left.",
        ),
        (
            "The source believes the material is intended for targeting.",
            "The source believes that the material is intended for targeting.",
        ),
        (
            "The cell is a militant group that seeks a referendum.",
            "The cell is a militant group which seeks a referendum.",
        ),
        (
            "In October 2024 the bureau concluded three contracts.",
            "In October 2024, the bureau concluded three contracts.",
        ),
        (
            "After the talks, Gresz told his staff nothing.",
            "After the talks Gresz told his staff nothing.",
        ),
        (
            "If the firing succeeds, we expect a launch in spring.",
            "If the firing succeeds we expect a launch in spring.",
        ),
        (
            "Colonel Mirek Savan, who directs the programme, told a meeting.",
            "Colonel Mirek Savan — who directs the programme — told a meeting.",
        ),
        (
            "The lorries which the network uses are refrigerated.",
            "The lorries the network uses are refrigerated.",
        ),
        (
            "Major Varga has told her staff that the order has been approved.",
            "Major Varga has told her staff the order has been approved.",
        ),
        (
            "The harbour was closed. The convoy waited for a day at sea.",
            "The harbour was closed; the convoy waited for a day at sea.",
        ),
        ("The casing is carbon-fibre composite.", "The casing is carbon fibre composite."),
        ("They fired anti-tank weapons twice.", "They fired antitank weapons twice."),
        ("It was seen at the harbour in Caddow.", "It was seen at the harbor in Caddow."),
        ("The lorry crossed at night.", "The truck crossed at night."),
        ("It has a range of 1,900 km at most.", "It has a range of 1,900 kilometres at most."),
        ("The talks will resume in the autumn.", "The talks will resume in autumn."),
        ("The launch is planned in late 2026.", "The launch is planned late in 2026."),
        (
            "COMMENT: The failure delays the programme.",
            "COMMENT — The failure delays the programme.",
        ),
        (
            "SOURCE: A contractor with access to the network.",
            "SOURCE: A contractor who has access to the network.",
        ),
    ],
)
def test_a_channel_offers_the_same_sentence_in_other_words(text: str, expected: str) -> None:
    assert expected in _copies(text)


@pytest.mark.parametrize(
    "text",
    [
        # An object, not a clause: "that" must not be added.
        "We assess the threat as low.",
        # A noun's own "that" clause, a non-restrictive "which", a "which" after a preposition.
        "The claim that guards were paid is false.",
        "The value at which customs act is low.",
        "The terminal, which opened in 2020, is guarded.",
        # A determiner "that" after a reporting verb stays.
        "He said that report was false.",
        # Capitalised words may be names: spelt as their owners spell them.
        "The Ministry of Defence and Caddow Harbour were informed.",
        # A verb with its particle, a chain, an American word that is also another word.
        "The hand lay-up process and the threat-to-life warning were checked.",
        "The program crashed and the check cleared.",
        # "Major" the adjective; "General Directorate" the name.
        "A major bottleneck in the General Directorate of Armaments remains.",
        # A dash before a semicolon reads badly; acronyms stay in brackets.
        "Servers at 198.51.100.17 (command and control); others (GDAP) too.",
        # The first of two coordinated clauses joined by "and" keeps its comma-free form.
        "It concentrated on the jetty approaches and the unloading arms used when a tanker is near.",
    ],
)
def test_no_channel_where_the_choice_would_change_or_break_the_sentence(text: str) -> None:
    labels = set(_options(text))
    bad = {
        "that-complement",
        "that-which",
        "object-relative",
        "clause-comma",
        "parenthesis-dashes",
        "told-that",
    }
    bad |= {label for label in labels if label.startswith(("rank", "compound", "prefix"))}
    bad |= {"defence", "harbour", "programme", "cheque"}
    assert not labels & bad, _options(text)


def test_spelling_families_never_mix_within_a_copy() -> None:
    text = "The harbour is closed. Ships wait outside the harbour and the harbours nearby."
    (slot,) = [s for s in detect(text).slots if s.label == "harbour"]
    assert len(slot.spans) == 3
    layout = detect(text)
    word = [s.q - 1 if s.label == "harbour" else 0 for s in layout.slots]
    copy = embed(layout, word)
    assert "harbour" not in copy
    assert copy.count("harbor") == 3


def _untouched_words(layout: Layout) -> list[str]:
    """The words of the base text outside every span, lower-cased; a word a span touches
    (the rest of "The" after ". T") is left out."""
    spans = sorted((sp.start, sp.end) for s in layout.slots for sp in s.spans)
    words: list[str] = []
    at = 0
    for start, end in [*spans, (len(layout.text), len(layout.text))]:
        segment = layout.text[at:start]
        parts = re.findall(r"\w+|\W", segment)
        if at > 0 and parts and parts[0][0].isalnum():
            parts = parts[1:]
        if start < len(layout.text) and parts and parts[-1][0].isalnum():
            parts = parts[:-1]
        words += [p.lower() for p in parts if p[0].isalnum()]
        at = max(at, end)
    return words


def test_every_variant_of_every_demo_report_keeps_its_sentences_whole() -> None:
    """Random copies: no doubled punctuation or spaces, sentences still open with a
    capital, quotes and brackets still pair up, and every word outside the slots is
    still there, in order."""
    rng = random.Random(17)
    for text in demo_reports():
        layout = detect(text)
        outside = _untouched_words(layout)
        for _ in range(3):
            copy = embed(layout, [rng.randrange(s.q) for s in layout.slots])
            for bad in (",,", ";;", " ,", " ;", ". .", ",."):
                assert bad not in copy
            assert copy.count("  ") == text.count("  ")
            for sentence in re.split(r"(?<=[.!?;])\s+", copy):
                assert not sentence or not sentence[0].islower() or ";" in copy
            for sentence in re.split(r"(?<=[.!?])\s+", copy):
                assert not sentence or not sentence[0].islower()
            assert copy.count('"') % 2 == 0
            assert copy.count("(") - copy.count(")") == text.count("(") - text.count(")")
            words = [w.lower() for w in re.findall(r"\w+", copy)]
            at = 0
            for w in outside:
                at = words.index(w, at) + 1
