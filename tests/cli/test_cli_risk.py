"""reach, assess, exposure and decide through the CLI, on the demo world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-world.yaml"
DAY = "2026-11-28"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    result = runner.invoke(app, ["--home", str(home), "load", str(DEMO)])
    assert result.exit_code == 0, result.stderr
    return home


def run(home: Path, *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["--home", str(home), *args])
    out = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return result.exit_code, out, result.stderr


def test_reach_json_shape(demo_home: Path) -> None:
    code, doc, _ = run(
        demo_home, "reach", "--from", "aldren", "--to", "kharovia", "--as-of", DAY, "--json"
    )
    assert code == 0
    (pair,) = doc["pairs"]
    assert pair["from"] == "aldren"
    assert pair["to"] == "kharovia"
    assert pair["method"] == "exact"
    assert pair["ci"] is None
    assert 0.3 < pair["reach"] < 0.35  # the hub is past the demo's 0.3 ceiling today
    assert pair["paths"][0]["actors"] == ["aldren", "kharovia"]
    assert doc["seed"] == 0


def test_reach_rises_with_the_hub_drift(demo_home: Path) -> None:
    reaches = []
    for day in ("2024-12-01", "2025-12-01", DAY):
        _, doc, _ = run(
            demo_home, "reach", "--from", "aldren", "--to", "kharovia", "--as-of", day, "--json"
        )
        reaches.append(doc["pairs"][0]["reach"])
    assert reaches == sorted(reaches)
    assert reaches[0] < reaches[-1]


def test_reach_monte_carlo_has_an_interval(demo_home: Path) -> None:
    code, doc, _ = run(
        demo_home,
        "reach",
        "--from",
        "brisca",
        "--to",
        "sarn",
        "--samples",
        "4096",
        "--as-of",
        DAY,
        "--json",
    )
    assert code == 0
    (pair,) = doc["pairs"]
    assert pair["method"] == "monte-carlo"
    assert doc["worlds"] >= 4096
    lo, hi = pair["ci"]
    assert lo <= pair["reach"] <= hi
    _, exact, _ = run(
        demo_home, "reach", "--from", "brisca", "--to", "sarn", "--as-of", DAY, "--json"
    )
    assert exact["pairs"][0]["method"] == "exact"
    assert lo - 0.01 <= exact["pairs"][0]["reach"] <= hi + 0.01


def test_reach_rejects_contradictory_options(demo_home: Path) -> None:
    code, _, _ = run(demo_home, "reach", "--exact", "--samples", "100")
    assert code == 2


def test_assess_json_shape(demo_home: Path) -> None:
    code, doc, _ = run(
        demo_home, "assess", "rpt-2026-116", "--partner", "brisca", "--as-of", DAY, "--json"
    )
    assert code == 0
    assert doc["report"] == "rpt-2026-116"
    assert doc["version"] == "full"
    for source in doc["sources"]:
        assert source["after"] >= source["before"] - 1e-12
        assert {"adversary", "before", "after", "reach", "paths"} <= set(source["adversaries"][0])


def test_exposure_flags_the_sources_over_threshold(demo_home: Path) -> None:
    code, doc, _ = run(demo_home, "exposure", "--as-of", DAY, "--json")
    assert code == 0
    by_id = {s["source"]: s for s in doc["sources"]}
    assert by_id["src-kestrel"]["exceeds"]
    drivers = by_id["src-kestrel"]["drivers"]
    assert drivers[0]["partner"] == "aldren"
    assert all(s["exceeds"] == (s["risk"] > s["max_risk"]) for s in doc["sources"])


def test_decide_json_and_reasons(demo_home: Path) -> None:
    code, doc, _ = run(demo_home, "decide", "--report", "rpt-2026-116", "--as-of", DAY, "--json")
    assert code == 0
    decisions = {d["partner"]: d for d in doc["decisions"]}
    # The hub is past the reach ceiling: nothing at all goes to it.
    assert decisions["aldren"]["decision"] == "withhold"
    assert any("reach-ceiling" in r for r in decisions["aldren"]["reasons"])
    assert set(decisions["aldren"]["figures"]) == {"full", "tearline"}


def test_unknown_report_exits_2(demo_home: Path) -> None:
    code, _, err = run(demo_home, "assess", "nope", "--partner", "brisca")
    assert code == 2
    assert "nope" in err
