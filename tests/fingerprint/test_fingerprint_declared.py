"""Declared slots: {a|b|c} in a report's text."""

from __future__ import annotations

from tearline.fingerprint import carry_slots, detect, embed, has_slots, strip_slots
from tearline.fingerprint.declared import parse_slots


def test_parse_and_strip() -> None:
    text = "It has {about|approximately|roughly} 40 members, {|all }armed. {not a slot}"
    plain, slots = parse_slots(text)
    assert plain == "It has about 40 members, armed. {not a slot}"
    assert strip_slots(text) == plain
    assert [s.options for s in slots] == [("about", "approximately", "roughly"), ("", "all ")]
    assert [plain[s.start : s.end] for s in slots] == ["about", ""]
    assert has_slots(text)
    assert not has_slots(plain)


def test_declared_slots_become_slots_and_win_over_channels() -> None:
    layout = detect("The cell has {about|approximately} 40 members near the port.")
    declared = [s for s in layout.slots if s.kind == "declared"]
    assert [s.spans[0].options for s in declared] == [("about", "approximately")]
    assert not any(s.label == "approximately" for s in layout.slots)
    copies = {embed(layout, [k % s.q for s in layout.slots]) for k in range(2)}
    assert all("{" not in c for c in copies)
    assert any("approximately 40" in c for c in copies)


def test_carry_puts_back_the_slots_the_sanitiser_left_alone() -> None:
    original = "Colonel Savan has {about|approximately} 40 men in Lisk, {|all }armed."
    derived = strip_slots(original).replace("Colonel Savan", "A senior officer")
    assert carry_slots(original, derived) == (
        "A senior officer has {about|approximately} 40 men in Lisk, {|all }armed."
    )
    # A slot inside rewritten text is dropped, not forced into the new words.
    rewritten = strip_slots(original).replace("about 40 men", "a unit")
    assert carry_slots(original, rewritten) == "Colonel Savan has a unit in Lisk, {|all }armed."
    assert carry_slots("no slots", "no slots at all") == "no slots at all"
