"""The plain noun a detail leaves when its phrase holds up a clause.

"Aster Maritime acted as forwarder" cannot lose its subject; "The company
acted as forwarder" keeps the sentence and says nothing about the source. The
noun is the phrase's own head when that is a common word ("Stand 2" ->
"the stand", "the night desk" -> "the desk"), a person's generic role when
the phrase is about a person ("a customs documentation clerk" -> "a clerk",
"the deputy head" -> "an official", "an employee" in a business), else a
noun for the attribute's kind ("the organisation", "the site").
"""

from __future__ import annotations

import re

from tearline.sanitize.lexicon import GENERIC_PEOPLE, ROLE_HEADS, head_word, indefinite, words

GENERIC_HEADS = words(
    """
    section department directorate bureau brigade battalion flotilla squadron
    division ministry office embankment street range garrison terminal pier stand
    building block compound site room desk team unit cell line lists list servers
    server rights orders channel convoy delegation talks contracts contract files
    data telemetry casing documents records reports report meeting session trip
    journey visit vessel ship vehicle station port hotel bank branch
    """
)
_DOCUMENT_HEADS = frozenset(["bills", "manifest", "manifests", "papers", "paperwork"])
_COMPANY_HEADS = words(
    """
    logistics systems ferries trading composites ltd inc company corporation
    holdings group lines shipping works maritime authority
    """
)
KIND_NOUNS = {
    "employer": "organisation",
    "post": "official",
    "place": "site",
    "access": "information",
    "timing": "event",
    "relation": "contact",
    "skill": "specialist",
    "other": "detail",
}
PERSON_KINDS = frozenset(["post", "relation", "skill"])
# Words that say a person works for a business, where they are "an
# employee"; elsewhere (government, the default) "an official".
_COMMERCIAL = re.compile(
    r"\b(?:company|firm|ltd|inc|logistics|ferry|ferries|hotel|bank|banca|contractor|utility|"
    r"plant|port|ship|vessel|crew|deckhand|MV|shop|factory|trading|forwarder|airline)\b",
    re.IGNORECASE,
)


def plain_noun(phrase: str, kind: str, context: str = "") -> str:
    """A plain noun for a phrase that must go but holds up its clause: its
    own head when that is a common word ("Stand 2" -> "stand"), else one for
    its kind ("organisation", "company", "official" or "employee"). A phrase
    about a person ("a signatory on …") gets a person's noun whatever the
    attribute's kind."""
    words = re.findall(r"[A-Za-z][\w-]*", re.split(r"[,(]", phrase, maxsplit=1)[0])
    head = head_word(phrase).casefold()
    if head in _DOCUMENT_HEADS:
        return "documents"
    if head in GENERIC_HEADS and head not in ROLE_HEADS:
        return head  # "the night desk" -> "the desk"
    if kind in PERSON_KINDS or head in ROLE_HEADS:
        if head in GENERIC_PEOPLE:
            return head
        if kind == "relation":
            return "contact"  # "the source's brother-in-law" -> "a contact"
        if _COMMERCIAL.search(f"{phrase} {context}"):
            return "employee"
        return "official"
    if head in GENERIC_HEADS:
        return head
    if kind == "employer" and any(w.casefold() in _COMPANY_HEADS for w in words):
        return "company"
    return KIND_NOUNS.get(kind, "detail")


def with_article(noun: str, det: tuple[str, int] | None, kind: str, capital: bool) -> str:
    """``noun`` with the article its slot needs. A person's role loses the
    uniqueness the detail gave it ("the section's deputy head" -> "an
    official"); an organisation or a thing keeps "the"."""
    own = det[0].casefold() if det else ""
    if own in ("his", "her", "its", "their", "our", "this", "these", "those"):
        article = own
    elif kind in PERSON_KINDS or own in ("a", "an"):
        article = indefinite(noun)
    else:
        article = "the"
    said = f"{article} {noun}"
    return said[:1].upper() + said[1:] if capital else said


def shout_like(said: str, replaced: str) -> str:
    """Upper case in an upper-case context ("CRYPTO CUSTODIAN, 7TH SIGNAL…"),
    which one acronym ("GDAP") is not."""
    words = re.findall(r"[A-Za-z]{2,}", replaced)
    shouting = len(words) >= 2 and all(w.isupper() for w in words)
    return said.upper() if shouting else said
