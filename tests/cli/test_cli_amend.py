"""Amending the world through the CLI, on SQLite and PostgreSQL: protocol versions and
retirement, source status and fields, report versions, scenario files carrying changes. Each
amendment is named, reasoned, audited and ledgered; refused conflicts leave the database exactly
as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tests.samples import SMALL

runner = CliRunner()
DAY = "2025-06-01"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> dict[str, object]:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return dict(json.loads(out))


@pytest.fixture
def world(home: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEARLINE_DB_URL", db_url)
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert run("load", str(path))[0] == 0
    # SMALL's one report is released to both partners: a second one keeps decisions pending.
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    assert run("load", str(extra))[0] == 0
    return tmp_path


EXTRA = """\
tearline: 1
reports:
  - id: rep-2
    title: Yard activity
    category: counter-proliferation
    classification: SECRET
    originator: home
    sources: [src-kestrel]
    text: Activity at the northern yard increased in May.
"""


def snapshot() -> tuple[str, list[object], int, list[object]]:
    """Everything a refused amendment must leave alone: the world, the trail, the ledger,
    the protocol versions."""
    code, exported, err = run("export", "-", "--reveal")
    assert code == 0, err
    history = ok("history")
    return exported, history["audit"], ok("ledger", "verify")["size"], history["protocols"]  # type: ignore[return-value]


PROTOCOL_V2 = """\
tearline: 1
protocols:
  - id: alliance-standard
    name: Alliance standard (tearlines only)
    applies_to: [alliance]
    version: {version}
    rules:
      - {{id: tearline-k, effect: permit, release: tearline, when: {{k_at_least: 2}}}}
"""


def test_a_protocol_version_supersedes_and_history_is_kept(world: Path) -> None:
    before = ok("decide", "--as-of", DAY)
    assert {d["decision"] for d in before["decisions"]} == {"full"}  # type: ignore[index, union-attr]
    path = world / "v2.yaml"
    path.write_text(PROTOCOL_V2.format(version=2), encoding="utf-8")
    result = ok(
        "protocol", "add", str(path), "--reason", "tearlines only", "--as", "ana", "--as-of", DAY
    )
    (amendment,) = result["amendments"]  # type: ignore[misc]
    assert amendment["action"] == "protocol.version"
    assert amendment["changes"] == {"version": [1, 2]}
    # The change re-decides at once, like whatif: both partners go from full to tearline.
    changes = {(c["partner"], c["before"], c["after"]) for c in result["decision_changes"]}  # type: ignore[union-attr]
    assert changes == {("hub", "full", "tearline"), ("ally", "full", "tearline")}
    history = ok("history")
    versions = [(p["id"], p["version"], p["reason"]) for p in history["protocols"]]  # type: ignore[union-attr]
    assert ("alliance-standard", 1, "") in versions
    assert ("alliance-standard", 2, "tearlines only") in versions
    assert history["audit"][-1]["who"] == "ana"  # type: ignore[index]
    assert ok("list", "protocols")["protocols"][0]["version"] == 2  # type: ignore[index]


def test_retiring_a_protocol_withholds_what_it_alone_allowed(world: Path) -> None:
    result = ok(
        "protocol", "retire", "alliance-standard", "--reason", "talks ended", "--as-of", DAY
    )
    assert result["amendments"][0]["changes"] == {"version": [1, 2], "retired": [False, True]}  # type: ignore[index]
    assert {c["after"] for c in result["decision_changes"]} == {"withhold"}  # type: ignore[union-attr]
    assert ok("list", "protocols")["protocols"] == []
    decided = ok("decide", "--as-of", DAY)["decisions"]
    assert all("no protocol applies" in d["reasons"][0] for d in decided)  # type: ignore[union-attr, index]


def test_a_compromised_source_withholds_and_lists_its_past_releases(world: Path) -> None:
    result = ok(
        "source", "set", "src-kestrel", "--status", "compromised",
        "--reason", "arrested on 30 May", "--as", "handler-1", "--as-of", DAY,
    )  # fmt: skip
    (amendment,) = result["amendments"]  # type: ignore[misc]
    assert amendment["changes"] == {"status": ["active", "compromised"]}
    # Both pending pairs (rep-1 rests on KESTREL) become withhold, with the reason.
    assert result["redecided"] == 2
    for change in result["decision_changes"]:  # type: ignore[union-attr]
        assert change["after"] == "withhold"
        assert "compromised source src-kestrel" in change["reasons"][0]
    # Every release already made that rests on it, for the handler.
    resting = result["releases_resting_on_compromised"]
    assert {(r["partner"], r["version"], r["origin"]) for r in resting} == {  # type: ignore[union-attr]
        ("hub", "full", "imported"),
        ("ally", "tearline", "imported"),
    }
    assert [r["at"][:10] for r in resting] == ["2025-03-21", "2025-03-22"]  # type: ignore[union-attr, index]
    # From now on nothing resting on it leaves, whatever the protocols say.
    code, out, _ = run("release", "rep-1", "--to", "ally", "--out", str(world / "out"), "--json")
    assert code == 0
    assert json.loads(out)["releases"] == []
    entry = ok("history", "--who", "handler-1")["audit"][0]  # type: ignore[index]
    assert entry["action"] == "source.amend"
    assert entry["reason"] == "arrested on 30 May"
    # A compromised source stays compromised.
    code, _, err = run("source", "set", "src-kestrel", "--status", "active", "--reason", "x")
    assert code == 2
    assert "cannot become active" in err


def test_source_threshold_population_and_attributes(world: Path) -> None:
    result = ok(
        "source", "set", "src-kestrel", "--max-risk", "0.01", "--population", "9000",
        "--selectivity", "travel=0.05", "--reason", "new census", "--as-of", DAY,
    )  # fmt: skip
    assert result["amendments"][0]["changes"] == {  # type: ignore[index]
        "max_risk": [0.02, 0.01],
        "population": [12000, 9000],
        "attributes.travel.selectivity": [0.01, 0.05],
    }
    shown = ok("show", "src-kestrel")["source"]
    assert shown["population"] == 9000
    assert shown["max_risk"] == 0.01


def test_a_report_version_keeps_released_copies_on_theirs(world: Path) -> None:
    out = world / "out"
    first = (
        ok("release", "rep-1", "--to", "ally", "--out", str(out), "--as-of", DAY) if False else None
    )
    assert first is None
    code, stdout, err = run("release", "rep-1", "--to", "ally", "--out", str(out), "--json")
    assert code == 0, err
    (copy,) = json.loads(stdout)["releases"]
    corrected = world / "corrected.txt"
    corrected.write_text(
        "A source in the defence ministry reports that guidance sets were ordered in April.\n",
        encoding="utf-8",
    )
    result = ok("report", "amend", "rep-1", "--text", str(corrected), "--reason", "month corrected")
    assert result["amendments"][0]["changes"]["version"] == [1, 2]  # type: ignore[index]
    # The copy already released keeps version 1, and its ledger leaf names it.
    receipt = ok("ledger", "receipt", copy["id"], "--out", str(world / "r.json"))
    assert receipt["leaf"]["report_version"] == 1  # type: ignore[index]
    code, stdout, err = run("release", "rep-1", "--to", "hub", "--out", str(out), "--json")
    assert code == 0, err
    (second,) = json.loads(stdout)["releases"]
    receipt = ok("ledger", "receipt", second["id"], "--out", str(world / "r2.json"))
    assert receipt["leaf"]["report_version"] == 2  # type: ignore[index]
    assert "April" in Path(second["file"]).read_text(encoding="utf-8")
    assert ok("ledger", "verify")["ok"] is True


AMENDING_FILE = """\
tearline: 1
sources:
  - id: src-kestrel
    codename: KESTREL
    population: 12000
    threatened_by: [adv]
    max_risk: 0.02
    status: extracted
    attributes:
      - {name: employer, kind: employer, value: procurement directorate of the defence ministry, selectivity: 0.02}
protocols:
  - id: alliance-standard
    name: Alliance standard
    applies_to: [alliance]
    version: 3
    rules:
      - {id: tearline-k, effect: permit, release: tearline, when: {k_at_least: 2}}
reports:
  - id: rep-1
    version: 2
    title: Procurement of guidance sets (corrected)
    category: counter-proliferation
    classification: SECRET
    sources: [src-kestrel]
    approved_for: [alliance]
    text: Guidance sets were ordered.
"""


def test_load_applies_a_files_changes_as_named_amendments(world: Path) -> None:
    path = world / "amend.yaml"
    path.write_text(AMENDING_FILE, encoding="utf-8")
    code, _, err = run("load", str(path))
    assert code == 2
    assert "--reason" in err  # an amendment must say why
    code, out, err = run("load", str(path), "--reason", "quarterly review", "--as-of", DAY)
    assert code == 0, err
    for named in (
        "source.amend src-kestrel",
        "status: active → extracted",
        "protocol.version alliance-standard",
        "version: 1 → 3",
        "report.version rep-1",
        "version: 1 → 2",
    ):
        assert named in out
    actions = [e["action"] for e in ok("history")["audit"]]  # type: ignore[union-attr]
    assert actions[-4:] == ["load", "protocol.version", "source.amend", "report.version"]
    assert ok("show", "src-kestrel")["source"]["status"] == "extracted"  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["protocol", "retire", "no-such", "--reason", "r"], "no protocol with id 'no-such'"),
        (["source", "set", "no-such", "--status", "retired", "--reason", "r"], "no source"),
        (["source", "set", "src-kestrel", "--selectivity", "nope=0.1", "--reason", "r"], "nope"),
        (
            ["source", "set", "src-kestrel", "--status", "active", "--reason", "r"],
            "nothing to amend",
        ),
        (["report", "amend", "no-such", "--title", "t", "--reason", "r"], "no report"),
        (["source", "set", "src-kestrel", "--status", "retired", "--reason", " "], "--reason"),
    ],
)
def test_refused_amendments_change_nothing(world: Path, args: list[str], message: str) -> None:
    before = snapshot()
    code, _, err = run(*args)
    assert code == 2
    assert message in err
    assert snapshot() == before


def test_an_older_version_is_refused_and_changes_nothing(world: Path) -> None:
    path = world / "v2.yaml"
    path.write_text(PROTOCOL_V2.format(version=2), encoding="utf-8")
    assert run("protocol", "add", str(path), "--reason", "r", "--as-of", DAY)[0] == 0
    before = snapshot()
    for version in (1, 2):
        path.write_text(PROTOCOL_V2.format(version=version), encoding="utf-8")
        for command in (
            ["protocol", "add", str(path), "--reason", "r"],
            ["load", str(path), "--reason", "r"],
        ):
            code, _, err = run(*command)
            assert code == 2, command
            assert "not newer than the stored version 2" in err
    # An unknown id through `protocol add` (new protocols come with `load`).
    path.write_text(
        PROTOCOL_V2.format(version=1).replace("alliance-standard", "fresh"), encoding="utf-8"
    )
    code, _, err = run("protocol", "add", str(path), "--reason", "r")
    assert code == 2
    assert "unknown protocol id 'fresh'" in err
    # A whole file is refused when one amendment in it conflicts.
    mixed = AMENDING_FILE.replace("version: 3", "version: 2")
    path.write_text(mixed, encoding="utf-8")
    code, _, err = run("load", str(path), "--reason", "r")
    assert code == 2
    assert "not newer" in err
    assert snapshot() == before
