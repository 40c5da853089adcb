"""Reading a leak: robust to retyping, partial text, case and Unicode, blends — and never a guess."""

from __future__ import annotations

import random
import unicodedata

import pytest

from tearline.fingerprint.align import BaseText, align, normalise, tokens
from tearline.fingerprint.noise import blend, excerpt, retype
from tearline.fingerprint.read import read_slots
from tests.fingerprint.helpers import demo_reports, make_stream, word_of


def _read(
    text: str, leak: str, rng: random.Random
) -> tuple[dict[int, set[int]], tuple[int, ...], int]:
    stream, copies = make_stream(text, ["a"], rng)
    base = BaseText(stream.layout)
    words = tokens(leak(copies["a"]) if callable(leak) else leak)
    return (
        read_slots(base, words, align(base, words)),
        word_of(stream, "a"),
        len(stream.layout.slots),
    )


def _tally(transform: object, seed: int = 1) -> tuple[int, int, int]:
    """(right, wrong, slots) over every demo report read after ``transform``."""
    rng = random.Random(seed)
    right = wrong = total = 0
    for text in demo_reports():
        stream, copies = make_stream(text, ["a"], rng)
        assert callable(transform)
        leak = transform(copies["a"], rng)
        base = BaseText(stream.layout)
        words = tokens(leak)
        truth = word_of(stream, "a")
        for slot, seen in read_slots(base, words, align(base, words)).items():
            right += truth[slot] in seen
            wrong += len(seen - {truth[slot]})
        total += len(stream.layout.slots)
    return right, wrong, total


def test_an_exact_copy_reads_every_slot() -> None:
    right, wrong, total = _tally(lambda copy, rng: copy)
    assert (right, wrong) == (total, 0)


def test_retyping_with_typos_and_reflow_loses_a_few_slots_and_misreads_none() -> None:
    right, wrong, total = _tally(lambda copy, rng: retype(copy, rng, typos=0.03))
    assert wrong == 0
    assert right >= 0.85 * total


def test_case_and_unicode_normalisation_change_nothing() -> None:
    def mangle(copy: str, rng: random.Random) -> str:
        # Capitals, NFKD, curly quotes, non-breaking spaces, soft hyphens and zero-width
        # spaces: what pasting through word processors and web pages does to a text.
        text = (
            unicodedata.normalize("NFKD", copy.upper()).replace("'", "’").replace(" ", "\u00a0", 40)
        )
        return text.replace("E", "E\u200b", 30).replace("A", "A\u00ad", 20)

    right, wrong, total = _tally(mangle)
    assert (right, wrong) == (total, 0)


def test_a_partial_leak_reads_what_it_holds_and_erases_the_rest() -> None:
    right, wrong, total = _tally(lambda copy, rng: excerpt(copy, 0.5, rng))
    assert wrong == 0
    assert 0.25 * total <= right <= 0.8 * total


def test_reordered_paragraphs_still_align() -> None:
    def shuffle(copy: str, rng: random.Random) -> str:
        paragraphs = copy.split("\n\n")
        rng.shuffle(paragraphs)
        return "\n\n".join(paragraphs)

    right, wrong, total = _tally(shuffle)
    assert wrong == 0
    assert right >= 0.95 * total


def test_a_blend_reads_each_slot_as_one_of_the_blended_copies() -> None:
    rng = random.Random(5)
    for text in demo_reports()[:12]:
        stream, copies = make_stream(text, ["a", "b"], rng)
        base = BaseText(stream.layout)
        words = tokens(blend([copies["a"], copies["b"]], rng))
        a, b = word_of(stream, "a"), word_of(stream, "b")
        for slot, seen in read_slots(base, words, align(base, words)).items():
            assert seen <= {a[slot], b[slot]}


def test_unrelated_text_reads_nothing() -> None:
    # Two demo reports share an opening ("SOURCE: A deputy section head in ..."), and the
    # heading's mark in that shared text is legitimately read; a report from another
    # world shares nothing.
    from tests.sanitize.corpus import CASES

    rng = random.Random(2)
    for case in CASES:
        stream, _ = make_stream(demo_reports()[0], ["a"], rng)
        base = BaseText(stream.layout)
        words = tokens(case.text)
        assert read_slots(base, words, align(base, words)) == {}


def test_shared_boilerplate_reads_only_what_the_text_holds() -> None:
    rng = random.Random(2)
    stream, _ = make_stream(demo_reports()[0], ["a"], rng)
    base = BaseText(stream.layout)
    other = demo_reports()[5]
    words = tokens(other)
    for slot, seen in read_slots(base, words, align(base, words)).items():
        options = {span.options[k] for span in stream.layout.slots[slot].spans for k in seen}
        assert all(o.strip() in other for o in options)


def test_an_ambiguous_window_is_an_erasure_not_a_guess() -> None:
    rng = random.Random(9)
    text = "The cell has about 40 members in Lisk and more in Drevna."
    stream, _ = make_stream(text, ["a"], rng)
    base = BaseText(stream.layout)
    for mangled in ("The cell has approx. 40 members in Lisk", "The cell has a 40 members in Lisk"):
        words = tokens(mangled + " and more in Drevna.")
        assert read_slots(base, words, align(base, words)) == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Don’t", "don't"),
        ("ＲＥＰＯＲＴ", "report"),
        ("co\u2011operate", "co-operate"),
        ("a\u200bb", "ab"),
    ],
)
def test_normalisation(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
