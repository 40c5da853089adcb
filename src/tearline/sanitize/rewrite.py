"""Edits that leave prose: substitute a phrase, drop one, drop a sentence, tidy.

The rules a careful editor follows, as code:

* Substituting a generalisation keeps one article: "the" + "a Drevna freight
  forwarder" is "a Drevna freight forwarder". A generalisation that is not a
  noun phrase is fitted to its slot: after "a"/"an" it becomes "someone with
  access to …", "someone who attended …", "someone close to …"; elsewhere it
  is not used (the detail is dropped instead).
* Dropping a detail takes its grammar with it: its article and possessive,
  its parenthesised acronym, the preposition of a prepositional phrase that
  ends with it ("… at the Mirash test range."), the commas of an appositive
  (", Captain Lev Arunas,"). A detail that is the subject or object of a
  clause is not dropped but replaced by a plain noun ("the organisation",
  "the site"), so that no sentence loses its subject.
* ``tidy`` then repairs what edits leave behind: doubled spaces and
  punctuation, spaces before punctuation, empty brackets, doubled words, "a"
  and "an", a capital at every sentence start, and dangling articles (an
  article followed by a preposition gets a generic noun: "a source").
"""

from __future__ import annotations

import re

from tearline.sanitize.draft import Draft, Note

DETERMINERS = frozenset(
    ["a", "an", "the", "his", "her", "its", "their", "this", "that", "these", "those"]
)
PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "on",
        "of",
        "from",
        "to",
        "for",
        "with",
        "by",
        "near",
        "under",
        "aboard",
        "inside",
        "outside",
        "into",
        "onto",
        "within",
        "since",
        "until",
        "during",
        "between",
        "across",
        "through",
    ]
)
# First words of generalisations that are predicates, not noun phrases.
_VERB_STARTS = frozenset(
    [
        "involved",
        "attended",
        "took",
        "drives",
        "drove",
        "sees",
        "saw",
        "worked",
        "works",
        "reports",
        "reported",
        "deals",
        "dealt",
        "handles",
        "handled",
        "travelled",
        "traveled",
        "processed",
        "compiled",
        "escorted",
        "present",
        "member",
        "visited",
        "served",
        "serves",
        "is",
        "was",
        "has",
        "had",
        "knows",
        "knew",
    ]
)
_COPULAS = frozenset(
    ["is", "was", "are", "were", "be", "been", "remains", "remained", "became", "becomes"]
)
_ADJECTIVE_STARTS = frozenset(["close", "in", "on", "at", "near", "with", "from", "familiar"])
_WORD_BEFORE = re.compile(r"([\w’'-]+)([ \t]+)$")
_WORD_AFTER = re.compile(r"^([ \t]+)([\w’'-]+)")


def previous_word(text: str, pos: int) -> tuple[str, int] | None:
    m = _WORD_BEFORE.search(text[max(0, pos - 40) : pos])
    if not m:
        return None
    return m.group(1), pos - len(m.group(0))


def next_word(text: str, pos: int) -> tuple[str, int] | None:
    m = _WORD_AFTER.match(text[pos : pos + 40])
    if not m:
        return None
    return m.group(2), pos + len(m.group(1))


def fit(text: str, start: int, end: int, value: str) -> tuple[int, str] | None:
    """Fit generalisation ``value`` into the slot ``[start, end)``: the new
    start (an article before the slot may be absorbed) and the words to put
    there, or None when it does not fit as a noun phrase."""
    words = value.split()
    if not words:
        return None
    first = words[0].casefold()
    before = previous_word(text, start)
    det = before[0].casefold() if before else ""
    det_start = before[1] if before else start
    if first in ("a", "an", "the"):
        # One article is enough: keep the generalisation's own.
        if det in DETERMINERS:
            return det_start, _case_like(value, before[0] if before else "")
        return start, value
    place = (len(words) == 1 and words[0][:1].isupper()) or (
        len(words) == 2 and words[0].islower() and words[1][:1].isupper()
    )
    if det in ("the", "a", "an") and place:
        # A place name takes no article: "at the safe flat" -> "at central Tervansk".
        return det_start, _case_like(value, before[0] if before else "")
    noun_phrase = first not in _VERB_STARTS and first not in _ADJECTIVE_STARTS
    noun_phrase = noun_phrase and not words[-1].endswith("ed") and first != "access"
    if noun_phrase:
        return start, value
    if det in ("a", "an"):
        lead = "someone who " if first in _VERB_STARTS else "someone "
        if first == "access":
            lead = "someone with "
        return det_start, _case_like(lead + value, before[0] if before else "")
    if first == "access" and det in ("with", "has", "have", "had", "direct", "indirect"):
        return start, value
    return None


def _case_like(value: str, model: str) -> str:
    return value[:1].upper() + value[1:] if model[:1].isupper() else value


def substitute(draft: Draft, start: int, end: int, value: str, note: Note) -> bool:
    """Put ``value`` in place of ``[start, end)`` if it fits; False if not."""
    text = draft.text
    start, end = balance(text, start, end)
    fitted = fit(text, start, end, value)
    if fitted is None:
        return False
    new_start, words = fitted
    end = _absorb_acronym(text, end)
    draft.replace(new_start, end, words, note)
    return True


def _absorb_acronym(text: str, end: int) -> int:
    """A parenthesised acronym right after a name goes with it: "… (GDAP)"."""
    m = re.match(r"\s*\([A-Z][\w-]{1,10}\)", text[end : end + 16])
    return end + len(m.group()) if m else end


GENERIC_HEADS = frozenset(
    [
        "section",
        "department",
        "directorate",
        "bureau",
        "brigade",
        "flotilla",
        "squadron",
        "division",
        "ministry",
        "office",
        "embankment",
        "street",
        "range",
        "garrison",
        "terminal",
        "pier",
        "stand",
        "building",
        "block",
        "compound",
        "site",
        "room",
        "desk",
        "team",
        "unit",
        "cell",
        "line",
        "lists",
        "list",
        "servers",
        "server",
        "rights",
        "orders",
        "manifest",
        "channel",
        "convoy",
        "delegation",
        "talks",
        "contracts",
        "contract",
        "files",
        "data",
        "telemetry",
        "casing",
        "specialist",
        "engineer",
        "officer",
        "official",
        "clerk",
        "administrator",
        "registrar",
        "administration",
        "agent",
        "bills",
        "documents",
        "papers",
        "paperwork",
        "records",
        "reports",
        "report",
        "meeting",
        "trip",
        "journey",
        "visit",
        "vessel",
        "ship",
        "vehicle",
    ]
)


def head_noun(text: str, fallback: str) -> str:
    """A plain noun for a dropped phrase: its own head when that is a common
    word ("Stand 2" -> "stand", "Pier 6" -> "pier"), else ``fallback``."""
    part = re.split(r",|\s(?:of|from|for|on|at|in|to|with|by|near)\s", text, maxsplit=1)[0]
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", part) if w.casefold() not in ("no", "nr")]
    if words and words[-1].casefold() in GENERIC_HEADS:
        return str(words[-1]).casefold()
    return fallback


_CAPITAL_BEFORE = re.compile(r"([A-Z][\w-]*)[ \t]+$")
_CAPITAL_AFTER = re.compile(r"^[ \t]+([A-Z][\w-]*)")


def balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so that it cuts neither a pair of brackets nor a name in
    half ("the Foreign Liaison| Section" -> "the Foreign Liaison Section")."""
    if text[start : start + 1].isupper() and not _sentence_start(text, start):
        while m := _CAPITAL_BEFORE.search(text[max(0, start - 40) : start]):
            if _sentence_start(text, start - len(m.group())) or m.group(1).isupper():
                break
            start -= len(m.group())
    if re.search(r"[A-Z][\w-]*$", text[start:end]):
        while m := _CAPITAL_AFTER.match(text[end : end + 40]):
            if m.group(1).isupper():
                break
            end += len(m.group())
    inner = text[start:end]
    if inner.count("(") > inner.count(")") and text[end : end + 1] == ")":
        end += 1
    if inner.count(")") > inner.count("(") and text[start - 1 : start] == "(":
        start -= 1
    return start, end


_CONJUNCTIONS = frozenset({"and", "or", "but"})
_QUANTIFIERS = frozenset(
    ["every", "each", "any", "all", "some", "no", "both", "either", "another", "several"]
)
_LEADS = frozenset(["because", "due", "owing", "thanks", "instead", "regardless"])


def drop(
    draft: Draft, start: int, end: int, note: Note, noun: str, *, is_date: bool = False
) -> None:
    """Remove ``[start, end)`` with its grammar, or, when it holds up a
    clause, replace it by a plain noun (its own head noun when that is a
    common word, else ``noun``; see the module docstring)."""
    text = draft.text
    start, end = balance(text, start, end)
    noun = head_noun(text[start:end], noun)
    end = _absorb_acronym(text, end)
    if text[end : end + 2] in ("'s", "’s"):
        end += 2
    # A relative clause that only said it goes whole: "…, who processed the
    # Stellan Dawn manifest on 27 January" -> "…".
    relative = previous_word(text, start)
    if relative and relative[0].casefold() in ("who", "which") and _clause_ends(text, end):
        head = relative[1]
        prefix = text[:head].rstrip(" \t")
        head = len(prefix) - 1 if prefix.endswith(",") else len(prefix)
        draft.replace(head, end, "", note)
        return
    # Its own article or possessive, and the modifiers between them
    # ("The brigade propellant logistics officer": "The" ... "officer").
    s = start
    before = previous_word(text, s)
    det = None
    if before and before[0].casefold() in DETERMINERS:
        det = before
        s = before[1]
    else:
        probe, steps = before, 0
        while probe and steps < 3 and probe[0].casefold() not in DETERMINERS | PREPOSITIONS:
            if probe[0].casefold() in _COPULAS or probe[0].casefold() in ("who", "which"):
                break
            probe, steps = previous_word(text, probe[1]), steps + 1
        if probe and probe[0].casefold() in DETERMINERS and steps:
            det, s = probe, probe[1]
    after = text[end:]
    nxt = after.lstrip(" \t")
    following = next_word(text, end)
    closes = (
        is_date  # a date is an adverbial: "On 17 November X issued" -> "X issued"
        or not nxt
        or nxt[0] in ".,;:)!?\n"
        or (following is not None and following[0].casefold() in PREPOSITIONS | _CONJUNCTIONS)
    )
    # A predicate ("… who was a member of the delegation", "The source is a
    # signatory on …"): the relative clause goes, or the sentence.
    copula = previous_word(text, s)
    if copula and copula[0].casefold() in _COPULAS and not is_date:
        relative = previous_word(text, copula[1])
        if relative and relative[0].casefold() in ("who", "which", "that"):
            head = relative[1]
            prefix = text[:head].rstrip(" \t")
            head = len(prefix) - 1 if prefix.endswith(",") else len(prefix)
            stop = re.search(r"[,.;:!?\n]", text[end:])
            draft.replace(head, end + (stop.start() if stop else len(text) - end), "", note)
        else:
            drop_sentence(draft, start, note)
        return
    # Inside brackets: "(X)" goes whole.
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        cut = start - 2 if text[start - 2 : start - 1] == " " else start - 1
        draft.replace(cut, end + 1, "", note)
        return
    # An appositive: ", X," or ", X." after a noun phrase.
    prefix = text[:s].rstrip(" \t")
    if prefix.endswith(",") and nxt[:1] in (",", ".", ";", ")"):
        # ", Captain X, has told" -> " has told"; ", X, who paid" keeps its comma.
        relative = next_word(text, end + 1)
        keep = relative is not None and relative[0].casefold() in ("who", "which", "where", "when")
        extra = 1 if nxt[:1] == "," and after.startswith(",") and not keep else 0
        draft.replace(len(prefix) - 1, end + extra, "", note)
        return
    # A prepositional phrase that ends with it.
    lead = previous_word(text, s)
    if lead and lead[0].casefold() in PREPOSITIONS and closes:
        head = lead[1]
        because = previous_word(text, head)
        if because and because[0].casefold() in _LEADS:
            head = because[1]  # "because of her brother in GS-2" goes whole
        if text[head - 2 : head] == ", " and nxt[:1] in (",", "."):
            head -= 2  # ", at grid X," -> ","  and  ", at grid X." -> "."
        elif is_date and nxt[:1] == "," and _sentence_start(text, head):
            end = end + 1  # "On 9 July, the SSP ..." -> "The SSP ..."
        elif text[head - 1 : head] == " ":
            head -= 1
        draft.replace(head, end, "", note)
        return
    # Otherwise it is a subject or an object: keep the clause whole.
    if lead and lead[0].casefold() in _QUANTIFIERS and det is None:
        draft.replace(s, end, noun, note)  # "every motor-casing contract" -> "every contract"
        return
    article = det[0] if det else ("The" if _sentence_start(text, s) else "the")
    if article.casefold() in ("a", "an"):
        article = "A" if article[0].isupper() else "a"
    draft.replace(s, end, f"{article} {noun}", note)


def _clause_ends(text: str, end: int) -> bool:
    """Only an adverbial (a date, a place) or punctuation follows ``end``."""
    rest = text[end:].lstrip(" \t")
    return (
        not rest
        or rest[0] in ".,;:!?\n)"
        or bool(re.match(r"(?:on|in|at|since|during)\s+(?:the\s+)?[\w-]+\s*[.,;]", rest))
    )


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:\n"


# -- sentences -----------------------------------------------------------------------------


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` (quotes and brackets that close it included)."""
    from tearline.sanitize.text import sentence_starts

    starts = sentence_starts(text)
    start = max(s for s in starts if s <= pos)
    later = [s for s in starts if s > pos]
    end = later[0] if later else len(text)
    # Keep the paragraph break (or the space) that follows the sentence.
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return start, end


def drop_sentence(draft: Draft, pos: int, note: Note, until: int | None = None) -> None:
    """Drop the sentence around ``pos`` (through the one around ``until``)."""
    text = draft.text
    start, end = sentence_bounds(text, pos)
    if until is not None and until > end:
        end = sentence_bounds(text, max(pos, until - 1))[1]
    # Take the whitespace after it, so the next sentence moves up.
    tail = end
    while tail < len(text) and text[tail] in " \t":
        tail += 1
    draft.replace(start, tail, "", note)


# -- tidying -----------------------------------------------------------------------------

_FIXES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(r"[ \t]+([,.;:!?)])"), r"\1"),
    (re.compile(r"\([ \t]*\)"), ""),
    (re.compile(r"\([ \t]+"), "("),
    (re.compile(r",[ \t]*([,.;:])"), r"\1"),
    (re.compile(r"([;:])[ \t]*\."), "."),
    (re.compile(r"\.[ \t]*\.(?!\.)"), "."),
    (re.compile(r"\b(the|a|an|of|in|at|to|and)[ \t]+\1\b", re.IGNORECASE), r"\1"),
    (re.compile(r"(^|\n)[ \t]+(?=\S)"), r"\1"),
    (re.compile(r"[ \t]+(\n|$)"), r"\1"),
]
_A_AN = re.compile(r"\b([Aa])(n?)[ \t]+([\w’'-]+)")
_DANGLING = re.compile(
    r"\b([Aa]n?|[Tt]he)[ \t]+(?=(?:(?:in|at|of|on|with|from|for|who|which|near)\b|[,.;:)]))"
)


def tidy(draft: Draft, note: Note, *, descriptor: str = "source") -> None:
    """Repair what edits leave behind (see the module docstring). Only text
    next to an edit is touched: the author's own spacing is not ours to fix.
    Each repair is an edit of its own, merged into the change it completes."""
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
    for m in _DANGLING.finditer(text):
        if _near(m.start(), m.end(), edited):
            return m.end(), m.end(), f"{descriptor} "
    for m in _A_AN.finditer(text):
        if not _near(m.start(), m.end(), edited) or _is_label(text, m):
            continue
        want = "an" if _vowel_sound(m.group(3)) else "a"
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


_LOWER_START = re.compile(
    r"(?:^|(?<=[.!?])[\"”’)]?[ \t]+|\n[ \t]*|(?:^|\n)[A-Z][A-Z ()]*:[ \t]+)[\"“‘(]?(?P<c>[a-z])"
)
_NO_BREAK = re.compile(r"\b(?:No|Dr|Mr|Mrs|Ms|St|e\.g|i\.e|vs|etc)\.\s*$")


def _vowel_sound(word: str) -> bool:
    w = word.casefold()
    if w.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return False
    if w.startswith(("hour", "honest", "honour", "heir")):
        return True
    if word.isupper() and len(word) > 1:
        return word[0] in "AEFHILMNORSX"  # "an SSP officer", "an FBI agent"
    return w[:1] in "aeiou"
