"""`tearline cascade` and the uncertainty figures through the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-world.yaml"
DAY = "2026-11-28"


def _certain(text: str) -> str:
    """The demo world without its uncertain inputs (the hub's impulsiveness and
    the ranged intelligence plane, replaced by its mean)."""
    text = text.replace("    impulsive: 0.02\n    impulsive_to: kharovia\n", "", 1)
    return text.replace("intelligence: [0.25, 0.55]", "intelligence: 0.40", 1)


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("cascade")
    variant = base / "certain.yaml"
    changed = _certain(DEMO.read_text(encoding="utf-8"))
    assert "impulsive" not in changed
    assert "[0.25, 0.55]" not in changed
    variant.write_text(changed, encoding="utf-8")
    out = {}
    for name, path in (("certain", variant), ("uncertain", DEMO)):
        home = base / name
        result = runner.invoke(app, ["--home", str(home), "load", str(path)])
        assert result.exit_code == 0, result.stderr
        out[name] = home
    return out


def run(home: Path, *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["--home", str(home), *args])
    out = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return result.exit_code, out, result.stderr + result.stdout


def _digest(home: Path) -> str:
    return hashlib.sha256((home / "tearline.db").read_bytes()).hexdigest()


def test_cascade_json_rounds_reach_and_exposure(homes: dict[str, Path]) -> None:
    home = homes["uncertain"]
    before = _digest(home)
    code, doc, _ = run(home, "cascade", "--restrict", "aldren", "--as-of", DAY, "--json")
    assert code == 0
    assert _digest(home) == before  # writes nothing
    assert doc["hub"] == "aldren"
    rounds = [[x["ally"] for x in r["restricting"]] for r in doc["rounds"]]
    assert rounds[0] == ["brisca"]  # its reach tolerance 0.2 is passed
    assert rounds[1] == ["dalmark"]  # us and brisca: 2 restricting
    assert all(x["intelligence_after"] == 0.0 for r in doc["rounds"] for x in r["restricting"])
    assert {r["adversary"] for r in doc["reach"]} == {"kharovia", "sarn"}
    assert doc["exposure"]
    for s in doc["exposure"]:
        assert s["after"] <= s["before"] + 1e-12
    assert any(s["after"] < s["before"] for s in doc["exposure"])
    code, again, _ = run(home, "cascade", "--restrict", "aldren", "--as-of", DAY, "--json")
    assert again == doc  # deterministic for the seed


def test_cascade_human_output_and_bad_hub(homes: dict[str, Path]) -> None:
    code, _, text = run(homes["uncertain"], "cascade", "--restrict", "aldren", "--as-of", DAY)
    assert code == 0
    assert "round 1: brisca restricts" in text
    code, _, text = run(homes["uncertain"], "cascade", "--restrict", "kharovia", "--as-of", DAY)
    assert code == 2
    assert "kharovia" in text


def test_cascade_sweep_over_dates_and_tolerances(homes: dict[str, Path]) -> None:
    code, doc, _ = run(
        homes["certain"],
        "cascade",
        "--restrict",
        "aldren",
        "--sweep-dates",
        "2025-01-01..2026-11-28",
        "--step-days",
        "365",
        "--sweep-reach",
        "0.05,0.9",
        "--json",
    )
    assert code == 0
    assert doc["runner"] == "in-process"
    assert [(r["as_of"], r["reach_tolerance"]) for r in doc["sweep"]] == [
        ("2025-01-01", 0.05),
        ("2025-01-01", 0.9),
        ("2026-01-01", 0.05),
        ("2026-01-01", 0.9),
    ]
    for r in doc["sweep"]:
        assert r["worst_exposure_after"] <= r["worst_exposure_before"] + 1e-12
    # A lower tolerance never makes fewer allies restrict (same date).
    assert len(doc["sweep"][0]["restricted"]) >= len(doc["sweep"][1]["restricted"])


def test_reach_and_exposure_show_uncertainty_only_when_inputs_are_uncertain(
    homes: dict[str, Path],
) -> None:
    code, doc, _ = run(homes["certain"], "reach", "--to", "kharovia", "--as-of", DAY, "--json")
    assert code == 0
    assert "ensemble" not in doc
    assert all("uncertainty" not in p for p in doc["pairs"])
    code, doc, _ = run(
        homes["uncertain"],
        "reach",
        "--to",
        "kharovia",
        "--as-of",
        DAY,
        "--ensemble",
        "64",
        "--json",
    )
    assert code == 0
    assert doc["ensemble"]["members"] == 64
    assert doc["ensemble"]["inputs"] == [
        "aldren impulsive → kharovia",
        "aldren→kharovia intelligence",
    ]
    hub = next(p for p in doc["pairs"] if p["from"] == "aldren")
    u = hub["uncertainty"]
    assert u["low"] <= u["median"] <= u["high"]
    assert u["quantiles"] == [0.05, 0.5, 0.95]
    assert u["high"] > u["low"]
    assert u["width_by_input"][0]["input"] in doc["ensemble"]["inputs"]
    code, doc, _ = run(
        homes["uncertain"],
        "exposure",
        "--as-of",
        DAY,
        "--ensemble",
        "16",
        "--quantiles",
        "0.1,0.5,0.9",
        "--json",
    )
    assert code == 0
    assert all(s["uncertainty"]["quantiles"] == [0.1, 0.5, 0.9] for s in doc["sources"])
    code, _, text = run(homes["uncertain"], "reach", "--quantiles", "0.9,0.5,0.1")
    assert code == 2
    assert "low ≤ median ≤ high" in text


def test_whatif_with_an_uncertain_change_ranks_the_inputs(homes: dict[str, Path]) -> None:
    code, doc, _ = run(
        homes["certain"],
        "whatif",
        "--tie",
        "aldren->kharovia:intelligence=0.3..0.8",
        "--protection",
        "pellaro=0.5~0.1",
        "--as-of",
        DAY,
        "--ensemble",
        "40",
        "--json",
    )
    assert code == 0
    assert doc["ensemble"]["inputs"] == ["aldren→kharovia intelligence", "pellaro protection"]
    kestrel = next(s for s in doc["exposure_uncertainty"] if s["source"] == "src-kestrel")
    u = kestrel["uncertainty"]
    assert u["low"] < u["high"]
    assert u["width_by_input"][0]["input"] == "aldren→kharovia intelligence"
    code, doc, _ = run(
        homes["certain"], "whatif", "--tie", "aldren->kharovia:intelligence=0.8..0.3", "--json"
    )
    assert code == 2


def test_decide_json_gives_each_figure_its_range(homes: dict[str, Path]) -> None:
    code, doc, _ = run(
        homes["uncertain"],
        "decide",
        "--partner",
        "brisca",
        "--as-of",
        DAY,
        "--ensemble",
        "30",
        "--json",
    )
    assert code == 0
    assert doc["ensemble"]["members"] == 30
    ranged = [
        f["uncertainty"]
        for d in doc["decisions"]
        for f in d["figures"].values()
        if "uncertainty" in f
    ]
    assert ranged
    for u in ranged:
        for name in ("marginal_risk", "cumulative_risk"):
            assert u[name]["low"] <= u[name]["median"] <= u[name]["high"]
    code, doc, _ = run(homes["certain"], "decide", "--partner", "brisca", "--as-of", DAY, "--json")
    assert code == 0
    assert "ensemble" not in doc
    assert all("uncertainty" not in f for d in doc["decisions"] for f in d["figures"].values())
