"""The independently written reports of ``tests.sanitize.corpus``: the same
invariants and the same prose checker as the demo corpus, at every target."""

from __future__ import annotations

from functools import cache

import pytest

from tearline.sanitize import Sanitized, disclosures, sanitize
from tearline.sanitize.generalize import k_of
from tests.sanitize import prose
from tests.sanitize.corpus import CASES, Case

BY_ID = {case.id: case for case in CASES}


@cache
def tearline(case_id: str, target: float) -> Sanitized:
    case = BY_ID[case_id]
    return sanitize(case.text, case.sources, target_k=target)


def test_the_corpus_is_varied() -> None:
    assert 5 <= len(CASES) <= 8
    assert len({s.id for case in CASES for s in case.sources}) >= 6


@pytest.mark.parametrize("target", prose.TARGETS)
@pytest.mark.parametrize("case_id", sorted(BY_ID))
def test_the_target_holds_and_nothing_new_is_disclosed(case_id: str, target: float) -> None:
    case: Case = BY_ID[case_id]
    result = tearline(case_id, target)
    before = disclosures(case.text, case.sources)
    after = disclosures(result.text, case.sources)
    for source in case.sources:
        levels = {a: lv for (s, a), lv in after.items() if s == source.id}
        if source.population >= target:
            assert k_of(source, levels) >= target, (source.id, levels)
    for key, level in after.items():
        assert key in before
        assert level >= before[key]


@pytest.mark.parametrize("target", prose.TARGETS)
@pytest.mark.parametrize("case_id", sorted(BY_ID))
def test_the_tearline_reads_as_prose(case_id: str, target: float) -> None:
    result = tearline(case_id, target)
    assert prose.problems(result.original, result.text) == []


@pytest.mark.parametrize("case_id", sorted(BY_ID))
def test_the_change_log_rebuilds_it_and_the_substance_survives(case_id: str) -> None:
    for target in prose.TARGETS:
        result = tearline(case_id, target)
        rebuilt, cursor = "", 0
        for change in result.changes:
            rebuilt += result.original[cursor : change.start] + change.after
            cursor = change.end
        assert rebuilt + result.original[cursor:] == result.text
        for term in BY_ID[case_id].substance:
            assert term in result.text, (target, term)
