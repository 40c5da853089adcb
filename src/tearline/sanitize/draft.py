"""A text being edited: non-overlapping edits kept in the original's coordinates.

Detection runs on the current text again and again, but every change must be
reported against the original (``start``/``end`` of the change log). A
``Draft`` keeps the original and a list of edits; ``text`` renders it, and
``replace`` takes a range of the *current* text, widens it to whole edits it
touches, and records one merged edit in original coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Note:
    """Why a piece of text changed."""

    kind: str
    why: str
    source: str | None = None
    attribute: str | None = None


@dataclass(slots=True)
class Edit:
    start: int
    end: int
    replacement: str
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Segment:
    cur_start: int
    cur_end: int
    orig_start: int
    orig_end: int
    edit: Edit | None


class Draft:
    def __init__(self, original: str) -> None:
        self.original = original
        self.edits: list[Edit] = []
        self._cache: tuple[str, list[_Segment]] | None = None

    @property
    def text(self) -> str:
        return self._render()[0]

    def _render(self) -> tuple[str, list[_Segment]]:
        if self._cache is not None:
            return self._cache
        parts: list[str] = []
        segments: list[_Segment] = []
        cur = orig = 0
        for edit in self.edits:
            if edit.start > orig:
                piece = self.original[orig : edit.start]
                segments.append(_Segment(cur, cur + len(piece), orig, edit.start, None))
                parts.append(piece)
                cur += len(piece)
            segments.append(_Segment(cur, cur + len(edit.replacement), edit.start, edit.end, edit))
            parts.append(edit.replacement)
            cur += len(edit.replacement)
            orig = edit.end
        piece = self.original[orig:]
        segments.append(_Segment(cur, cur + len(piece), orig, len(self.original), None))
        parts.append(piece)
        self._cache = ("".join(parts), segments)
        return self._cache

    def replace(self, start: int, end: int, new: str, note: Note) -> None:
        """Replace ``[start, end)`` of the current text by ``new``.

        Every edit the range touches is merged into one: the new edit covers
        their original ranges, and its replacement is what the current text
        there becomes. An insertion (``start == end``) next to or inside an
        edit joins that edit, so that edits never compete for one place."""
        text, segments = self._render()
        touched: list[_Segment] = []
        for s in segments:
            if s.edit is None:
                continue
            if start == end:
                hit = s.cur_start <= start <= s.cur_end
            else:
                hit = (s.cur_start < end and start < s.cur_end) or (
                    s.cur_start == s.cur_end and start <= s.cur_start <= end
                )
            if hit:
                touched.append(s)
        if start == end:
            touched = touched[:1]
        cs = min([start, *(s.cur_start for s in touched)])
        ce = max([end, *(s.cur_end for s in touched)])
        os_ = self._original(cs, touched, segments, left=True)
        oe = self._original(ce, touched, segments, left=False)
        replacement = text[cs:start] + new + text[end:ce]
        gone = {id(s.edit) for s in touched}
        notes = [n for s in touched if s.edit is not None for n in s.edit.notes]
        kept = [e for e in self.edits if id(e) not in gone]
        kept.append(Edit(os_, oe, replacement, [*notes, note]))
        kept.sort(key=lambda e: (e.start, e.end))
        self.edits = kept
        self._cache = None

    @staticmethod
    def _original(
        pos: int, touched: list[_Segment], segments: list[_Segment], *, left: bool
    ) -> int:
        for s in touched:
            if left and s.cur_start == pos:
                return s.orig_start
            if not left and s.cur_end == pos:
                return s.orig_end
        for s in segments:
            if s.edit is None and s.cur_start <= pos <= s.cur_end:
                return s.orig_start + (pos - s.cur_start)
        raise AssertionError(f"position {pos} is inside an edit it does not touch")

    def current(self, pos: int) -> int | None:
        """Where original offset ``pos`` is now (None if an edit replaced it)."""
        for s in self._render()[1]:
            if s.edit is None and s.orig_start <= pos <= s.orig_end:
                return s.cur_start + (pos - s.orig_start)
        return None

    def origin(self, pos: int) -> tuple[int, bool]:
        """Where current offset ``pos`` comes from: its original offset and
        True when the text there is the original's, or the start of the edit
        that wrote it and False. Stable while edits elsewhere come and go."""
        for s in self._render()[1]:
            if s.cur_start <= pos < s.cur_end or (s.cur_start == pos == s.cur_end):
                if s.edit is None:
                    return s.orig_start + (pos - s.cur_start), True
                return s.orig_start, False
        return len(self.original), True

    def notes_at(self) -> list[tuple[int, int, list[Note]]]:
        """The current-text ranges that edits produced, with why they did."""
        return [
            (s.cur_start, s.cur_end, s.edit.notes) for s in self._render()[1] if s.edit is not None
        ]

    def edited(self) -> list[tuple[int, int]]:
        """The current-text ranges that edits produced (empty for deletions)."""
        return [(s.cur_start, s.cur_end) for s in self._render()[1] if s.edit is not None]
