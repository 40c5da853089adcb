"""The slot layout of a base text: where a copy may differ from its siblings, and how.

A *slot* is one symbol of the fingerprint code. It has ``q`` variants (its alphabet) and one
or more *spans* in the base text: a document-wide convention (``organise``/``organize``
everywhere, day-month or month-day dates everywhere) is one slot with a span per occurrence,
all set to the same variant, so a copy stays consistent with itself. ``options[k]`` of a span
is the text of variant ``k`` at that place; ``options[0]`` is what the base text holds there.

A span may also list ``decoys``: forms the channel offers that this deployment's key left out
of the slot (``variants``). No copy holds them; a leak that does was rewritten by someone who
read the published lists, and the reader treats such a window as unreadable.

The layout is stored with its stream (JSON, ``to_dict``/``from_dict``), so a change to the
channel lists never changes how an old release is read. Version 1 (before decoys) still loads.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LAYOUT_VERSION = 2
_READABLE_VERSIONS = (1, 2)


class LayoutError(ValueError):
    """A layout breaks its invariants (a bug, or a damaged stored layout)."""


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    options: tuple[str, ...]
    decoys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Slot:
    """``kind``: declared, synonym, spelling, number, date, punctuation or order; ``label``
    names the channel (``approximately``, ``date-format``) for people reading a layout."""

    kind: str
    label: str
    spans: tuple[Span, ...]

    @property
    def q(self) -> int:
        return len(self.spans[0].options)


@dataclass(frozen=True, slots=True)
class Layout:
    text: str
    slots: tuple[Slot, ...]

    def __post_init__(self) -> None:
        spans: list[Span] = []
        for slot in self.slots:
            if not slot.spans:
                raise LayoutError(f"slot {slot.label!r} has no span")
            for span in slot.spans:
                if len(span.options) != slot.q or slot.q < 2:
                    raise LayoutError(f"slot {slot.label!r}: every span needs {slot.q} ≥ 2 options")
                if len(set(span.options)) != len(span.options):
                    raise LayoutError(f"slot {slot.label!r}: options repeat {span.options}")
                if set(span.decoys) & set(span.options) or len(set(span.decoys)) != len(
                    span.decoys
                ):
                    raise LayoutError(f"slot {slot.label!r}: decoys repeat {span.decoys}")
                if self.text[span.start : span.end] != span.options[0]:
                    raise LayoutError(
                        f"slot {slot.label!r}: the text at {span.start}..{span.end} is "
                        f"{self.text[span.start : span.end]!r}, not option 0 {span.options[0]!r}"
                    )
                spans.append(span)
        spans.sort(key=lambda s: (s.start, s.end))
        for before, after in itertools.pairwise(spans):
            # Zero-length spans (an optional comma) may touch others, never sit inside one.
            both_empty = before.start == before.end == after.start == after.end
            if after.start < before.end or both_empty:
                raise LayoutError(f"spans overlap at {after.start}")

    @property
    def alphabet(self) -> tuple[int, ...]:
        return tuple(slot.q for slot in self.slots)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": LAYOUT_VERSION,
            "slots": [
                {
                    "kind": s.kind,
                    "label": s.label,
                    "spans": [
                        [
                            sp.start,
                            sp.end,
                            list(sp.options),
                            *([list(sp.decoys)] if sp.decoys else []),
                        ]
                        for sp in s.spans
                    ],
                }
                for s in self.slots
            ],
        }

    @classmethod
    def from_dict(cls, text: str, data: Mapping[str, Any]) -> Layout:
        if data.get("version") not in _READABLE_VERSIONS:
            raise LayoutError(f"unknown layout version {data.get('version')!r}")
        slots = tuple(
            Slot(
                kind=str(s["kind"]),
                label=str(s["label"]),
                spans=tuple(
                    Span(int(sp[0]), int(sp[1]), tuple(map(str, sp[2])), _decoys(sp))
                    for sp in s["spans"]
                ),
            )
            for s in data["slots"]
        )
        return cls(text, slots)


def _decoys(stored: list[Any]) -> tuple[str, ...]:
    if len(stored) not in (3, 4):
        raise LayoutError(f"a stored span has {len(stored)} fields, expected 3 or 4")
    return tuple(map(str, stored[3])) if len(stored) == 4 else ()
