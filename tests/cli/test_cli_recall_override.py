"""Recall and override through the CLI, on SQLite and PostgreSQL.

A recall is recorded (its own ledger leaf, shown in history) and carried to the partner with
its next delivery. An override (duty to warn) needs a second named person distinct from the
releaser; it makes a tearline unless the approver asks for the full version, and it is recorded
and ledgered as an override."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tests.cli.test_cli_amend import EXTRA
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
    for name, text in (("small.yaml", SMALL), ("extra.yaml", EXTRA)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert run("load", str(tmp_path / name))[0] == 0
    return tmp_path


def test_a_recall_is_recorded_and_goes_with_the_next_delivery(world: Path) -> None:
    size = ok("ledger", "verify")["size"]
    made = ok("recall", "rel-two", "--reason", "KESTREL at risk", "--as", "ana")
    assert made["partner"] == "ally"
    assert ok("ledger", "verify")["size"] == size + 1  # a leaf of its own
    entry = ok("history", "--partner", "ally")["audit"][-1]  # type: ignore[index]
    assert (entry["action"], entry["subject"], entry["who"]) == ("recall", "rel-two", "ana")
    assert entry["reason"] == "KESTREL at risk"
    code, _, err = run("recall", "rel-two", "--reason", "again")
    assert code == 2
    assert "already recalled" in err
    assert run("recall", "no-such", "--reason", "r")[0] == 2
    # Ally's next copy carries the notice (not the internal reason); the one after does not.
    code, out, err = run("release", "rep-2", "--to", "ally", "--out", str(world / "o"), "--json")
    assert code == 0, err
    (copy,) = json.loads(out)["releases"]
    assert copy["recalls_delivered"] == ["rel-two"]
    text = Path(copy["file"]).read_text(encoding="utf-8").split("-" * 72)[0]
    assert "RECALL: release rel-two is withdrawn" in text
    assert "KESTREL" not in text
    assert ok("history")["audit"][-1]["details"]["recalls_delivered"] == ["rel-two"]  # type: ignore[index]
    # (the one-line report's copy to hub would be identical to ally's: forced out here)
    code, out, _ = run(
        "release", "rep-2", "--to", "hub", "--out", str(world / "o"), "--force-untraceable",
        "--json",
    )  # fmt: skip
    (other,) = json.loads(out)["releases"]
    assert other["recalls_delivered"] == []  # hub's copy: not its recall


def _withhold_everything(world: Path) -> None:
    # A compromised source: its reports are withheld from everyone by the protocols.
    ok("source", "set", "src-kestrel", "--status", "compromised", "--reason", "r", "--as-of", DAY)


def test_an_override_needs_a_distinct_second_person(world: Path) -> None:
    _withhold_everything(world)
    before = ok("ledger", "verify")["size"], len(ok("history")["audit"])  # type: ignore[arg-type]
    base = ["release", "rep-2", "--to", "hub", "--override", "--out", str(world / "o")]
    for extra, message in (
        (["--reason", "threat to life"], "--approver"),
        (["--reason", "threat to life", "--approver", "TEST-OFFICER "], "second person"),
        (["--approver", "bob"], "--reason"),
        (["--reason", "t", "--approver", " "], "--approver"),
    ):
        code, _, err = run(*base, *extra)
        assert code == 2, extra
        assert message in err
    code, _, err = run("release", "rep-2", "--to", "hub", "--approver", "bob")
    assert code == 2
    assert "--override" in err
    after = ok("ledger", "verify")["size"], len(ok("history")["audit"])  # type: ignore[arg-type]
    assert after == before
    assert not (world / "o").exists()


@pytest.mark.parametrize("full", [False, True])
def test_an_override_releases_against_the_decision_and_is_ledgered_as_one(
    world: Path, full: bool
) -> None:
    _withhold_everything(world)
    code, out, _ = run("release", "rep-2", "--to", "hub", "--out", str(world / "o"), "--json")
    assert json.loads(out)["releases"] == []  # the protocols withhold
    asked = ["--full"] if full else []
    code, out, err = run(
        "release", "rep-2", "--to", "hub", "--override", "--approver", "bob",
        "--reason", "threat to life: attack planned for Friday", "--out", str(world / "o"),
        "--json", *asked,
    )  # fmt: skip
    assert code == 0, err
    (copy,) = json.loads(out)["releases"]
    assert copy["override"] is True
    assert copy["protocols_decided"] == "withhold"
    assert copy["version"] == ("full" if full else "tearline")
    receipt = ok("ledger", "receipt", copy["id"], "--out", str(world / "r.json"))
    assert receipt["leaf"]["origin"] == "override"  # type: ignore[index]
    entry = ok("history")["audit"][-1]  # type: ignore[index]
    assert entry["action"] == "override"
    assert entry["who"] == "test-officer"
    assert entry["details"]["approver"] == "bob"
    assert entry["reason"] == "threat to life: attack planned for Friday"
    assert ok("ledger", "verify")["ok"] is True
