"""Reports: the intelligence to be shared, and the sources it rests on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tearline.domain.text import plain_text


@dataclass(frozen=True, slots=True)
class Report:
    """A finished report. ``controls`` are originator dissemination controls
    (ORCON, NOFORN, ...); ``approved_for`` records the actors or groups the
    originator has approved it for (the ORCON consent)."""

    id: str
    title: str
    category: str
    classification: str
    text: str
    sources: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    approved_for: tuple[str, ...] = ()
    originator: str | None = None
    date: date | None = None

    @property
    def plain_text(self) -> str:
        """The text every reader assesses: declared slots resolved
        (``tearline.domain.text``). Only fingerprinting reads ``text``."""
        return plain_text(self.text)
