"""`tearline demo` and the demo world it ships."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.demo import demo_text
from tearline.domain import ActorKind, SourceStatus, Version
from tearline.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_examples_copy_is_the_shipped_world() -> None:
    assert (ROOT / "examples" / "demo-world.yaml").read_text(encoding="utf-8") == demo_text()


def test_demo_world_poses_the_dilemma() -> None:
    world = parse_scenario(demo_text(), "demo-world.yaml").world
    adversaries = world.actors_of_kind(ActorKind.ADVERSARY)
    assert adversaries
    assert len(world.actors_of_kind(ActorKind.ORIGINATOR)) == 1
    # A five-member alliance...
    alliances = [g for g in world.groups if len(world.group_members(g.id)) == 5]
    assert alliances
    members = world.group_members(alliances[0].id)
    # ...whose hub drew closer to an adversary on all four planes over two years.
    drifting = [
        (m, a.id)
        for m in members
        for a in adversaries
        if len(h := world.tie_history(m, a.id)) >= 4
        and (h[-1].as_of - h[0].as_of).days >= 700
        and all(h[-1].strength(d) > h[0].strength(d) for d in h[0].strengths())
    ]
    assert drifting
    # Two regional partners outside the alliance; a third party tied to an adversary.
    partners = {a.id for a in world.actors_of_kind(ActorKind.PARTNER)}
    assert len(partners - members) >= 2
    thirds = {a.id for a in world.actors_of_kind(ActorKind.THIRD_PARTY)}
    assert any(t.source in thirds and t.target in {a.id for a in adversaries} for t in world.ties)
    assert any(t.source in partners - members and t.target in thirds for t in world.ties)
    # Sources, attributes, reports with identifying text, a precedent.
    assert len(world.sources) >= 8
    assert all(4 <= len(x.attributes) <= 7 for x in world.sources)
    assert len(world.reports) >= 30
    identifying = 0
    for report in world.reports:
        text = " ".join(report.text.lower().split())
        for source_id in report.sources:
            source = world.source(source_id)
            phrases = [m for a in source.attributes for m in (a.value, *a.mentions)]
            if any(" ".join(p.lower().split()) in text for p in phrases):
                identifying += 1
                break
    assert identifying >= 20
    precedent = [x for x in world.sources if x.status is SourceStatus.EXTRACTED]
    assert precedent
    hub = drifting[0][0]
    assert any(
        r.partner == hub
        and r.version is Version.FULL
        and precedent[0].id in world.report(r.report).sources
        for r in world.releases
    )
    assert all(r.at.date() <= date(2026, 11, 28) for r in world.releases)


def test_demo_runs_on_a_fresh_embedded_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--home", str(tmp_path), "demo"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Drift: aldren → kharovia" in out
    assert "Precedent: KESTREL" in out
    # Identities are never shown.
    world = parse_scenario(demo_text()).world
    for source in world.sources:
        assert source.identity is not None
        assert source.identity not in out
    db = (tmp_path / "demo" / "tearline.db").read_bytes()
    assert all(source.identity.encode() not in db for source in world.sources if source.identity)


def test_demo_is_repeatable_and_json(tmp_path: Path) -> None:
    first = runner.invoke(app, ["--home", str(tmp_path), "demo", "--json"])
    second = runner.invoke(app, ["--home", str(tmp_path), "demo", "--json"])
    assert first.exit_code == second.exit_code == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)
    document = json.loads(first.stdout)
    assert document["counts"]["reports"] >= 30
    assert document["drifts"][0]["source"] == "aldren"
    assert all(v > 0 for v in document["drifts"][0]["change"].values())
    # The decision matrix, the hub's drift re-assessed, a release through the
    # one decision function.
    assert len(document["decisions"]) > 100
    drift = document["drift_reassessment"]
    assert drift["hub"] == "aldren"
    assert any(
        c["partner"] == "aldren" and c["after"] == "withhold" for c in drift["decision_changes"]
    )
    assert all(s["after"] >= s["before"] for s in drift["sources_at_risk"])
    # The unpredictable hub: its reach as a range whose 99th percentile is the
    # impulsive jump, and the alliance restricting it in turn.
    hub = document["unpredictable_hub"]
    usual, tail = hub["reach"]["uncertainty"], hub["reach"]["tail"]
    assert usual["low"] <= usual["median"] <= usual["high"] < tail["high"] == 1.0
    rounds = [[x["ally"] for x in r["restricting"]] for r in hub["cascade"]["rounds"]]
    assert rounds[:2] == [["brisca"], ["dalmark"]]
    assert all(s["after"] <= s["before"] for s in hub["cascade"]["exposure"])
    release = document["release"]
    assert {r["partner"] for r in release["releases"]} == {"brisca", "corvel", "dalmark", "estarre"}
    assert [w["partner"] for w in release["withheld"]] == ["aldren"]
    for copy in release["releases"]:
        assert Path(copy["file"]).exists()
    # An unverified tearline, approved by a named reviewer for its exact text.
    approval = document["approval"]
    assert approval["k_verified"] is False
    assert approval["review"]
    assert approval["approval"]["reviewer"]
    assert len(approval["approval"]["text_sha256"]) == 64
    # A tearline beside its original, meeting its target.
    tearline = document["tearline"]
    assert tearline["tearline"] != tearline["original"]
    assert all(s["k_after"] >= tearline["target_k"] for s in tearline["sources"])
    # The ledger verified, one receipt checked with the public key alone.
    ledger = document["ledger"]
    assert ledger["size"] >= len(release["releases"])
    assert ledger["receipt_verified_for"] == release["releases"][0]["id"]
    # One amendment and its consequences: the warning's source marked compromised by its
    # handler; its pending decisions turn to withhold; the releases resting on it are listed.
    amendment = document["amendment"]
    assert amendment["by"] == "demo-handler"
    (change,) = amendment["amendments"]
    assert change["changes"] == {"status": ["active", "compromised"]}
    assert amendment["decision_changes"]
    assert {c["after"] for c in amendment["decision_changes"]} == {"withhold"}
    resting = amendment["releases_resting_on_compromised"]
    assert {r["id"] for r in release["releases"]} <= {r["release"] for r in resting}
    assert all(amendment["source"] in r["sources"] for r in resting)


def test_docs_example_loads() -> None:
    text = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    block = re.search(r"## A complete example\n\n```yaml\n(.*?)```", text, re.S)
    assert block is not None
    world = parse_scenario(block.group(1), "docs/scenario.md").world
    assert world.counts()["reports"] == 1
