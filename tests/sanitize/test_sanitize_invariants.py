"""Invariants on generated reports: the target holds, nothing new is disclosed,
the change log is exact, and the edit buffer keeps its coordinates straight."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.sanitize import disclosures, sanitize
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.generalize import k_of
from tests.sanitize import prose
from tests.sanitize.samples import DESIGNER, HERON, KESTREL

SOURCES = [KESTREL, HERON, DESIGNER]

# Sentences that say attributes in many surface forms, and sentences that say nothing.
TELLING = [
    "A source in the procurement directorate of the defence ministry reports this.",
    "The ministry's procurement directorate approved it on 14 March.",
    "She visited the northern yard in mid-March.",
    "The defence ministry is aware.",
    "A deputy section head in GDAP's missile contracts section signed.",
    "Colonel Mirek Savan chaired the meeting; Savan was angry.",
    "The General Directorate of Armaments Procurement paid 4.8 million crowns.",
    "The lead engineer on Stand 2 at DB-7 saw the firing.",
    "Design Bureau 7 of Velisk Motor Works is late.",
    "Someone in the defence sector said so.",
]
PLAIN = [
    "Two consignments arrived by sea.",
    "The machines were installed by January.",
    'The cargo was declared as "pipe-winding equipment".',
    "Payment was made in cash.",
    "Delivery is planned for late November.",
]


@st.composite
def reports(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(st.sampled_from(TELLING + PLAIN), min_size=1, max_size=7))
    breaks = draw(st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=len(sentences)))
    return "".join(s + b for s, b in zip(sentences, breaks, strict=False)).strip() + "\n"


@settings(max_examples=60, deadline=None)
@given(reports(), st.sampled_from([1.0, 50.0, 500.0, 1000.0, 5000.0]))
def test_sanitising_meets_the_target_and_never_discloses_more(text: str, target: float) -> None:
    result = sanitize(text, SOURCES, target_k=target)
    before = disclosures(text, SOURCES)
    after = disclosures(result.text, SOURCES)
    for (source_id, name), level in after.items():
        assert (source_id, name) in before
        assert level >= before[(source_id, name)]
    for source in SOURCES:
        levels = {a: lv for (s, a), lv in after.items() if s == source.id}
        if source.population >= target:
            assert k_of(source, levels) >= target
    rebuilt, cursor = "", 0
    for change in result.changes:
        rebuilt += text[cursor : change.start] + change.after
        cursor = change.end
    assert rebuilt + text[cursor:] == result.text
    assert prose.problems(text, result.text) == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdef ", min_size=1, max_size=30),
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 8), st.text(alphabet="XYZ", max_size=4)),
        max_size=8,
    ),
)
def test_the_draft_maps_every_edit_back_to_the_original(
    original: str, operations: list[tuple[int, int, str]]
) -> None:
    draft = Draft(original)
    for start, length, new in operations:
        text = draft.text
        start = min(start, len(text))
        end = min(len(text), start + length)
        draft.replace(start, end, new, Note("test", "why"))
        expected = text[:start] + new + text[end:]
        assert draft.text == expected
    # The edits, applied to the original, give the current text.
    rebuilt, cursor = "", 0
    for edit in draft.edits:
        assert cursor <= edit.start <= edit.end
        rebuilt += original[cursor : edit.start] + edit.replacement
        cursor = edit.end
    assert rebuilt + original[cursor:] == draft.text
