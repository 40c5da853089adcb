"""The demo corpus: every report sanitised at the demo protocols' targets
(500, 1,000, 2,000, 5,000) and at 10,000."""

from __future__ import annotations

from functools import cache

import pytest

from tearline.domain import Report, Source
from tearline.sanitize import Sanitized, disclosures, sanitize
from tearline.sanitize.core import vocabulary
from tearline.sanitize.generalize import k_of
from tests.sanitize import prose
from tests.sanitize.evaluate import demo_world, score

WORLD = demo_world()
REPORTS = [r.id for r in WORLD.reports]


def _sources(report: Report) -> list[Source]:
    return [WORLD.source(s) for s in report.sources]


@cache
def tearline(report_id: str, target: float) -> Sanitized:
    report = WORLD.report(report_id)
    return sanitize(report, _sources(report), target_k=target, world=WORLD)


@pytest.mark.parametrize("target", prose.TARGETS)
@pytest.mark.parametrize("report_id", REPORTS)
def test_the_target_holds_on_what_the_tearline_still_discloses(
    report_id: str, target: float
) -> None:
    report = WORLD.report(report_id)
    result = tearline(report_id, target)
    said = disclosures(result.text, _sources(report), vocabulary(WORLD))
    before = disclosures(report.text, _sources(report), vocabulary(WORLD))
    for source in _sources(report):
        levels = {a: lv for (s, a), lv in said.items() if s == source.id}
        if source.population >= target:
            assert k_of(source, levels) >= target, (source.id, levels)
        # Never more than the original: no new attribute, no finer level.
        for name, level in levels.items():
            assert (source.id, name) in before
            assert level >= before[(source.id, name)]
    assert result.meets_target == all(s.population >= target for s in _sources(report))


@pytest.mark.parametrize("report_id", REPORTS)
def test_the_tearline_reads_as_prose(report_id: str) -> None:
    for target in prose.TARGETS:
        result = tearline(report_id, target)
        assert prose.problems(result.original, result.text) == [], target


@pytest.mark.parametrize("report_id", REPORTS)
def test_the_change_log_rebuilds_the_tearline(report_id: str) -> None:
    for target in prose.TARGETS:
        result = tearline(report_id, target)
        text, cursor = [], 0
        for change in result.changes:
            assert result.original[change.start : change.end] == change.before
            text += [result.original[cursor : change.start], change.after]
            cursor = change.end
            assert change.why
        text.append(result.original[cursor:])
        assert "".join(text) == result.text


# Terms that carry the intelligence and identify nobody: they must survive.
SUBSTANCE = {
    "rpt-2024-101": ["Halden Trade House", "filament-winding machines", "1,900 km"],
    "rpt-2024-114": ["Port Caddow LNG terminal", "fishing boat"],
    "rpt-2025-044": ["forward dome", "71-second burn"],
    "rpt-2025-052": ["agricultural chemical equipment", "Idrun", "curing oven"],
    "rpt-2025-090": ["203.0.113.44", "198.51.100.203", "dmk-secure-update.example", "9f3c1e07"],
    # "The source saw the packing list, which describes fibre-optic gyroscope
    # assemblies" is a document the source handled: a sentence about it goes.
    "rpt-2026-014": ["marine navigation spares", "fourteen crates"],
    "rpt-2026-034": ["2.3 billion Kharovian marks", "second production line"],
    "rpt-2026-116": ["Port Caddow LNG terminal", "9 and 21 December", "fishing boat"],
}


@pytest.mark.parametrize("report_id", sorted(SUBSTANCE))
def test_the_substance_survives(report_id: str) -> None:
    result = tearline(report_id, 1000.0)
    for term in SUBSTANCE[report_id]:
        assert term in result.text


def test_detection_recall_on_the_demo_corpus() -> None:
    s = score()
    assert s.recall >= 0.95, s.misses
    assert s.precision >= 0.9, s.false_alarms


def test_a_marginal_risk_hook_is_honoured() -> None:
    report = WORLD.report("rpt-2024-101")

    def risk(source: Source, levels: object) -> float:
        # P(identified | k) for an adversary that can vet 60 candidates.
        return min(1.0, 60 / k_of(source, dict(levels)))  # type: ignore[call-overload]

    result = sanitize(
        report, _sources(report), target_k=1000, risk=risk, max_risk=0.01, world=WORLD
    )
    (heron,) = result.sources
    assert heron.marginal_risk is not None
    assert heron.marginal_risk <= 0.01
    assert heron.k >= 6000
