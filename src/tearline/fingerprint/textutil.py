"""Small text helpers shared by the channels: context words, case, quotations."""

from __future__ import annotations

import re

_SENTENCE_END = ".!?:\n"
_QUOTE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def prev_token(text: str, index: int) -> str:
    """The token before ``index`` as written: a word, one punctuation mark, or ``^`` at the
    start of the text or of a sentence (after . ! ? : or a line break)."""
    i = index
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == 0 or text[i - 1] in _SENTENCE_END:
        return "^"
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'’-"):
        j -= 1
    return text[j:i] if j < i else text[i - 1]


def prev_word(text: str, index: int) -> str:
    """``prev_token`` lower-cased (``^`` for a sentence start)."""
    return prev_token(text, index).lower()


def cased(template: str, option: str) -> str:
    """``option`` written in the case of ``template`` (all capitals, or a capital first)."""
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return option.upper()
    if template[:1].isupper():
        return option[:1].upper() + option[1:]
    return option


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double quotation marks (straight or curly) on one line."""
    return [m.span() for m in _QUOTE.finditer(text)]
