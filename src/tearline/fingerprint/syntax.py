"""Sentence-level channels: optional words and punctuation that English grammar leaves to
the writer, each found only where the choice cannot change what the sentence says.

* **that-complement**: "the source believes (that) the material is ..." — the complementiser
  after a reporting or cognitive verb is optional. Dropped only when the clause visibly
  starts with its subject (a determiner, a pronoun, a name); added only when a finite
  auxiliary follows within the clause ("believes the material *is* ..."), so an object
  ("we assess the threat as low") never gets a "that" in front of it.
* **that/which**: a restrictive relative clause on a noun ("a group that seeks ..." /
  "a group which seeks ..."; both standard in British English). Only when the clause opens
  with its verb (so it cannot be a noun's complement clause, "the claim that guards were
  paid"), never after a comma (non-restrictive "which" stays), never after a preposition
  ("at which"), a verb or a noun that takes a "that" clause.
* **intro-comma**: a comma after a sentence-opening time phrase or not ("In October 2024(,)
  GDAP concluded ...").
* **quotes**: double or single quotation marks, one slot for the whole document.

One slot per occurrence, except quotation marks (a document keeps one style).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tearline.fingerprint.layout import Span
from tearline.fingerprint.lexicon import MONTHS, words
from tearline.fingerprint.textutil import prev_word

_REPORTING = frozenset(
    words(
        "said says say believes believe believed thinks think thought claimed claims claim "
        "stated states estimates estimated estimate expects expected expect suspects suspected "
        "suspect assesses assess assessed judges judge judged knows knew understands "
        "understood reported reports considers consider considered"
    )
)
_SUBJECT = (
    r"(?:the|a|an|it|he|she|they|we|its|his|her|their|this|these|there|[A-Z][a-z]+(?:\s+[A-Z]"
    r"[a-z]+)*)\b"
)
_AUXILIARY = frozenset(
    words("is are was were has have had will would can could may might must should shall does did")
)

_THAT_DROP = re.compile(rf"\b([A-Za-z]+) (that )(?={_SUBJECT})")
_THAT_ADD = re.compile(rf"\b([A-Za-z]+) (?={_SUBJECT})")


def _clause_has_auxiliary(text: str, at: int) -> bool:
    """A finite auxiliary within the next eight words, before any punctuation."""
    clause = re.split(r"[,;:.!?()\"“”\n]", text[at : at + 120], maxsplit=1)[0]
    return any(w in _AUXILIARY for w in clause.lower().split()[1:9])


def _that_complement(text: str) -> Iterator[Span]:
    for m in _THAT_DROP.finditer(text):
        if m.group(1).lower() in _REPORTING:
            yield Span(m.start(2), m.end(2), ("that ", ""))
    for m in _THAT_ADD.finditer(text):
        verb = m.group(1)
        if verb.lower() not in _REPORTING or text[m.end() :].lower().startswith("that "):
            continue
        if prev_word(text, m.start(1)) in {"to", "the", "a", "an", "as", "was", "were", "is"}:
            continue  # "as expected the ...", "to say the ...": not a finite reporting verb
        if _clause_has_auxiliary(text, m.end()):
            yield Span(m.end(), m.end(), ("", "that "))


# Relative pronoun swap. The word before must be a noun that takes no "that" clause of its
# own: the stop list holds verbs, prepositions, conjunctions and such nouns.
_NOT_ANTECEDENT = _REPORTING | frozenset(
    words(
        "so such now given except provided assuming order fact idea claim claims report "
        "reports reporting news evidence sign signs indication indications belief assurance "
        "assurances view hope fear concern suggestion allegation allegations rumour rumor "
        "possibility likelihood chance risk assessment conclusion statement impression "
        "knowledge suspicion warning warnings message confirmation proof promise requirement "
        "condition decision doubt understanding expectation intelligence notion argument "
        "sure certain likely clear possible unlikely true aware way time point all those "
        "at in on of for by with from to into about over under after before between during "
        "than and or but nor yet that this which who what whom whose how why when where "
        "is are was were be been being has have had do does did not also only just even"
    )
)
_RELATIVE = re.compile(r"(?<![,;:(])\b([a-z][a-z'-]*) (that|which) ([a-z]+)\b")
_CLAUSE_OPENERS = frozenset(
    words(
        "the a an it he she they we you i its his her their our this these those there "
        "some any no each every one two three all both either neither such what which who"
    )
)


def _relative(text: str) -> Iterator[Span]:
    for m in _RELATIVE.finditer(text):
        before, word, after = m.group(1), m.group(2), m.group(3)
        if before in _NOT_ANTECEDENT or before.endswith("ly") or after in _CLAUSE_OPENERS:
            continue
        # The clause opens with its verb: an auxiliary, or a verb in -s or -ed.
        if after not in _AUXILIARY and not after.endswith(("s", "ed")):
            continue
        if after.endswith(("ss", "us", "is")) and after not in _AUXILIARY:
            continue
        other = "which" if word == "that" else "that"
        yield Span(m.start(2), m.end(2), (word, other))


_TIME_WORDS = (
    rf"(?:{MONTHS}|\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?|(?:early|mid|late)-\d{{4}}|week|weeks|"
    r"month|months|year|years|spring|summer|autumn|winter|night|morning|evening|afternoon|"
    r"weekend|day|days|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)
_INTRO = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:In|On|Since|During|By|After|Before|Until|From|Between|Over"
    r"|Throughout|Early|Late|Last|Earlier|Later|At|Within)\b"
    rf"(?:[ ](?:{_TIME_WORDS}|early|mid|late|last|next|this|that|the|of|first|second|third|"
    r"final|half|same|previous|following|and|two|three|four|several)){0,7}"
    rf"[ ]{_TIME_WORDS}\b(?P<comma>,?)(?= (?P<next>[A-Za-z]+))",
    re.MULTILINE,
)
_NOT_CLAUSE_START = frozenset(words("and or to until till of and in on at by from through"))


def _intro_comma(text: str) -> Iterator[Span]:
    for m in _INTRO.finditer(text):
        nxt = m.group("next")
        if nxt.lower() in _NOT_CLAUSE_START or re.fullmatch(_TIME_WORDS, nxt):
            continue
        at = m.start("comma")
        if m.group("comma"):
            yield Span(at, at + 1, (",", ""))
        else:
            yield Span(at, at, ("", ","))


_QUOTED = re.compile(r"(\")([^\"'\n]{1,400})(\")|(“)([^“”‘’'\n]{1,400})(”)")


def _quotes(text: str) -> Iterator[Span]:
    """Double or single quotation marks (a quotation holding an apostrophe stays as it
    is: single marks would collide with it)."""
    for m in _QUOTED.finditer(text):
        if m.group(1):
            yield Span(m.start(1), m.end(1), ('"', "'"))
            yield Span(m.start(3), m.end(3), ('"', "'"))
        else:
            yield Span(m.start(4), m.end(4), ("“", "‘"))
            yield Span(m.start(6), m.end(6), ("”", "’"))


_HEADING = re.compile(
    r"^(SOURCES?|COMMENT|NOTE|ASSESSMENT|SUMMARY|DETAILS|BACKGROUND)(:)(?= )", re.MULTILINE
)


def _headings(text: str) -> Iterator[Span]:
    """ "COMMENT: ..." or "COMMENT — ...": a heading's mark, the same for every heading."""
    for m in _HEADING.finditer(text):
        yield Span(m.start(2), m.end(2), (":", " —"))


_SEMICOLON = re.compile(rf"(?<=[a-z0-9)])(; )(?={_SUBJECT})")


def _semicolons(text: str) -> Iterator[Span]:
    """ "..., X; the Y is ..." / "... X. The Y is ...": two independent clauses, each with
    a finite auxiliary or a verb in -s/-ed, and no comma list around them."""
    for m in _SEMICOLON.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), -1)
        left = text[start + 1 : m.start()]
        right = re.split(r"[.;:!?\n]", text[m.end() :], maxsplit=1)[0]
        if len(left.split()) < 4 or len(right.split()) < 4 or "," in left:
            continue
        if not (_has_verb(left) and _has_verb(right)):
            continue
        after = text[m.end() :]
        cap = after[:1].upper() + after[1:2] if after[:1].islower() else None
        if cap is None:
            yield Span(m.start(1), m.end(1), ("; ", ". "))
        else:  # ". The": the next word takes a capital
            yield Span(m.start(1), m.end() + 1, (f"; {after[0]}", f". {cap[0]}"))


def _has_verb(clause: str) -> bool:
    return any(w in _AUXILIARY or w.endswith("ed") for w in clause.lower().split()[1:])


_CLAUSE_COMMA = re.compile(r"(?<=[a-z0-9)])(,?)( (?:but|although|though|whereas|yet) )")


def _clause_comma(text: str) -> Iterator[Span]:
    """ "..., but the ..." / "... but the ...": the comma before a conjunction that joins
    two clauses is the writer's choice. Kept only where the second clause visibly starts
    with its subject, and the first has at least five words."""
    for m in _CLAUSE_COMMA.finditer(text):
        rest = text[m.end() :]
        if not re.match(_SUBJECT, rest) or rest.lower().startswith(("a ", "an ")):
            continue
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), -1)
        left = text[start + 1 : m.start()]
        if len(left.split()) < 5:
            continue
        at = m.start(1)
        if m.group(1):
            yield Span(at, at + 1, (",", ""))
        else:
            yield Span(at, at, ("", ","))


_WHIZ = re.compile(
    r", (which|who) (is|are|was|were) (?=(?:based|located|registered|held|run|owned|controlled|used|known|headquartered|stationed|employed|listed)\b)"
)


def _whiz(text: str) -> Iterator[Span]:
    """ ", which is based in X" / ", based in X": a relative pronoun and its "to be" before a
    participle add nothing."""
    for m in _WHIZ.finditer(text):
        yield Span(m.start() + 2, m.end(), (text[m.start() + 2 : m.end()], ""))


_NP = r"(?:the|a|an|its|their|his|her|our) [a-z]+(?: [a-z]+)?"
_COORDINATED = re.compile(rf"\b({_NP}) and ({_NP})(?=[.,;:])")
_ORDERED = frozenset(
    words(
        "first second third fourth fifth last next previous former latter other same rest "
        "one two three four five remaining following earlier later final new old"
    )
)


def _np_order(text: str) -> Iterator[Span]:
    """ "the jetty approaches and the perimeter fence" / "the perimeter fence and the jetty
    approaches": two noun phrases, each opening with a determiner (so neither is a verb:
    no order of events), the pair ending at punctuation (so nothing attaches to the second
    alone), and not after "of" or a possessive (which would attach to the first alone).
    Words of order ("first", "latter", numbers) keep their place."""
    for m in _COORDINATED.finditer(text):
        first, second = m.group(1), m.group(2)
        if any(w in _ORDERED for w in (first + " " + second).split()):
            continue
        before = prev_word(text, m.start())
        if before in {"of", "and", "or", "between"} or before.endswith(("'s", "’s")):
            continue
        if first.lower() == second.lower():
            continue
        yield Span(m.start(), m.end(), (m.group(0), f"{second} and {first}"))


_ACCESS_FRAGMENT = re.compile(
    r"(?:(?<=[.:] )|^)((?:Direct|Indirect|Regular|Good|Limited) access\.)", re.M
)
_WITH_ACCESS = re.compile(
    r"^SOURCES?:[^\n]*?( with )((?:(?:direct|indirect|regular|good|limited|some)"
    r"(?: and (?:direct|indirect|regular|good|limited))? )?access\b)",
    re.M,
)


def _descriptors(text: str) -> Iterator[Span]:
    """Source lines: "Direct access." / "Has direct access." (a fragment with its subject
    implied either way), and "an officer with access to X" / "an officer who has access
    to X"."""
    for m in _ACCESS_FRAGMENT.finditer(text):
        fragment = m.group(1)
        yield Span(m.start(1), m.end(1), (fragment, "Has " + fragment[0].lower() + fragment[1:]))
    for m in _WITH_ACCESS.finditer(text):
        yield Span(m.start(1), m.end(1), (" with ", " who has "))


_MONTH_PART = re.compile(rf"\b(in) (early|late) ({MONTHS}|\d{{4}})\b")
_MID_MONTH = re.compile(rf"\b(in) mid-({MONTHS})\b")


def _month_parts(text: str) -> Iterator[Span]:
    """ "in late November" / "late in November"; "in mid-November" / "in the middle of
    November"."""
    for m in _MONTH_PART.finditer(text):
        yield Span(m.start(), m.end(), (m.group(0), f"{m.group(2)} in {m.group(3)}"))
    for m in _MID_MONTH.finditer(text):
        yield Span(m.start(), m.end(), (m.group(0), f"in the middle of {m.group(2)}"))


_OBJECT_RELATIVE = re.compile(
    r"\b(?i:the|a|an|its|their|his|her|this|these|those|any|every|each) (?:[a-z-]+ ){0,2}"
    r"([a-z-]+) (which) (?=(?:the|a|an|its|their|his|her|this|these|those|he|she|they|we|it)\b)"
)


def _object_relatives(text: str) -> Iterator[Span]:
    """ "the lorries which the network uses" / "... that the network uses" / "... the
    network uses": an object relative clause on a noun phrase that opens with a
    determiner. Only from "which", which is never anything but a relative pronoun here; a
    "that" in the same place may open a clause of its own ("told his staff that the
    squadron is ..."), so it is left alone."""
    for m in _OBJECT_RELATIVE.finditer(text):
        noun, word = m.group(1), m.group(2)
        if noun in _NOT_ANTECEDENT or noun.endswith("ly"):
            continue
        rest = text[m.end() :]
        if not _clause_has_verb(rest):
            continue
        forms = (f"{word} ", "that ", "")
        yield Span(m.start(2), m.end(2) + 1, forms)


def _clause_has_verb(rest: str) -> bool:
    clause = re.split(r"[,;:.!?()\"“”\n]", rest[:120], maxsplit=1)[0].lower().split()
    return any(w in _AUXILIARY or w.endswith(("s", "ed")) for w in clause[1:6])


_BOUNDARY = re.compile(r"(?<=[a-z0-9)])(\. )(?=[A-Z])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:No|Dr|Mr|Mrs|Ms|St|Prof|etc|Col|Capt|Maj|Gen|Lt|vs|al)|\b[A-Za-z])$"
)


def _sentence_joins(text: str) -> Iterator[Span]:
    """ "... the lorries. They are ..." / "... the lorries; they are ...": two sentences
    of one paragraph joined by a semicolon say the same. Only between two complete
    sentences of 4 to 30 words, each with a finite verb, the second opening with its
    subject; and only every other such boundary in a paragraph, so a copy never strings
    three sentences together."""
    previous_end = -10
    for m in _BOUNDARY.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), -1) + 1
        left = text[start : m.start()]
        if _ABBREVIATION.search(left) or ":" in left or ";" in left:
            continue
        rest = text[m.end() :]
        right = re.split(r"(?<=[a-z0-9)])\.(?:\s|$)|\n", rest, maxsplit=1)[0]
        if ";" in right or ":" in right or not re.match(_SUBJECT, rest):
            continue
        sizes = len(left.split()), len(right.split())
        if not all(4 <= n <= 30 for n in sizes) or not (_has_verb(left) and _has_verb(right)):
            continue
        if previous_end == start - 1:
            continue  # the sentence before was already joinable to this one
        previous_end = m.start()
        first = rest[0]
        name = re.match(r"[A-Z][a-z]+", rest) and rest.split()[0] not in _CAPITALISED_OPENERS
        joined = f"; {first}" if name or first == "I" else f"; {first.lower()}"
        yield Span(m.start(1), m.end(1) + 1, (f". {first}", joined))


_CAPITALISED_OPENERS = frozenset(
    words("The A An It He She They We Its His Her Their This These There Those Our")
)


_BULLET = re.compile(r"^([-*•])(?= )", re.M)
_NUMBERED = re.compile(r"^(\d{1,2})([.)])(?= )", re.M)


def _list_marks(text: str) -> Iterator[tuple[str, tuple[Span, ...]]]:
    """List markers, one style per document: "-", "*" or "•" bullets; "1." or "1)"."""
    bullets = list(_BULLET.finditer(text))
    if len(bullets) >= 2 and len({m.group(1) for m in bullets}) == 1:
        mark = bullets[0].group(1)
        forms = (mark, *(f for f in ("-", "*", "•") if f != mark))
        yield "bullets", tuple(Span(m.start(1), m.end(1), forms) for m in bullets)
    numbered = list(_NUMBERED.finditer(text))
    if len(numbered) >= 2 and len({m.group(2) for m in numbered}) == 1:
        mark = numbered[0].group(2)
        other = ")" if mark == "." else "."
        yield "numbering", tuple(Span(m.start(2), m.end(2), (mark, other)) for m in numbered)


_SENTENCE_START = r"(?:^|(?<=[.!?] )|(?<=[.!?]\n)|(?<=: ))"
_PP_INTRO = re.compile(
    _SENTENCE_START
    + r"(?:In|At|On|During|After|Before|Since|Following|Under|Within|Throughout|Despite)"
    r" (?:the|a|an|this|that|its|their|his|her|these|those)((?: [a-z][a-z-]*){1,4}?)(,?)"
    rf"(?= {_SUBJECT})",
    re.M,
)
_NP_STOP = frozenset(words("in of at on for with from to by near into and or but as than"))


def _pp_intro_comma(text: str) -> Iterator[Span]:
    """ "After the talks(,) Gresz told ...": a sentence-opening prepositional phrase of a
    determiner and one to four plain words, then the subject (a name, a pronoun, a
    determiner). No preposition inside the phrase, so it cannot end early ("At the harbour
    in Caddow ...")."""
    for m in _PP_INTRO.finditer(text):
        if any(w in _NP_STOP for w in m.group(1).split()):
            continue
        at = m.start(2)
        if m.group(2):
            yield Span(at, at + 1, (",", ""))
        else:
            yield Span(at, at, ("", ","))


_SUBORDINATE = re.compile(
    _SENTENCE_START + r"(?:If|When|Once|Although|Though|While|Because|Unless|Until|As soon as)"
    r" [^,.;:!?\n]{3,120}?(,)(?= (?:we|they|he|she|it|the|this|these|there|its|their)\b)",
    re.M,
)


def _subordinate_comma(text: str) -> Iterator[Span]:
    """ "If the August firing succeeds(,) we expect ...": the comma after an opening
    adverbial clause is optional. Only removed where the writer put it, so the clause's
    end is known."""
    for m in _SUBORDINATE.finditer(text):
        yield Span(m.start(1), m.end(1), (",", ""))


_SEASON = re.compile(
    r"\b(?:in|during|by|until|before|after|since|through) (the )?"
    r"(?=(?:spring|summer|autumn|winter)\b(?! of\b| \d))"
)


def _seasons(text: str) -> Iterator[Span]:
    """ "in the autumn" / "in autumn" (not "the autumn of 2025")."""
    for m in _SEASON.finditer(text):
        if m.group(1):
            yield Span(m.start(1), m.end(1), ("the ", ""))
        else:
            yield Span(m.end(), m.end(), ("", "the "))


_ASIDE = re.compile(
    r"(?<=[a-z0-9)])(, )((?:who|which|whose|where) [^,;:.!?()\"“”\n]{3,120}?)(, |\.)"
)


def _aside_dashes(text: str) -> Iterator[tuple[Span, ...]]:
    """ "Marsh, who translated for her, said ..." / "Marsh — who translated for her —
    said ...": a non-restrictive relative clause set off by commas or by dashes (one
    dash when it ends the sentence)."""
    for m in _ASIDE.finditer(text):
        opening = Span(m.start(1), m.end(1), (", ", " — "))
        if m.group(3) == ", ":
            yield opening, Span(m.start(3), m.end(3), (", ", " — "))
        else:
            yield (opening,)


_PARENTHESIS = re.compile(r"(?<=[a-z0-9]) (\()([a-z][^()\n]{10,100}?)(\))(?=[ ,.;])")


def _parenthesis_dashes(text: str) -> Iterator[tuple[Span, ...]]:
    """ "a missile (estimated range 1,900 km) that ..." / "a missile — estimated range
    1,900 km — that ...": a parenthetical remark of three or more words (never an
    acronym or a reference)."""
    for m in _PARENTHESIS.finditer(text):
        if len(m.group(2).split()) < 3 or re.search(r"rpt-|\d{4}-\d", m.group(2)):
            continue
        after = text[m.end(3) : m.end(3) + 1]
        if after not in " .":
            continue  # "(command and control);": a dash before a semicolon reads badly
        closing = (")", "") if after == "." else (")", " —")
        yield (
            Span(m.start(1), m.end(1), ("(", "— ")),
            Span(m.start(3), m.end(3), closing),
        )


_TOLD_THAT = re.compile(
    r"\b(?:told|informed|warned|assured|reminded) (?:(?:the|his|her|its|their|a|an) "
    r"[a-z-]+(?: [a-z-]+)?|[A-Z][a-z]+(?: [A-Z][a-z]+)?|him|her|them|us|me) (that )"
    rf"(?={_SUBJECT})"
)


def _told_that(text: str) -> Iterator[Span]:
    """ "told his staff (that) the squadron is ...": with the person told in between,
    the "that" is optional and nothing else can be read."""
    for m in _TOLD_THAT.finditer(text):
        yield Span(m.start(1), m.end(1), ("that ", ""))


PER_OCCURRENCE = (
    ("syntax", "that-complement", _that_complement),
    ("syntax", "that-which", _relative),
    ("syntax", "object-relative", _object_relatives),
    ("syntax", "access", _descriptors),
    ("date", "month-part", _month_parts),
    ("punctuation", "intro-comma", _intro_comma),
    ("punctuation", "phrase-comma", _pp_intro_comma),
    ("punctuation", "subordinate-comma", _subordinate_comma),
    ("syntax", "season", _seasons),
    ("syntax", "told-that", _told_that),
    ("punctuation", "semicolon", _semicolons),
    ("punctuation", "sentence-join", _sentence_joins),
    ("punctuation", "clause-comma", _clause_comma),
    ("syntax", "whiz", _whiz),
    ("order", "noun-phrases", _np_order),
)


def find(text: str) -> Iterator[tuple[str, str, tuple[Span, ...]]]:
    """(kind, label, spans) for every slot: one per occurrence, and the quotation and
    heading styles (one each per document)."""
    for kind, label, finder in PER_OCCURRENCE:
        for span in finder(text):
            yield kind, label, (span,)
    for spans in _aside_dashes(text):
        yield "punctuation", "aside-dashes", spans
    for spans in _parenthesis_dashes(text):
        yield "punctuation", "parenthesis-dashes", spans
    quotes = tuple(_quotes(text))
    if quotes:
        yield "punctuation", "quotes", quotes
    for label, spans in _list_marks(text):
        yield "punctuation", label, spans
    headings = tuple(_headings(text))
    if headings:
        yield "punctuation", "headings", headings
