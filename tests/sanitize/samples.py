"""Small sources for the sanitiser's tests (the demo world is tested separately)."""

from __future__ import annotations

from tearline.domain import Attribute, Generalization, Source

KESTREL = Source(
    id="src-kestrel",
    codename="KESTREL",
    population=12000,
    threatened_by=("adv",),
    attributes=(
        Attribute(
            name="employer",
            kind="employer",
            value="procurement directorate of the defence ministry",
            selectivity=0.02,
            generalizations=(
                Generalization("the defence ministry", 0.3),
                Generalization("the defence sector", 0.8),
            ),
            mentions=("the ministry's procurement directorate",),
        ),
        Attribute(
            name="travel",
            kind="timing",
            value="visited the northern yard on 14 March 2025",
            selectivity=0.01,
            generalizations=(Generalization("travelled in March 2025", 0.2),),
            mentions=("14 March",),
        ),
    ),
)

HERON = Source(
    id="src-heron",
    codename="HERON",
    population=25000,
    threatened_by=("adv",),
    attributes=(
        Attribute(
            name="unit",
            kind="employer",
            value="Missile Systems Contracts Section, General Directorate of Armaments Procurement",
            selectivity=0.002,
            generalizations=(
                Generalization("General Directorate of Armaments Procurement", 0.03),
                Generalization("Kharovian Ministry of Defence", 0.35),
            ),
            mentions=("missile contracts section",),
        ),
        Attribute(
            name="post",
            kind="post",
            value="deputy section head",
            selectivity=0.01,
            generalizations=(Generalization("middle-management official", 0.12),),
        ),
        Attribute(
            name="manager",
            kind="relation",
            value="works directly for Colonel Mirek Savan",
            selectivity=0.003,
            generalizations=(Generalization("missile-programme staff", 0.02),),
            mentions=("Colonel Mirek Savan",),
        ),
    ),
)

DESIGNER = Source(
    id="src-designer",
    codename="OSPREY",
    population=6000,
    threatened_by=("adv",),
    attributes=(
        Attribute(
            name="employer",
            kind="employer",
            value="Design Bureau 7, Velisk Motor Works",
            selectivity=0.05,
            generalizations=(Generalization("Velisk Motor Works", 0.4),),
            mentions=("DB-7",),
        ),
        Attribute(
            name="stand",
            kind="post",
            value="lead engineer, test stand No. 2",
            selectivity=0.002,
            generalizations=(Generalization("test engineer", 0.03),),
            mentions=("Stand 2",),
        ),
    ),
)
