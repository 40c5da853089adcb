"""Hostile scenario files: every one exits 2 naming the file, line and field, quickly, and
a failing load on a fresh home creates nothing (issue 12's list, case by case)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.scenario.limits import MAX_DEPTH, MAX_FILE_BYTES

runner = CliRunner()


@pytest.fixture(autouse=True)
def _someone_acts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Commands that change anything name who acts; the refusal must be about the file.
    monkeypatch.setenv("TEARLINE_USER", "tester")


HEAD = """\
tearline: 1
actors:
  - {id: home, kind: originator, protection: 1.0}
  - {id: p, kind: partner, protection: 0.5}
  - {id: adv, kind: adversary, protection: 0.0, capacity: 10}
"""

SOURCE = """\
sources:
  - id: s1
    population: {population}
    threatened_by: [adv]
"""

PROTOCOL = """\
protocols:
  - id: pr
    applies_to: [p]
    version: {version}
    rules:
      - {{id: r, effect: permit, when: {{k_at_least: {k}}}}}
"""

# (case, file text, text the message must contain, line it must name)
CASES: list[tuple[str, str, str, int | None]] = [
    ("population beyond 64 bits", HEAD + SOURCE.format(population=2**64), "population", 8),
    ("population beyond the store", HEAD + SOURCE.format(population=2**31), "population", 8),
    (
        "capacity beyond 64 bits",
        HEAD.replace("capacity: 10", f"capacity: {2**70}"),
        "capacity",
        5,
    ),
    ("version beyond 64 bits", HEAD + PROTOCOL.format(version=2**64, k=5), "version", 9),
    ("k_at_least .inf", HEAD + PROTOCOL.format(version=1, k=".inf"), "finite", 11),
    ("k_at_least .nan", HEAD + PROTOCOL.format(version=1, k=".nan"), "finite", 11),
    ("k_at_least 1e300", HEAD + PROTOCOL.format(version=1, k="1e300"), "k_at_least", 11),
    (
        "impossible date",
        HEAD + "ties:\n  - {from: p, to: adv, as_of: 2024-02-30, intelligence: 0.5}\n",
        "2024-02-30",
        7,
    ),
    (
        "year zero",
        HEAD + "ties:\n  - {from: p, to: adv, as_of: 0000-01-01, intelligence: 0.5}\n",
        "0000-01-01",
        7,
    ),
    (
        "offset +25:00",
        HEAD
        + "reports:\n  - {id: r1, title: t, category: c, classification: S, text: x}\n"
        + "releases:\n  - {report: r1, partner: p, version: full, at: 2025-01-01T00:00:00+25:00}\n",
        "+25:00",
        9,
    ),
    ("recursive alias", HEAD + "groups: &g\n  - {id: g1, members: *g}\n", "contains it", 7),
    ("5,000-deep nesting", HEAD + "groups: " + "[" * 5000 + "]" * 5000 + "\n", "", 6),
    (
        "NUL byte",
        HEAD.replace(
            "kind: partner, protection: 0.5}", 'kind: partner, name: "a\\0b", protection: 0.5}'
        ),
        "NUL",
        4,
    ),
    (
        "lone surrogate",
        HEAD.replace(
            "kind: partner, protection: 0.5}", 'kind: partner, name: "a\\ud800", protection: 0.5}'
        ),
        "Unicode",
        4,
    ),
    (
        "ANSI escape in a name",
        HEAD.replace(
            "kind: partner, protection: 0.5}", 'kind: partner, name: "\\e[31mred", protection: 0.5}'
        ),
        "U+001B",
        4,
    ),
    ("Rich markup in an id", HEAD.replace("id: p,", "id: '[/x]',"), "not a valid id", 4),
    ("slash in an id", HEAD.replace("id: p,", "id: a/b,"), "not a valid id", 4),
    ("dot-dot in an id", HEAD.replace("id: p,", "id: ../x,"), "not a valid id", 4),
    ("boolean format version", HEAD.replace("tearline: 1", "tearline: true"), "tearline", 1),
    ("boolean protection", HEAD.replace("protection: 0.5", "protection: yes"), "protection", 4),
    ("string protection", HEAD.replace("protection: 0.5", "protection: '0.5'"), "protection", 4),
    (
        "boolean population",
        HEAD + SOURCE.format(population="true"),
        "population",
        8,
    ),
    (
        "number as a date",
        HEAD + "ties:\n  - {from: p, to: adv, as_of: 5, intelligence: 0.5}\n",
        "as_of",
        7,
    ),
]

BILLION_LAUGHS = (
    HEAD
    + "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 10))
)
# A 330-byte-class bomb through merge keys.
MERGE_BOMB = (
    HEAD
    + "a0: &a0 {x: 1, y: 2}\n"
    + "".join(
        f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]}}\n" for i in range(1, 14)
    )
)
CASES += [
    ("billion laughs", BILLION_LAUGHS, "nodes", None),
    ("nested merge-key anchors", MERGE_BOMB, "nodes", None),
]


def _load(home: Path, path: Path) -> tuple[int, str, float]:
    started = time.perf_counter()
    result = runner.invoke(app, ["--home", str(home), "load", str(path)])
    return result.exit_code, result.stderr, time.perf_counter() - started


@pytest.mark.parametrize(("case", "text", "needle", "line"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file_exits_2_naming_line_and_field_and_leaves_nothing(
    tmp_path: Path, case: str, text: str, needle: str, line: int | None
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    home = tmp_path / "home"
    code, err, _ = _load(home, path)
    assert code == 2, err
    assert "Traceback" not in err
    assert str(path) in err
    if line is not None:
        assert f"{path}:{line}:" in err, err
    assert needle in err, err
    assert not home.exists()  # a failing load on a fresh home creates nothing


def test_bombs_are_refused_before_they_cost_anything(tmp_path: Path) -> None:
    for text in (BILLION_LAUGHS, MERGE_BOMB):
        path = tmp_path / "bomb.yaml"
        path.write_text(text, encoding="utf-8")
        code, _, seconds = _load(tmp_path / "home", path)
        assert code == 2
        # Not a timing assertion on speed, a guard against exponential work: the
        # unguarded merge bomb ran for over a minute.
        assert seconds < 30


def test_a_file_above_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + "#" * (MAX_FILE_BYTES + 1) + "\n", encoding="utf-8")
    code, err, _ = _load(tmp_path / "home", path)
    assert code == 2
    assert "above the limit" in err


def test_nesting_at_the_limit_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    path.write_text(HEAD + f"groups: {deep}\n", encoding="utf-8")
    code, err, _ = _load(tmp_path / "home", path)
    assert code == 2
    assert f"{path}:6:" in err
