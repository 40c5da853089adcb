"""Word lists and word-level helpers that the rewriting modules share.

The rewriting has no parser: it recognises the few syntactic units it edits
(noun phrases, prepositional phrases, appositives, relative clauses) from
function words, capitals and punctuation. These lists are those function
words, plus the small sets of nouns and verbs it needs to tell a modifier
("a GDAP official") from a subject ("GDAP concluded").
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word list written as text, one or more words a line."""
    return frozenset(text.split())


ARTICLES = frozenset(["a", "an", "the"])
DETERMINERS = ARTICLES | frozenset(
    ["his", "her", "its", "their", "this", "that", "these", "those", "our", "your", "my"]
)
QUANTIFIERS = frozenset(
    ["every", "each", "any", "all", "some", "no", "both", "either", "another", "several"]
)
PREPOSITIONS = words(
    """
    in at on of from to for with by near under aboard inside outside into onto
    within since until during between across through via towards against among
    around after before behind beyond over without per
    """
)
CONJUNCTIONS = frozenset(["and", "or", "but", "nor"])
RELATIVES = frozenset(["who", "whom", "whose", "which", "that", "where", "when"])
COPULAS = frozenset(
    ["is", "was", "are", "were", "be", "been", "remains", "remained", "became", "becomes"]
)
AUXILIARIES = COPULAS | words(
    """
    has have had do does did will would can could may might must shall should being
    """
)
# Finite verbs that often follow a name: "GDAP concluded", "Korsa provides".
VERBS = words(
    """
    said says told tells reports reported uses used signed paid asked issued acted
    holds held runs ran sent sends believes believed knows knew expects wants needs
    provides supplies owns controls manages requires plans intends handles handled
    deals dealt works worked sees saw oversees maintains covers keeps kept made
    makes took takes gave gives met meets left leaves went goes came comes found
    finds built builds received receives served serves travelled processed compiled
    escorted attended accompanied accompanies issues reviews reviewed drafted drives
    drove
    """
)
# Past participles that modify a noun ("the lorry seen at Berth 4").
PARTICIPLES = words(
    """
    seen found held kept stored based located made built used moved collected loaded
    registered parked berthed stationed posted installed spotted photographed
    """
)
# Suffixes of adjectives ("responsible", "suitable", "famous").
ADJECTIVE_ENDINGS = ("ible", "able", "ous", "ful", "less", "ive")
# Other words that never sit inside a noun phrase.
FUNCTION_WORDS = words(
    """
    as than like so then if because while not also only just still already again now
    yet both either neither he she it they him them himself herself itself
    themselves personally late early shortly soon later earlier there here today
    tonight yesterday tomorrow
    """
)
LEADS = frozenset(["because", "due", "owing", "thanks", "instead", "regardless"])

# Nouns that say what a person does, generic enough to keep when the detail
# that made them specific goes ("a customs documentation clerk" -> "a clerk").
GENERIC_PEOPLE = frozenset(
    [
        "official",
        "officer",
        "employee",
        "member",
        "worker",
        "staff",
        "agent",
        "analyst",
        "engineer",
        "clerk",
        "technician",
        "specialist",
        "administrator",
        "manager",
        "contractor",
        "soldier",
        "diplomat",
        "civil servant",
    ]
)
# Heads of noun phrases that name a person's role: the phrase is a person.
ROLE_HEADS = GENERIC_PEOPLE | words(
    """
    head registrar interpreter custodian receptionist deckhand designer signatory
    planner representative instructor attache note-taker commander director minister
    chief deputy assistant secretary operator pilot driver guard informant contact
    source employees officials officers technicians engineers clerks members
    staffers brother sister brother-in-law sister-in-law cousin relative wife husband
    son daughter father mother uncle aunt nephew niece friend neighbour colleague
    """
)
# Nouns that are used without "a": "staff", "information", "data".
MASS_NOUNS = words(
    """
    staff information data documentation equipment personnel infrastructure
    paperwork material intelligence access travel industry headquarters service
    """
)
# Heads of proper names that take "the": "the Kharovian Ministry of Defence",
# "the Coastal Flotilla", "the Velisk region" (but "Velisk Motor Works").
INSTITUTION_HEADS = words(
    """
    ministry directorate department section division bureau office navy army police
    flotilla fleet squadron brigade battalion regiment corps staff forces command
    service agency district region province area industry sector union government
    council committee authority unit units team desk delegation garrison range port
    terminal terminals site base station compound group embassy consulate coast
    border north south east west
    """
)
# Heads of places that are areas: one is "in" them, not "at" them.
AREA_HEADS = frozenset(
    ["region", "district", "province", "area", "country", "city", "coast", "county", "zone"]
)
# Heads one is "in", not "at", even when they are not places ("in the navy").
IN_HEADS = AREA_HEADS | frozenset(
    ["industry", "sector", "navy", "army", "forces", "service", "staff", "police", "units"]
)
_AREA_ADJECTIVES = frozenset(
    ["central", "northern", "southern", "eastern", "western", "greater", "inner", "outer"]
)

_WORD_BEFORE = re.compile(r"([\w’'-]+)([ \t]+)$")
_WORD_AFTER = re.compile(r"^([ \t]+)([\w’'-]+)")


def previous_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word that ends just before ``pos`` (spaces between), and where it starts."""
    m = _WORD_BEFORE.search(text[max(0, pos - 60) : pos])
    if not m:
        return None
    return m.group(1), pos - len(m.group(0))


def next_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word that starts just after ``pos`` (spaces between), and where it starts."""
    m = _WORD_AFTER.match(text[pos : pos + 60])
    if not m:
        return None
    return m.group(2), pos + len(m.group(1))


def word_at(text: str, pos: int) -> tuple[str, int] | None:
    """The word that starts at ``pos`` (no spaces skipped)."""
    m = re.match(r"[\w’'-]+", text[pos : pos + 60])
    return (m.group(), pos) if m else None


_LABEL = re.compile(r"(?:^|\n)[ \t]*(?:[A-Z][A-Z ]*|[A-Z][a-z]+(?: [A-Za-z]+)?)[ \t]*:$")


def sentence_start(text: str, pos: int) -> bool:
    """Is ``pos`` the first word of a sentence, a list item or a label's text
    ("SOURCE: A deputy", "Subject: Trafficking"; not "six strong: the officer")?"""
    before = text[:pos].rstrip(" \t")
    if not before or before[-1] in ".!?\n":
        return True
    if before[-1] == ":":
        return bool(_LABEL.search(before))
    # "(A) A GDAP official", "- The informant", "1) Four women", "2. The source"
    return bool(re.search(r"(?:^|\n|[.:]\s)[ \t]*(?:\([A-Za-z0-9]\)|[-*•]|\d+[.)])$", before))


def vowel_sound(word: str) -> bool:
    """Does ``word`` begin with a vowel sound ("an hour", "a unit", "an SSP officer")?"""
    w = word.casefold()
    if w.startswith(("uni", "use", "usu", "eu", "one", "once", "ukr", "ewe")):
        return False
    if len(w) > 2 and w[0] == "u" and w[1] not in "aeioun" and w[2] in "aeiou":
        return False  # "utility", "uranium": a "yu" sound
    if w.startswith(("hour", "honest", "honour", "heir")):
        return True
    if word.isupper() and len(word) > 1:
        return word[0] in "AEFHILMNORSX"
    if word[:1].isdigit():
        return word.startswith(("8", "11", "18"))
    return w[:1] in "aeiou"


def indefinite(phrase: str) -> str:
    """ "a" or "an" for ``phrase``."""
    first = re.match(r"[\w’'-]+", phrase)
    return "an" if first and vowel_sound(first.group()) else "a"


def head_word(phrase: str) -> str:
    """The head of a noun phrase: the last word before its first preposition,
    comma or bracket ("bills" in "bills of lading", "official" in
    "middle-management official")."""
    part = re.split(r"[,(]|\s(?:of|from|for|on|at|in|to|with|by|near)\s", phrase, maxsplit=1)[0]
    words = re.findall(r"[\w’'-]+", part)
    # "Terminal 3", "Block C", "stand No. 2": the noun, not its number.
    while len(words) > 1 and (words[-1][:1].isdigit() or re.fullmatch(r"[A-Z]|No|Nr", words[-1])):
        words.pop()
    return words[-1] if words else ""


def is_area(phrase: str) -> bool:
    """A region, a district, "central Tervansk": one is *in* it."""
    words = phrase.split()
    if not words:
        return False
    return head_word(phrase).casefold() in AREA_HEADS or words[0].casefold() in _AREA_ADJECTIVES


def takes_in(phrase: str) -> bool:
    """Is one *in* ``phrase`` rather than *at* it ("in the Velisk region",
    "in the Kharovian missile industry", "in central Tervansk")?"""
    return is_area(phrase) or head_word(phrase).casefold() in IN_HEADS


def capitalise(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def case_like(phrase: str, model: str) -> str:
    """``phrase`` with a capital when ``model`` has one (a sentence start)."""
    return capitalise(phrase) if model[:1].isupper() else phrase
