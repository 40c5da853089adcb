"""Prose checks for tearlines: what an editor would send back."""

from __future__ import annotations

import re

_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    ("doubled space", re.compile(r"\S[ \t]{2,}\S")),
    ("space before punctuation", re.compile(r"[ \t][,.;:!?)]")),
    ("doubled word", re.compile(r"\b(the|a|an|of|in|at|to|and|on)\s+\1\b", re.IGNORECASE)),
    ("article before article", re.compile(r"\b(a|an|the)\s+(a|an|the)\b", re.IGNORECASE)),
    ("dangling article", re.compile(r"\b(a|an|the)\s*[,.;:)]", re.IGNORECASE)),
    ("empty brackets", re.compile(r"\(\s*\)")),
    ("orphan punctuation", re.compile(r"(^|\n)\s*[,.;:]|[,;:]\s*[.,;]|\.\s*,")),
    ("empty quotes", re.compile(r"\"\s*\"|“\s*”")),
    ("a before a vowel", re.compile(r"\ba\s+(?=[aeio][a-z])", re.IGNORECASE)),
    ("an before a consonant", re.compile(r"\ban\s+(?=[bcdfgjklmnpqrstvwz][a-z])", re.IGNORECASE)),
]
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]?\s+|\n\s*)[\"“(]?([a-z])")


def problems(original: str, text: str) -> list[str]:
    """Defects of ``text`` that ``original`` does not already have."""
    found = []
    for name, pattern in _CHECKS:
        if len(pattern.findall(text)) > len(pattern.findall(original)):
            found.append(f"{name}: {pattern.search(text)}")
    lower = [m for m in _SENTENCE_START.finditer(text) if not _abbreviation(text, m.start(1))]
    if len(lower) > len(list(_SENTENCE_START.finditer(original))):
        found.append(f"sentence starts in lower case: {text[lower[0].start(1) :][:40]!r}")
    if text.count("(") != text.count(")") and original.count("(") == original.count(")"):
        found.append("unbalanced brackets")
    return found


def _abbreviation(text: str, at: int) -> bool:
    return bool(re.search(r"\b(?:No|Dr|e\.g|i\.e|vs|etc)\.\s*$", text[max(0, at - 8) : at]))
