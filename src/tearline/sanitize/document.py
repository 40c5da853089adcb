"""A report as the sanitiser sees it: its header fields and its body, one text.

Everything a tearline copy carries that came from the report — the title, the
report's id, its category — goes through the same sanitiser as the body, and
the k counts all of it (issue 10, point 1). The fields are joined into one
document, each its own paragraph before the body, so that detection, the
choice of levels, the repair and the final verification see every byte that
will leave; the sanitised document is then cut back into its fields.

The cut is made on the edit log, in the original's coordinates: every
character of the sanitised document lands in exactly one field (an edit that
straddles a boundary is written into the field where it starts, and the rest
of its range is emptied in the next), so the fields together are exactly the
text that was verified — the cut changes presentation, never content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tearline.sanitize.draft import Edit

SEPARATOR = "\n\n"
"""Between fields: a paragraph break, which no detected phrase crosses."""

BODY = "text"
"""The name of the body among the fields."""


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    start: int
    end: int  # exclusive, separator included (except for the body)


def join(fields: Sequence[tuple[str, str]], body: str) -> tuple[str, tuple[Region, ...]]:
    """The document for ``fields`` (name, text) followed by ``body``."""
    parts: list[str] = []
    regions: list[Region] = []
    at = 0
    for name, value in fields:
        # A field is one labelled line ("Title: …"): line breaks in a title are
        # layout, and the label keeps a lower-case value ("rpt-12") from being
        # taken for a sentence to capitalise.
        piece = f"{label(name)} {' '.join(value.split())}{SEPARATOR}"
        regions.append(Region(name, at, at + len(piece)))
        parts.append(piece)
        at += len(piece)
    regions.append(Region(BODY, at, at + len(body)))
    parts.append(body)
    return "".join(parts), tuple(regions)


def label(name: str) -> str:
    return f"{name.capitalize()}:"


def value_of(name: str, piece: str) -> str:
    """A field's value in its sanitised piece ("" when its label went with it)."""
    piece = piece.strip()
    prefix = label(name)
    return piece[len(prefix) :].strip() if piece.startswith(prefix) else ""


def split(original: str, edits: Sequence[Edit], regions: Sequence[Region]) -> list[list[Edit]]:
    """The edits of each region, in that region's own coordinates."""
    out: list[list[Edit]] = [[] for _ in regions]
    for edit in edits:
        first = _region_of(edit.start, regions, edit.start == edit.end)
        for i, region in enumerate(regions):
            lo, hi = max(edit.start, region.start), min(edit.end, region.end)
            if i == first:
                out[i].append(
                    Edit(
                        max(lo, region.start) - region.start,
                        min(max(hi, lo), region.end) - region.start,
                        edit.replacement,
                        list(edit.notes),
                    )
                )
            elif lo < hi:
                # The straddling edit's tail: emptied here, written in the first region.
                out[i].append(Edit(lo - region.start, hi - region.start, "", list(edit.notes)))
    return out


def _region_of(pos: int, regions: Sequence[Region], insertion: bool) -> int:
    for i, region in enumerate(regions):
        if region.start <= pos < region.end or (insertion and pos == region.end):
            return i
    return len(regions) - 1


def render(original: str, edits: Sequence[Edit]) -> str:
    """``original`` with ``edits`` (sorted, non-overlapping) applied."""
    out: list[str] = []
    at = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(original[at : edit.start])
        out.append(edit.replacement)
        at = edit.end
    out.append(original[at:])
    return "".join(out)
