"""Curated interchangeable wordings for intelligence prose, with the contexts that keep them
interchangeable.

Each family lists phrases that mean exactly the same *in the contexts the detector accepts*;
the guards exist because most synonyms are only synonyms somewhere ("about" is an
approximator before a number, a preposition after "talked"). When in doubt a family was left
out: a copy that reads oddly or shifts meaning is worse than a lost bit. Deliberately absent:
estimative words of different strength (likely / almost certainly), "intends/plans",
"indicates/suggests", "several / a number of", American spellings other than Oxford -ize.

``detect`` limits which forms are looked for (default: all of them) when one direction is
safe and the other is not ("probably" → "likely" is safe; "likely" is also an adjective).
Context: ``prev`` (the word before must be one of these; ``^`` is a sentence start), or
``not_prev``; ``next``/``not_next`` are regular expressions tried on the text right after
(case-sensitive unless they say ``(?i)``).
"""

from __future__ import annotations

from dataclasses import dataclass


def words(text: str) -> tuple[str, ...]:
    """The words of a space-separated list (long curated lists read better as text)."""
    return tuple(text.split())


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NUMBER = (
    r"\s+(?:\d|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|a\s+hundred|a\s+dozen|a\s+thousand|half)\b)"
)
_NOUN_AHEAD = r"\s+[a-z]"
_NP_AHEAD = r"\s+(?:the|a|an|his|her|its|their|our|this|these|those|[A-Z])\b"
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# Verbs that take "about"/"around" as a preposition: "talked about 200 people" is no estimate.
_ABOUT_VERBS = frozenset(
    words(
        "talk talked talks speak spoke spoken think thought know knew known ask asked care cared "
        "worry worried learn learned learnt hear heard write wrote written read say said tell told "
        "warn warned complain complained argue argued come came bring brought set go went how what "
        "walk walked run ran drive drove move moved travel travelled traveled look looked turn "
        "turned get got wander wandered circle circled sail sailed fly flew"
    )
)


@dataclass(frozen=True, slots=True)
class Family:
    label: str
    forms: tuple[str, ...]
    detect: tuple[str, ...] = ()
    prev: frozenset[str] | None = None
    not_prev: frozenset[str] = frozenset()
    next: str | None = None
    not_next: str | None = None

    @property
    def detected(self) -> tuple[str, ...]:
        return self.detect or self.forms


FAMILIES: tuple[Family, ...] = (
    # Approximators before a quantity.
    Family(
        "approximately",
        ("approximately", "about", "around", "roughly"),
        next=_NUMBER,
        not_prev=_ABOUT_VERBS,
    ),
    # Reporting verbs, always with their "that" (reported = relayed, as the others).
    Family("said-that", ("said that", "stated that", "reported that")),
    Family("says-that", ("says that", "states that", "reports that")),
    # Analytic judgement: assess and judge are the same verb in UK and US assessment prose.
    Family("assess", ("assess", "judge"), prev=frozenset({"we", "i", "analysts", "also"})),
    Family(
        "assesses",
        ("assesses", "judges"),
        prev=frozenset({"source", "it", "he", "she", "officer", "service", "agency", "also"}),
    ),
    Family("assessed", ("assessed", "judged"), prev=_BE | {"we"}, next=r"\s+(?:that|to|as)\b"),
    Family("believed-to", ("believed to", "thought to"), prev=_BE | {"widely", "generally"}),
    Family("probably", ("probably", "likely"), detect=("probably",), not_prev=frozenset({"^"})),
    Family("at-least", ("at least", "no fewer than"), next=_NUMBER),
    Family("more-than", ("more than", "over"), detect=("more than",), next=_NUMBER),
    # "regards X as Y": the "as" must follow in the same clause.
    Family("regards-as", ("regards", "views", "sees"), next=r"\s+[^.;:!?]{1,80}?\s+as\b"),
    Family("regarded-as", ("regarded as", "viewed as", "seen as"), prev=_BE),
    Family("obtained", ("obtained", "acquired")),
    Family("obtain", ("obtain", "acquire")),
    Family("obtains", ("obtains", "acquires")),
    Family(
        "seen",
        ("seen", "observed"),
        prev=_BE,
        not_next=r"\s+(?:to|as|fit|in\s+the\s+light)\b",
    ),
    Family("stopped", ("stopped", "ceased"), next=r"\s+[a-z]+ing\b"),
    Family("began-ing", ("began", "started", "commenced"), next=r"\s+[a-z]+ing\b"),
    Family("began-to", ("began", "started"), next=r"\s+to\b"),
    Family("concentrated-on", ("concentrated on", "focused on")),
    Family("concentrates-on", ("concentrates on", "focuses on")),
    Family("carried-out", ("carried out", "conducted"), not_next=r"\s+(?:of|from)\b"),
    Family("carries-out", ("carries out", "conducts"), not_next=r"\s+(?:of|from)\b"),
    Family(
        "earlier",
        ("earlier", "previous", "prior"),
        detect=("earlier", "previous"),
        prev=frozenset(
            {"the", "its", "their", "his", "her", "our", "this", "these", "those", "'s"}
        ),
        next=r"\s+[a-z]",
        not_next=r"\s+(?:than|to|on|in|this|that|today|and|or)\b",
    ),
    Family(
        "additional",
        ("additional", "further"),
        detect=("additional",),
        next=r"\s+[a-z]",
        not_next=r"\s+(?:to|than|and|or)\b",
    ),
    # "two further servers": after a count, "further" can only mean "additional".
    Family(
        "further-after-count",
        ("further", "additional"),
        detect=("further",),
        prev=frozenset(
            (*words("two three four five six seven eight nine ten"), *map(str, range(2, 100)))
        ),
        next=r"\s+[a-z]",
    ),
    Family("numerous", ("numerous", "many"), detect=("numerous",), next=r"\s+[a-z]"),
    Family(
        "near",
        ("near", "close to"),
        next=_NP_AHEAD,
        not_prev=frozenset({"the", "a", "in", "very", "too", "so", "come", "came"}),
    ),
    Family("prior-to", ("prior to", "before"), detect=("prior to",)),
    Family(
        "following",
        ("following", "after"),
        detect=("following",),
        prev=frozenset({"^"}),
        next=_NP_AHEAD,
    ),
    Family(
        "in-addition",
        ("in addition", "additionally", "furthermore", "moreover"),
        prev=frozenset({"^"}),
        next=r"\s*,",
    ),
    Family("for-example", ("for example", "for instance")),
    Family("by-mistake", ("by mistake", "in error"), detect=("by mistake",)),
    Family("following-day", ("the following day", "the next day")),
    Family("following-week", ("the following week", "the next week")),
    Family("following-morning", ("the following morning", "the next morning")),
    Family("unable-to", ("not able to", "unable to"), detect=("not able to",), prev=_BE),
    Family("been-unable-to", ("not been able to", "been unable to")),
    Family("told-of", ("told of", "informed of"), prev=_BE),
    Family("therefore", ("therefore", "thus"), detect=("therefore",)),
    Family("although", ("although", "though"), detect=("although",)),
    Family("despite", ("despite", "in spite of")),
    Family("currently", ("currently", "at present")),
    Family("mainly", ("mainly", "primarily", "chiefly")),
    Family("usually", ("usually", "normally")),
    Family("frequently", ("frequently", "often")),
    Family("subsequently", ("subsequently", "later"), detect=("subsequently",)),
    Family("upon", ("upon", "on"), detect=("upon",), not_prev=frozenset({"once", "where"})),
    Family("purchased", ("purchased", "bought")),
    Family("attempted-to", ("attempted to", "tried to")),
    Family("located", ("located", "situated"), prev=_BE),
    Family("individuals", ("individuals", "persons", "people"), detect=("individuals",)),
    Family("in-order-to", ("in order to", "so as to")),
    Family("because-of", ("because of", "owing to")),
    Family(
        "with-regard-to",
        ("with regard to", "regarding", "concerning"),
        detect=("with regard to",),
    ),
    Family("majority-of", ("the majority of", "most of"), detect=("the majority of",)),
    Family("via", ("via", "through"), detect=("via",)),
    Family("appears-to", ("appears to", "seems to")),
    Family("appear-to", ("appear to", "seem to")),
    Family("appeared-to", ("appeared to", "seemed to")),
    # A month: "in December" and "during December" say the same.
    Family(
        "during-month",
        ("in", "during"),
        next=rf"\s+(?:(?:(?:early|mid|late)[- ])?(?:{MONTHS})\b|(?:19|20)\d\d\b(?![-–/]\d))",
        not_prev=frozenset({"was", "were", "is", "are", "born", "only"}),
    ),
    # Issue 17: more everyday pairs, each with the context that keeps it a pair.
    Family("nearly", ("nearly", "almost"), not_prev=frozenset({"not", "very", "so"})),
    Family("shortly-after", ("shortly after", "soon after")),
    Family("shortly-before", ("shortly before", "just before"), detect=("shortly before",)),
    Family(
        "the-whole",
        ("the whole", "the entire"),
        not_prev=frozenset({"on", "as"}),
        next=r"\s+[a-z]",
        not_next=r"\s+(?:of)\b",
    ),
    Family("at-most", ("at most", "no more than"), next=_NUMBER),
    Family(
        "less-than",
        ("less than", "under"),
        detect=("less than",),
        next=_NUMBER,
        not_prev=frozenset({"no", "not", "much", "far", "little", "nothing"}),
    ),
    Family(
        "main",
        ("main", "principal"),
        prev=frozenset({"the", "its", "their", "his", "her", "our", "a", "'s"}),
        next=r"\s+[a-z]",
        not_next=r"\s+(?:road|street|square|line|course|deck|gate|door|entrance|station)\b",
    ),
    Family("in-the-near-term", ("in the near term", "in the short term")),
    Family(
        "previously",
        ("previously", "earlier"),
        detect=("previously",),
        prev=frozenset({"had", "has", "have", "was", "were", "is", "are", "been"}),
    ),
    Family("took-place", ("took place", "occurred")),
    Family("takes-place", ("takes place", "occurs")),
    Family("take-place", ("take place", "occur"), prev=frozenset({"will", "would", "to", "may"})),
    Family("in-excess-of", ("in excess of", "more than"), detect=("in excess of",), next=_NUMBER),
    Family("large-number-of", ("a large number of", "many"), detect=("a large number of",)),
    Family("in-the-vicinity-of", ("in the vicinity of", "near"), detect=("in the vicinity of",)),
    Family("in-the-course-of", ("in the course of", "during"), detect=("in the course of",)),
    Family("on-a-daily-basis", ("on a daily basis", "daily"), detect=("on a daily basis",)),
    Family("whether-or-not", ("whether or not", "whether"), detect=("whether or not",)),
    Family(
        "requires",
        ("requires", "needs"),
        next=r"\s+[a-z]",
        not_next=r"\s+(?:that|to|it|of|them|him|her|us)\b",
    ),
    Family("assistance", ("assistance", "help"), detect=("assistance",)),
    Family("rapidly", ("rapidly", "quickly")),
    Family(
        "known-as",
        ("known as", "called"),
        prev=_BE | {"company", "group", "unit", "man", ","},
        not_prev=frozenset({"well", "best", "also"}),
    ),
    Family("a-further", ("a further", "another"), detect=("a further",), next=_NUMBER),
    Family("burnt", ("burnt", "burned"), detect=("burnt",)),
    Family("spelt", ("spelt", "spelled"), detect=("spelt",)),
    Family("until", ("until", "till"), detect=("until",), not_prev=frozenset({"^", "not"})),
    Family(
        "whereas",
        ("whereas", "while"),
        detect=("whereas",),
        not_prev=frozenset({"^"}),
    ),
    Family("however", ("however", "nevertheless"), prev=frozenset({"^"}), next=r"\s*,"),
    Family("in-particular", ("in particular", "particularly"), prev=frozenset({"^"}), next=r"\s*,"),
    Family("as-a-result", ("as a result", "consequently"), prev=frozenset({"^"}), next=r"\s*,"),
    Family(
        "at-the-same-time",
        ("at the same time", "meanwhile"),
        detect=("at the same time",),
        prev=frozenset({"^"}),
        next=r"\s*,",
    ),
    Family(
        "in-total", ("in total", "in all", "altogether"), prev=frozenset({"^", ","}), next=r"\s*,"
    ),
    # British spellings that are free choices within British usage.
    Family("towards", ("towards", "toward")),
    Family("amongst", ("amongst", "among")),
    Family("whilst", ("whilst", "while"), detect=("whilst",)),
    Family("learnt", ("learnt", "learned"), detect=("learnt",)),
)

# -ise/-ize: only stems where Oxford spelling allows both (never advise, comprise, surprise,
# exercise, supervise, revise, televise, analyse, ...).
IZE_STEMS = words(
    "organ reorgan recogn real author mobil demobil immobil util priorit critic emphas "
    "minim maxim special character summar neutral destabil stabil legitim militar radical "
    "normal final central decentral local capital optim apolog memor categor modern subsid "
    "familiar global privat monopol harmon synchron symbol jeopard legal standard visual "
    "hospital sympath antagon terror weapon formal institutional scrutin public revital "
    "immun sanit fertil civil colon demoral desensit sensit digit dramat energ equal "
    "external fantas fictional galvan hypothes ideal individual industrial internal liberal "
    "national natural oxid patron penal polar popular pressur rational regular revolution "
    "satir serial social steril stigmat strateg synthes trivial urban vapor vocal western"
)

UNITS = words(
    "km kilometres kilometers metres meters miles kg kilograms tonnes tons litres liters "
    "people men women troops soldiers personnel members fighters rounds rifles weapons "
    "vehicles dollars euros pounds crowns employees workers staff refugees containers "
    "barrels shells missiles drones"
)

IRREGULAR_PLURALS = frozenset({"men", "women", "people", "children", "staff", "personnel"})
SMALL_NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine")

# Capitalised words that are not names, for the order-of-names channel.
NOT_NAMES = frozenset(
    words(
        "The This That These Those A An And Or But If In On At By For From To Of With As "
        "It Its He She They We I You Our Their His Her Source Sources Comment Note Members "
        "Colonel General Major Captain Dr Mr Mrs Ms Prof President Minister Director Chief "
        "North South East West Northern Southern Eastern Western Monday Tuesday Wednesday "
        "Thursday Friday Saturday Sunday " + MONTHS.replace("|", " ")
    )
)
