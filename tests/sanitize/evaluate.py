"""Detection recall and precision on the demo corpus, against the hand labels.

    .venv/bin/python -m tests.sanitize.evaluate

An attribute is *found* when the detector says the report discloses it at any
level; *level-exact* when it also names the labelled level. Precision counts
the detector's claims that the labels support.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from tearline.domain.world import World
from tearline.sanitize import disclosures
from tearline.sanitize.core import vocabulary
from tearline.scenario import parse_scenario
from tests.sanitize.labels import TRUTH


@dataclass(frozen=True)
class Score:
    labelled: int
    claimed: int
    found: int
    level_exact: int
    supported: int
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.labelled

    @property
    def precision(self) -> float:
        return self.supported / self.claimed


@cache
def demo_world() -> World:
    text = (resources.files("tearline.data") / "demo-world.yaml").read_text(encoding="utf-8")
    return parse_scenario(text, "demo-world.yaml").world


def score() -> Score:
    world = demo_world()
    labelled = claimed = found = exact = supported = 0
    misses: list[str] = []
    false_alarms: list[str] = []
    for report in world.reports:
        truth = TRUTH[report.id]
        sources = [world.source(s) for s in report.sources]
        said = disclosures(report.text, sources, vocabulary(world))
        labelled += len(truth)
        claimed += len(said)
        for key, level in truth.items():
            if key in said:
                found += 1
                exact += said[key] == level
            else:
                misses.append(f"{report.id} {key[0]}.{key[1]} (L{level})")
        for key, level in said.items():
            if key in truth:
                supported += 1
            else:
                false_alarms.append(f"{report.id} {key[0]}.{key[1]} (L{level})")
    return Score(labelled, claimed, found, exact, supported, tuple(misses), tuple(false_alarms))


def main() -> None:
    s = score()
    print(f"labelled disclosures  {s.labelled}")
    print(f"recall                {s.recall:.3f} ({s.found}/{s.labelled})")
    print(f"level-exact           {s.level_exact}/{s.found}")
    print(f"precision             {s.precision:.3f} ({s.supported}/{s.claimed})")
    for miss in s.misses:
        print(f"  missed       {miss}")
    for alarm in s.false_alarms:
        print(f"  false alarm  {alarm}")


if __name__ == "__main__":
    main()
