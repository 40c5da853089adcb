"""Reports written for these tests, independently of the demo world.

Eight fictional reports in styles the demo corpus does not have — an ISAC
e-mail, bullet lists, a telegraphic cable, a numbered list, long sentences
with nested clauses — each with its own sources, attributes and
generalisations, so that the rewriting is built for the general case rather
than tuned to the demo.
"""

from __future__ import annotations

from dataclasses import dataclass

from tearline.domain import Attribute, Generalization, Source


def _attr(
    name: str,
    kind: str,
    value: str,
    selectivity: float,
    generalizations: tuple[tuple[str, float], ...] = (),
    mentions: tuple[str, ...] = (),
) -> Attribute:
    return Attribute(
        name,
        value,
        selectivity,
        kind,
        tuple(Generalization(v, s) for v, s in generalizations),
        mentions,
    )


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    text: str
    sources: tuple[Source, ...]
    # Terms that carry the substance and identify nobody: they must survive.
    substance: tuple[str, ...] = ()


UTILITY = Source(
    id="src-lakeshore",
    codename="HALYARD",
    population=40_000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "employer",
            "employer",
            "Lakeshore Water Authority",
            0.002,
            (("a regional water utility", 0.05), ("a utility operator", 0.4)),
            ("Lakeshore Water", "LWA"),
        ),
        _attr(
            "post",
            "post",
            "control-systems engineer at the Brenmoor pumping station",
            0.0005,
            (("control-systems engineer", 0.02), ("engineering staff", 0.3)),
            ("Brenmoor pumping station", "Brenmoor station"),
        ),
        _attr(
            "discovery",
            "timing",
            "found the implant during the night shift of 4 March 2026",
            0.01,
            (("on duty in March 2026", 0.3),),
            ("4 March 2026",),
        ),
    ),
)

EMAIL = Case(
    "isac-email",
    """From: Duty analyst, River Basin ISAC
To: Member utilities (TLP:AMBER)
Subject: Implant found on a pumping-station historian

Hi all,

One of our members, Lakeshore Water Authority, has shared details of an intrusion into its operational network. The implant was found by a control-systems engineer at the Brenmoor pumping station during the night shift of 4 March 2026, after the historian server began sending traffic to 192.0.2.77 on port 8443.

What we know so far:
- The implant is a modified build of a public remote-access tool, signed with a stolen certificate.
- It was planted through the vendor's remote-support account, which the member had left enabled.
- Persistence is a scheduled task named "HistSync" that runs every 15 minutes.

If you see traffic to 192.0.2.77 or the task name above, please contact the duty desk at isac-duty@riverbasin.example or on +44 20 7946 0321.

Thanks,
Duty analyst
""",
    (UTILITY,),
    ("192.0.2.77", "HistSync", "remote-support account"),
)


DECKHAND = Source(
    id="src-deckhand",
    codename="BOLLARD",
    population=30_000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "post",
            "post",
            "deckhand on the MV Corran Star",
            0.0003,
            (("ferry crew member", 0.02), ("maritime worker", 0.3)),
            ("Corran Star",),
        ),
        _attr(
            "employer",
            "employer",
            "Northsea Ferries",
            0.01,
            (("a ferry operator", 0.15),),
            ("Northsea",),
        ),
        _attr(
            "berth",
            "place",
            "Berth 4, Harwick ferry port",
            0.004,
            (("Harwick ferry port", 0.05), ("a North Sea port", 0.4)),
            ("Berth 4",),
        ),
    ),
)

BULLETS = Case(
    "bullets",
    """SUMMARY
A lorry carrying concealed cocaine crossed on the overnight ferry from Harwick.

DETAILS
- The informant, a deckhand on the MV Corran Star, saw the lorry loaded at Berth 4 of Harwick ferry port shortly after 2340.
- The driver, Tomas Keller, paid the loading crew in cash and asked for the vehicle to be parked away from the scanners.
- The lorry's trailer carried the registration KX 4471 and a load of frozen fish.
- Northsea Ferries has not been told.

ASSESSMENT
- The route has been used at least twice before.
- The informant is one of a handful of crew members who could have seen the loading.
""",
    (DECKHAND,),
    ("frozen fish", "concealed cocaine", "overnight ferry"),
)


INTERPRETER = Source(
    id="src-interpreter",
    codename="LANTERN",
    population=8000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "employer",
            "employer",
            "Protocol Department of the Oskarian Foreign Ministry",
            0.01,
            (("Oskarian Foreign Ministry", 0.2), ("Oskarian civil service", 0.9)),
            ("Protocol Department",),
        ),
        _attr(
            "post",
            "post",
            "senior interpreter",
            0.005,
            (("interpreter", 0.05), ("language specialist", 0.2)),
        ),
        _attr(
            "principal",
            "relation",
            "accompanies Deputy Foreign Minister Lena Marsh",
            0.002,
            (("close to the ministry's leadership", 0.05),),
            ("Lena Marsh", "Deputy Foreign Minister Marsh"),
        ),
        _attr(
            "session",
            "timing",
            "attended the closed session in Valmo on 12 February 2026",
            0.003,
            (("attended talks in Valmo in 2026", 0.05),),
            ("closed session in Valmo", "12 February 2026"),
        ),
    ),
)

LONG = Case(
    "long-sentences",
    """SOURCE: A senior interpreter in the Protocol Department of the Oskarian Foreign Ministry, who accompanied Deputy Foreign Minister Lena Marsh to the closed session in Valmo on 12 February 2026 and who has reported reliably for six years.

At the closed session in Valmo, which had been arranged at short notice and which the Oskarian side had asked to keep off the official calendar, the two delegations discussed the future of the Tessan gas field, the border crossings that had been closed since the autumn and, at the Oskarian side's insistence, the release of the fishing crews detained in Valmo since November, on which Marsh said that Oskaria would "not wait another winter".

The source, who translated for Marsh throughout the session, believes that the Oskarian government will reopen two crossings before the summer if the crews are released, but that it will not move on the gas field, where it regards the current line as final.

COMMENT: The reporting is consistent with other indications that Oskaria is looking for a limited deal on the crossings.
""",
    (INTERPRETER,),
    ("Tessan gas field", "fishing crews", "two crossings"),
)


SIGNALLER = Source(
    id="src-signaller",
    codename="AERIAL",
    population=12_000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "unit",
            "employer",
            "7th Signal Battalion",
            0.01,
            (("army signals units", 0.1),),
            ("7th Signal Battalion", "7 Sig Bn"),
        ),
        _attr(
            "post",
            "post",
            "cryptographic custodian",
            0.002,
            (("signals NCO", 0.05),),
            ("crypto custodian",),
        ),
        _attr(
            "camp",
            "place",
            "Camp Redhill",
            0.02,
            (("a garrison in the southern district", 0.3),),
            ("Redhill",),
        ),
        _attr(
            "keys",
            "access",
            "issues the battalion's key lists",
            0.001,
            (("access to signals key material", 0.02),),
            ("key lists",),
        ),
    ),
)

CABLE = Case(
    "cable",
    """SOURCE: CRYPTO CUSTODIAN, 7TH SIGNAL BATTALION, CAMP REDHILL. DIRECT ACCESS.

1. On 18 May 2026 the 7th Signal Battalion received orders to move two radio relay companies to the eastern border by 1 June.

2. The source, who issues the battalion's key lists, was told to prepare key material for ninety days of field operation, three times the usual amount.

3. Major Ivo Brandt, the battalion's operations officer, told the companies at Camp Redhill that the move was "not an exercise".

COMMENT: A ninety-day key issue points to a sustained deployment rather than a readiness check.
""",
    (SIGNALLER,),
    # "ninety days" was said only in a sentence about the source ("The source,
    # who issues the battalion's key lists, was told to prepare ..."), which goes;
    # the comment keeps "ninety-day".
    ("radio relay companies", "eastern border", "ninety-day"),
)


RECEPTIONIST = Source(
    id="src-receptionist",
    codename="CONCIERGE",
    population=25_000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "employer",
            "employer",
            "Hotel Albatross in Sellin",
            0.002,
            (("a hotel in Sellin", 0.03), ("the hospitality sector", 0.5)),
            ("Hotel Albatross", "Albatross"),
        ),
        _attr(
            "post",
            "post",
            "night receptionist",
            0.01,
            (("hotel staff", 0.2),),
            ("night receptionist", "night desk"),
        ),
        _attr(
            "shift",
            "timing",
            "on the night desk on 14 June 2025",
            0.01,
            (("worked at the hotel in June 2025", 0.3),),
            ("14 June 2025",),
        ),
    ),
)

NUMBERED = Case(
    "numbered",
    """Subject: Trafficking indicators at a coastal hotel

Our contact is the night receptionist at the Hotel Albatross in Sellin. On 14 June 2025 the contact saw the following:

1) Four young women checked in at about 0230 with a man who held all their passports.
2) The man paid for three rooms in cash and gave the name "Victor Lang", which the contact believes is false.
3) He asked the night desk for a taxi to the Sellin ferry terminal at 0600.

The contact can describe the man but will not make a statement.
""",
    (RECEPTIONIST,),
    ("held all their passports", "three rooms in cash"),
)


ANALYST = Source(
    id="src-analyst",
    codename="LEDGER",
    population=20_000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "employer",
            "employer",
            "Banca Lorenza, Valmo branch",
            0.005,
            (("a bank in Valmo", 0.05), ("a regional bank", 0.3)),
            ("Banca Lorenza",),
        ),
        _attr(
            "post",
            "post",
            "compliance analyst",
            0.02,
            (("bank employee", 0.4),),
            ("compliance analyst",),
        ),
        _attr(
            "reports",
            "access",
            "reviews suspicious transaction reports for the Valmo branch",
            0.002,
            (("access to suspicious transaction reports", 0.03),),
            ("suspicious transaction reports",),
        ),
    ),
)

FINANCE = Case(
    "finance",
    """SOURCE: A compliance analyst at Banca Lorenza, Valmo branch, who reviews suspicious transaction reports for the branch. Reliable.

Between January and April 2026 the shell company Greyfin Trading received 37 transfers totalling 4.2 million euros from accounts in three jurisdictions. The transfers were flagged by the source on 3 May 2026 under reference STR/2026/0412 and passed to the bank's money-laundering officer, Anna Greco, who has not yet filed a report with the authorities.

The source believes that Greyfin Trading is controlled by the same people as the Kessel Group, whose accounts were closed by Banca Lorenza in 2024.
""",
    (ANALYST,),
    ("Greyfin Trading", "Kessel Group", "37 transfers"),
)


SMUGGLING = Source(
    id="src-crossing",
    codename="TOLLGATE",
    population=200_000,
    threatened_by=("adv",),
    attributes=(
        _attr(
            "relative",
            "relation",
            "brother-in-law is a customs officer at the northern crossing",
            0.0004,
            (("a relative with border access", 0.02),),
            ("brother-in-law, a customs officer at the northern crossing",),
        ),
        _attr(
            "village",
            "place",
            "lives in Dorrin",
            0.001,
            (("lives near the northern border", 0.2),),
            ("Dorrin",),
        ),
    ),
)

RELATIVE = Case(
    "relative",
    """Summary: fuel smuggling at the northern crossing

The source's brother-in-law, a customs officer at the northern crossing, told the source on 2 March 2026 that tanker lorries from the Rusk depot are waved through without inspection every Tuesday night. The drivers pay in cash at a cafe in Dorrin, where the source lives, and the money is shared among the night shift.

The source has seen the lorries queue at the crossing at least four times since January.
""",
    (SMUGGLING,),
    ("tanker lorries", "Rusk depot", "every Tuesday night"),
)

SOURCES_MIXED = (UTILITY, DECKHAND)

MIXED = Case(
    "two-sources",
    """SOURCES: (A) A control-systems engineer at the Brenmoor pumping station. (B) A deckhand on the MV Corran Star, Harwick.

Source A reports that the same remote-access tool was found on two further historian servers of Lakeshore Water Authority in April 2026. Source B reports that the lorry seen at Berth 4 crossed again in April, this time with a different trailer.

Both sources have reported reliably in the past.
""",
    SOURCES_MIXED,
    ("remote-access tool", "different trailer"),
)


CASES: tuple[Case, ...] = (EMAIL, BULLETS, LONG, CABLE, NUMBERED, FINANCE, MIXED, RELATIVE)
