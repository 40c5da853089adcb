"""Mend what edits leave behind, next to the edits only.

Deleting and replacing whole units (``phrase``, ``render``) keeps most
sentences whole; what is left is punctuation and agreement: doubled spaces
and punctuation, a space before a comma, empty brackets, a comma that now
opens a sentence, an empty paragraph where a sentence was the paragraph, a
conjunction left before a full stop, doubled words, "a"/"an", a capital at
the start of every sentence and list item, and a determiner left without a
noun (in a source line it gets the honest "source": "A source with direct
access"). The author's own text is not ours to fix: only text within a few
characters of an edit is touched.
"""

from __future__ import annotations

import re

from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.lexicon import IN_HEADS, INSTITUTION_HEADS, vowel_sound

_IN_INSTITUTIONS = frozenset(["ministry", "directorate", "department", "section", "division"])

_FIXES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(r"[ \t]+([,.;:!?)])"), r"\1"),
    (re.compile(r"\([ \t]*\)"), ""),
    (re.compile(r"\([ \t]+"), "("),
    (re.compile(r"\([ \t]*[,;][ \t]*"), "("),
    (re.compile(r",[ \t]*([,.;:)])"), r"\1"),
    (re.compile(r"([;:])[ \t]*\."), "."),
    (re.compile(r"\.[ \t]*\.(?!\.)"), "."),
    (re.compile(r"\.[ \t]*,"), "."),
    (re.compile(r"[ \t,]+\b(?:and|or)[ \t]*(?=[.;:)])"), ""),
    (re.compile(r"\b(the|a|an|of|in|at|to|and|on|for|with)[ \t]+\1\b", re.IGNORECASE), r"\1"),
    (re.compile(r"(^|\n)[ \t]+(?=\S)"), r"\1"),
    (re.compile(r"[ \t]+(\n|$)"), r"\1"),
    (re.compile(r"(^|\n|[.!?][ \t]+)[ \t]*,[ \t]*"), r"\1"),
    (re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+"), "\n\n"),
    (re.compile(r"^\n+"), ""),
]
# "An official, the Kharovian Ministry of Defence." / "An official, a garrison
# in the south." once the detail between them has gone: the organisation or
# place is where the person works.
_WHERE = re.compile(
    r"\b(?P<role>official|officer|employee|clerk|engineer|agent|analyst|specialist|member)"
    r",[ \t]+(?P<np>(?:the|a|an)[ \t]+[^,.;()]*?\b(?P<head>[\w-]+))(?=[.;])",
    re.IGNORECASE,
)
_WHERE_NAME = re.compile(
    r"\b(?P<role>official|officer|employee|clerk|engineer|agent|analyst|specialist|member)"
    r",[ \t]+(?P<np>(?:the[ \t]+)?[A-Z][\w-]*(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?[A-Z][\w-]*)+)"
    r"(?P<end>,|(?=[.;]))"
)
_A_AN = re.compile(r"\b([Aa])(n?)[ \t]+([\w’'-]+)")
_DANGLING = re.compile(
    r"\b([Aa]n?|[Tt]he)[ \t]+(?=(?:(?:in|at|of|on|with|from|for|who|which|near)\b|[,.;:)]))"
)
_LOWER_START = re.compile(
    r"(?:^|(?<=[.!?])[\"”’)]?[ \t]+|\n[ \t]*|(?:^|\n)[A-Z][A-Z ()]*:[ \t]+"
    r"|(?:^|\n)[ \t]*(?:[-*•]|\d+[.)]|\([A-Za-z0-9]\))[ \t]+)[\"“‘(]?(?P<c>[a-z])"
)
_NO_BREAK = re.compile(r"\b(?:No|Dr|Mr|Mrs|Ms|St|e\.g|i\.e|vs|etc)\.\s*$")


def tidy(draft: Draft, note: Note, *, descriptor: str = "source") -> None:
    """Repair what edits leave behind (module docstring). Each repair is an
    edit of its own, merged into the change it completes."""
    for _ in range(1000):
        fix = _first_fix(draft.text, draft.edited(), descriptor)
        if fix is None:
            return
        start, end, new = fix
        draft.replace(start, end, new, note)


def _near(start: int, end: int, edited: list[tuple[int, int]], reach: int = 2) -> bool:
    return any(s - reach <= end and start <= e + reach for s, e in edited)


def _first_fix(
    text: str, edited: list[tuple[int, int]], descriptor: str
) -> tuple[int, int, str] | None:
    for pattern, repl in _FIXES:
        for m in pattern.finditer(text):
            if _near(m.start(), m.end(), edited) and m.expand(repl) != m.group():
                return m.start(), m.end(), m.expand(repl)
    for m in _WHERE.finditer(text):
        head = m.group("head").casefold()
        if _near(m.start(), m.end(), edited) and head in INSTITUTION_HEADS | IN_HEADS:
            prep = "in" if head in IN_HEADS or head in _IN_INSTITUTIONS else "at"
            comma = m.end("role")
            return comma, m.start("np"), f" {prep.upper() if m.group('role').isupper() else prep} "
    for m in _WHERE_NAME.finditer(text):
        if _near(m.start(), m.end(), edited) and not m.group("role").isupper():
            name = m.group("np")
            head = re.sub(r"\s+of\s.*$", "", name).split()[-1].casefold()
            the = "" if name.startswith("the ") or head not in INSTITUTION_HEADS else "the "
            prep = "in" if head in INSTITUTION_HEADS else "at"
            return m.end("role"), m.end(), f" {prep} {the}{name}"
    for m in _DANGLING.finditer(text):
        if _near(m.start(), m.end(), edited):
            return m.end(), m.end(), f"{descriptor} "
    for m in _A_AN.finditer(text):
        if not _near(m.start(), m.end(), edited) or _is_label(text, m):
            continue
        if m.group(3)[:1].isdigit():
            continue
        want = "an" if vowel_sound(m.group(3)) else "a"
        have = (m.group(1) + m.group(2)).casefold()
        if have != want:
            new = want if m.group(1) == "a" else want.capitalize()
            return m.start(), m.start() + len(m.group(1) + m.group(2)), new
    for m in _LOWER_START.finditer(text):
        i = m.start("c")
        if _near(i, i + 1, edited, reach=3) and not _NO_BREAK.search(text[max(0, i - 10) : i]):
            return i, i + 1, text[i].upper()
    return None


def _is_label(text: str, m: re.Match[str]) -> bool:
    """ "Source A reports", "(A)": a capital A that is a label, not an article."""
    if m.group(1) != "A" or m.group(2):
        return False
    before = text[: m.start()].rstrip(" \t")
    prev = re.search(r"([\w’'-]+)$", before)
    return text[m.start() - 1 : m.start()] == "(" or bool(prev and prev.group(1)[:1].isupper())
