"""Personal names become roles.

A name points to the circle around a source; the role it held is usually
what the partner needs. So:

* a titled name says its office or rank: "Deputy Foreign Minister Lena Marsh"
  -> "the deputy foreign minister", "Colonel Mirek Savan" -> "a senior
  officer", "Major Ivo Brandt" -> "an officer"; possessives follow ("a
  senior officer's absence");
* a name followed by its role in apposition gives way to the role: "Major
  Ivo Brandt, the battalion's operations officer, told" -> "The battalion's
  operations officer told"; "led by Colonel Ruta Ambrosz, head of the
  Foreign Liaison Section;" -> "led by the head of the Foreign Liaison
  Section;";
* a name in apposition to a role goes with its commas, and the role is used
  later: "a GDAP agent, Vadim Tarkos, who" -> "a GDAP agent, who", and
  "Tarkos" afterwards -> "the agent";
* "known as Marek" goes with its commas;
* later mentions of the same person reuse the first role ("the officer").
"""

from __future__ import annotations

import re

from tearline.sanitize.delete import drop
from tearline.sanitize.draft import Draft, Note
from tearline.sanitize.lexicon import capitalise, sentence_start
from tearline.sanitize.patterns import Finding

OFFICES = (
    "deputy minister",
    "prime minister",
    "minister",
    "deputy director",
    "director",
    "president",
    "ambassador",
    "chief designer",
    "chief engineer",
    "chief of staff",
    "governor",
    "mayor",
    "judge",
    "senator",
)
_SENIOR = re.compile(
    r"^(?:(?:Lieutenant|Major|Rear|Vice|Field)[- ])?(?:General|Colonel|Admiral|Brigadier|"
    r"Commodore|Marshal|Gen|Col)\b|^(?:Captain|Capt)\b(?=.*\b(?:flotilla|navy|naval)\b)?"
)
_OFFICER = re.compile(
    r"^(?:Lieutenant|Major|Captain|Commander|Lieutenant-Commander|Maj|Capt|Lt|Cdr)\b"
)
_SOLDIER = re.compile(r"^(?:Sergeant|Corporal|Private|Sgt|Cpl)\b")
_KNOWN_AS = re.compile(r"(?:,\s*)?\b(?:known as|named|called|alias|nicknamed)\s+$")
# ", the battalion's operations officer," / ", head of the Foreign Liaison Section;"
_ROLE_AFTER = re.compile(
    r"^,[ \t]+(?P<det>(?:the|a|an|his|her|its)[ \t]+)?"
    r"(?P<role>(?:[\w’'-]+[ \t]+){0,8}?[a-z][\w’'-]*(?:[ \t]+of[ \t]+[^,;.]{3,60})?)"
    r"(?P<end>[,;.])"
)
_ROLE_WORDS = re.compile(
    r"\b(?:head|chief|deputy|director|commander|officer|official|minister|manager|secretary|"
    r"adviser|advisor|spokesman|spokeswoman|treasurer|chairman|chair)\b"
)


def role_of(name: str) -> tuple[str, str]:
    """The role a titled name says, first mention and later ones:
    ("a senior officer", "the officer"), ("the minister", "the minister")."""
    words = name.split()
    lowered = name.casefold()
    office = next((o for o in OFFICES if lowered.startswith(o)), None)
    if office is None and "minister" in lowered.split():
        title = words[: [w.casefold() for w in words].index("minister") + 1]
        office = " ".join(title).casefold()
    if office:
        return f"the {office}", "the " + office.split()[-1]
    if _SENIOR.match(name):
        return "a senior officer", "the officer"
    if _OFFICER.match(name):
        return "an officer", "the officer"
    if _SOLDIER.match(name):
        return "a soldier", "the soldier"
    if len(words) == 1:
        return "the individual", "the individual"
    return "an individual", "the individual"


def role_before(before: str) -> str:
    """The role an appositive name follows: "a GDAP agent, X" -> "the agent";
    "the Aldrenese Minister of Defence, X" -> "the minister"."""
    tail = before[-60:].rstrip(",").casefold()
    office = next((o for o in OFFICES if o in tail), None)
    if office:
        return f"the {office.split()[-1]}"
    role = re.search(r"\b([a-z][a-z-]+)\s*,$", before)
    if role and role.group(1) not in ("and", "or", "the"):
        return f"the {role.group(1)}"
    return "the individual"


def replace_person(
    draft: Draft, text: str, finding: Finding, note: Note, roles: dict[str, str]
) -> None:
    """Replace the name ``finding`` (offsets in the draft's current text) by a
    role, or drop it (module docstring). ``roles`` remembers, per surname,
    how later mentions are said."""
    start, end = finding.start, finding.end
    name = finding.text
    surname = name.split()[-1]
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    known_as = _KNOWN_AS.search(text[:start])
    if known_as and after[:1] in (",", ".", ";"):
        # "One courier, known as Marek, gave ..." -> "One courier gave ..."
        roles.setdefault(surname, "the individual")
        comma = after[:1] == "," and known_as.group().startswith(",")
        draft.replace(known_as.start(), end + (1 if comma else 0), "", note)
        return
    if before.endswith(",") and after[:1] in (",", ".", ";"):
        # An appositive: "the brigade commander, Colonel Anselm Drago, has ..."
        roles.setdefault(surname, role_before(before))
        drop(draft, start, end, note, "relation")
        return
    first, later = role_of(name)
    known = roles.get(surname)
    role = _ROLE_AFTER.match(text[end:])
    if known is None and role and _ROLE_WORDS.search(role.group("role")):
        # "Major Ivo Brandt, the battalion's operations officer, told" ->
        # "The battalion's operations officer told".
        det = (role.group("det") or "the ").strip()
        said = f"{det} {role.group('role')}"
        # The closing comma goes with the name; a full stop or ";" stays.
        stop = end + role.end() - (1 if role.group("end") != "," else 0)
        if sentence_start(text, start):
            said = capitalise(said)
        roles.setdefault(surname, later)
        draft.replace(start, stop, said, note)
        return
    roles.setdefault(surname, later)
    said = known or first
    draft.replace(start, end, capitalise(said) if sentence_start(text, start) else said, note)
