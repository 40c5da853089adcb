"""Keyed variants: the variant sets, their order and the slots used come from the key; a
decoy in a leak is an erasure; unheld variants never frame an innocent beyond ε."""

from __future__ import annotations

import random

from scipy.stats import binomtest

from tearline.fingerprint import (
    Layout,
    Leak,
    Stream,
    biases,
    codeword,
    detect,
    stream_layout,
    trace,
)
from tearline.fingerprint.align import BaseText, align, tokens
from tearline.fingerprint.layout import LAYOUT_VERSION
from tearline.fingerprint.read import read_slots
from tests.fingerprint.helpers import demo_reports

TEXT = (
    "The source believes the cell has about 40 members. It obtained roughly 200 kg of "
    "explosive in early 2026 and stored approximately half of it near the harbour."
)


def test_a_slot_keeps_its_own_form_and_all_but_one_of_the_others() -> None:
    full = detect(TEXT)
    keyed = stream_layout(TEXT, bytes(32), "s1")
    assert keyed.text == full.text
    for wide, narrow in zip(full.slots, keyed.slots, strict=True):
        for a, b in zip(wide.spans, narrow.spans, strict=True):
            assert b.options[0] == a.options[0]  # the text's own form stays
            if wide.q >= 3:
                assert len(b.options) == wide.q - 1
                assert len(b.decoys) == 1
                assert set(b.options) | set(b.decoys) == set(a.options)
            else:
                assert (b.options, b.decoys) == (a.options, ())


def test_the_sets_and_their_order_depend_on_the_key_and_the_stream() -> None:
    def sets(key: bytes, stream: str) -> list[tuple[str, ...]]:
        layout = stream_layout(TEXT, key, stream)
        return [s.spans[0].options for s in layout.slots if s.spans[0].decoys]

    seen = {tuple(sets(bytes([k]) * 32, "s1")) for k in range(12)}
    assert len(seen) > 1
    assert {tuple(sets(bytes(32), f"s{k}")) for k in range(12)} != {tuple(sets(bytes(32), "s1"))}
    assert sets(bytes(32), "s1") == sets(bytes(32), "s1")  # deterministic


def test_the_key_chooses_between_channels_that_touch_the_same_words() -> None:
    boundaries = set()
    for text in demo_reports()[:12]:
        for k in range(6):
            layout = stream_layout(text, bytes([k]) * 32, "s")
            boundaries.add((text[:20], tuple((s.label, s.spans[0].start) for s in layout.slots)))
    # For some report, two keys resolve an overlap differently.
    per_text: dict[str, set[object]] = {}
    for head, found in boundaries:
        per_text.setdefault(head, set()).add(found)
    assert any(len(v) > 1 for v in per_text.values())


def test_a_layout_with_decoys_round_trips_and_old_layouts_still_load() -> None:
    keyed = stream_layout(TEXT, bytes(32), "s1")
    data = keyed.to_dict()
    assert data["version"] == LAYOUT_VERSION
    assert Layout.from_dict(keyed.text, data) == keyed
    old = detect(TEXT).to_dict()
    old["version"] = 1
    assert Layout.from_dict(TEXT, old) == detect(TEXT)


def test_a_decoy_in_a_leak_is_read_as_an_erasure_never_as_a_variant() -> None:
    key = bytes(range(32))
    layout = stream_layout(TEXT, key, "s1")
    decoyed = [i for i, s in enumerate(layout.slots) if s.spans[0].decoys]
    assert decoyed
    base = BaseText(layout)
    for target in decoyed:
        # Every other slot holds variant 0; the target holds its decoy.
        edits = []
        for i, slot in enumerate(layout.slots):
            for span in slot.spans:
                edits.append(
                    (span.start, span.end, span.decoys[0] if i == target else span.options[0])
                )
        pieces, at = [], 0
        for start, end, option in sorted(edits):
            pieces += [layout.text[at:start], option]
            at = end
        leak = "".join([*pieces, layout.text[at:]])
        words = tokens(leak)
        readings = read_slots(base, words, align(base, words))
        assert target not in readings
        assert all(seen == {0} for seen in readings.values())


def test_unheld_variants_never_frame_an_innocent_beyond_epsilon() -> None:
    """Two colluders write, wherever their copies differ, a published form neither holds
    (kept or decoy). Whatever they write, the probability that an innocent is accused stays
    at most ε: checked at ε = 0.2 over 300 keys (one-sided binomial test at 1 %)."""
    epsilon = 0.2
    text = demo_reports()[-1]
    framed = 0
    trials = 300
    partners = [f"p{i}" for i in range(7)]
    for t in range(trials):
        rng = random.Random(t)
        key = rng.randbytes(32)
        layout = stream_layout(text, key, "s")
        secrets = {p: rng.randbytes(32) for p in partners}
        bias = biases(key, "s", layout.alphabet)
        words = {p: codeword(key, "s", secrets[p], bias) for p in partners}
        a, b = words["p0"], words["p1"]
        edits = []
        for i, slot in enumerate(layout.slots):
            for span in slot.spans:
                pool = (*span.options, *span.decoys)
                if a[i] != b[i]:
                    choice = rng.choice(
                        [k for k in range(len(pool)) if k not in (a[i], b[i])] or [a[i]]
                    )
                else:
                    choice = a[i]
                edits.append((span.start, span.end, pool[choice]))
        pieces, at = [], 0
        for start, end, option in sorted(edits):
            pieces += [layout.text[at:start], option]
            at = end
        leak = "".join([*pieces, layout.text[at:]])
        result = trace(
            [Leak("l", leak)], [Stream("s", "r", "full", layout, secrets)], key, epsilon=epsilon
        )
        framed += any(c.partner not in ("p0", "p1") for c in result.accused)
    assert binomtest(framed, trials, epsilon, alternative="greater").pvalue > 0.01
