"""whatif, reassess and history through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tests.protocols.test_protocols_reassess import OPEN

runner = CliRunner()
DAY = "2026-11-28"
CHANGE = "ally->adv:intelligence=0.9"


@pytest.fixture
def open_home(tmp_path: Path) -> Path:
    scenario = tmp_path / "open.yaml"
    scenario.write_text(OPEN, encoding="utf-8")
    home = tmp_path / "home"
    assert runner.invoke(app, ["--home", str(home), "load", str(scenario)]).exit_code == 0
    return home


def invoke(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


def test_whatif_reports_and_writes_nothing(open_home: Path) -> None:
    before = invoke(open_home, "export", "-")[1]
    code, out, _ = invoke(open_home, "whatif", "--tie", CHANGE, "--as-of", DAY, "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "as_of",
        "decision_changes",
        "sources_at_risk",
        "already_above_threshold",
        "partners_moved",
        "adjustments",
    }
    (adjustment,) = doc["adjustments"]
    assert adjustment["partner"] == "ally"
    assert adjustment["action"] == "tearline only"
    assert adjustment["rules"] == [{"id": "no-full", "effect": "forbid", "release": "full"}]
    assert invoke(open_home, "export", "-")[1] == before


def test_whatif_needs_a_change(open_home: Path) -> None:
    code, _, _ = invoke(open_home, "whatif")
    assert code == 2


def test_whatif_bad_change_exits_2_naming_the_option(open_home: Path) -> None:
    code, _, err = invoke(open_home, "whatif", "--tie", "ally->adv:navy=0.2")
    assert code == 2
    assert "--tie" in err
    assert "'navy' is not one of" in err


def test_reassess_apply_records_ties_and_protocol_versions(open_home: Path, tmp_path: Path) -> None:
    code, out, _ = invoke(
        open_home,
        "reassess",
        "--tie",
        CHANGE,
        "--reason",
        "pact signed",
        "--apply",
        "--as-of",
        DAY,
        "--json",
    )
    assert code == 0
    assert json.loads(out)["applied"] is True
    plot = tmp_path / "trend.png"
    code, out, _ = invoke(open_home, "history", "--partner", "ally", "--plot", str(plot), "--json")
    assert code == 0
    doc = json.loads(out)
    assert [t["as_of"] for t in doc["ties"] if t["to"] == "adv"] == ["2024-01-01", DAY]
    recorded = [p for p in doc["protocols"] if p["id"] == "reassess-ally"]
    assert recorded[0]["reason"] == "pact signed"
    assert recorded[0]["recorded_at"] is not None
    assert plot.read_bytes().startswith(b"\x89PNG")
    # The new protocol is in force: no full copies to ally any more.
    code, out, _ = invoke(open_home, "decide", "--as-of", DAY, "--json")
    assert {d["decision"] for d in json.loads(out)["decisions"]} == {"tearline"}


def test_reassess_without_apply_records_nothing(open_home: Path) -> None:
    before = invoke(open_home, "export", "-")[1]
    code, _, _ = invoke(
        open_home, "reassess", "--tie", CHANGE, "--reason", "just looking", "--as-of", DAY
    )
    assert code == 0
    assert invoke(open_home, "export", "-")[1] == before
