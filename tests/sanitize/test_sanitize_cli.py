"""`tearline sanitize` end to end, through the real Typer app, on the demo world."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.sanitize.targets import tearline_target_k
from tests.sanitize.evaluate import demo_world

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded(home: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo-world.yaml"
    path.write_text(
        (resources.files("tearline.data") / "demo-world.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    code, _, err = run("load", str(path))
    assert code == 0, err
    return home


def test_json_document(loaded: Path) -> None:
    code, out, _ = run("sanitize", "rpt-2026-052", "--partner", "pellaro", "--json")
    doc = json.loads(out)
    # Exit 1 is the finding "unverified and not approved".
    assert code == (0 if doc["k_verified"] else 1)
    assert {"k_verified", "review", "approval", "header", "text_sha256"} <= set(doc)
    assert doc["k_verified"] == (doc["review"] == [])
    assert {"report", "partner", "text", "changes", "sources"} <= set(doc)
    assert doc["report"] == "rpt-2026-052"
    assert doc["partner"] == "pellaro"
    assert doc["target_k"] == 2000
    assert doc["target_from"] == "protocol"
    for change in doc["changes"]:
        assert {"start", "end", "before", "after", "attribute", "kind", "why"} <= set(change)
    (source,) = doc["sources"]
    assert source["source"] == "src-tern"
    assert source["k"] >= 2000
    assert source["marginal_risk"] is None
    assert "0391 204 7765" not in doc["text"]


def test_target_k_wins_and_stands_alone(loaded: Path) -> None:
    code, out, _ = run(
        "sanitize", "rpt-2024-101", "--partner", "aldren", "--target-k", "500", "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["target_k"] == 500
    assert doc["target_from"] == "option"
    code, out, _ = run("sanitize", "rpt-2024-101", "--json")
    assert json.loads(out)["target_from"] == "default"


def test_an_unreachable_target_is_a_finding(loaded: Path) -> None:
    # WREN's population is 3,000: no tearline can hide it among 10,000.
    code, out, _ = run("sanitize", "rpt-2025-083", "--target-k", "10000", "--json")
    assert code == 1
    assert json.loads(out)["meets_target"] is False


def test_human_view_shows_a_diff_and_the_changes(loaded: Path) -> None:
    code, out, _ = run("sanitize", "rpt-2025-007", "--partner", "istrel")
    assert code in (0, 1)
    assert ("k verified" in out) == (code == 0)
    assert "Tearline of rpt-2025-007 for istrel" in out
    assert "Changes" in out
    assert "Sources" in out


def test_unknown_report_or_partner_is_bad_input(loaded: Path) -> None:
    assert run("sanitize", "rpt-nope")[0] == 2
    assert run("sanitize", "rpt-2024-101", "--partner", "nobody")[0] == 2


def test_protocol_targets() -> None:
    world = demo_world()
    # Aldren: the alliance asks k >= 1,000, the interim measures forbid k < 5,000.
    assert tearline_target_k(world, "aldren") == 5000
    assert tearline_target_k(world, "brisca") == 1000
    assert tearline_target_k(world, "istrel") == 500
    assert tearline_target_k(world, "pellaro") == 2000
