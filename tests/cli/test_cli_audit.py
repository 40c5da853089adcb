"""Who acts, end to end: the name is required, recorded, shown by `history`, ledgered, and the
trail is append-only (a deleted or edited entry fails `ledger verify`). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tearline.cli import app
from tearline.store.database import make_engine
from tests.samples import SMALL

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def world(home: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SMALL loaded by ana, on the database under test."""
    monkeypatch.setenv("TEARLINE_DB_URL", db_url)
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    code, _, err = run("load", str(path), "--as", "ana", "--reason", "first world")
    assert code == 0, err
    return path


def sql(statement: str) -> None:
    engine = make_engine(os.environ["TEARLINE_DB_URL"])
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def trail() -> list[dict[str, object]]:
    code, out, err = run("history", "--json")
    assert code == 0, err
    return list(json.loads(out)["audit"])


def test_a_change_without_a_name_is_a_usage_error_and_writes_nothing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEARLINE_USER")
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    code, _, err = run("load", str(path))
    assert code == 2
    assert "--as NAME" in err
    assert "TEARLINE_USER" in err
    assert not home.exists()  # not even a database
    monkeypatch.setenv("TEARLINE_USER", "   ")
    assert run("load", str(path))[0] == 2
    assert run("load", str(path), "--as", "ana")[0] == 0
    for command in (
        ["decide"],
        ["release", "rep-1", "--to", "ally"],
        ["reassess", "--tie", "hub->adv:military=+0.1", "--reason", "r", "--apply"],
    ):
        code, _, err = run(*command)
        assert code == 2, command
        assert "--as NAME" in err
    # Nothing of the refused commands reached the record; a what-if needs no name.
    assert [e["action"] for e in trail()] == ["load"]
    assert run("reassess", "--tie", "hub->adv:military=+0.1", "--reason", "what if")[0] == 0


def test_every_change_records_who_when_and_why(world: Path) -> None:
    assert run("decide", "--as", "bob")[0] == 0
    code, _, err = run(
        "reassess",
        "--tie",
        "hub->adv:military=+0.2",
        "--reason",
        "hub exercises with adv",
        "--apply",
        "--as-of",
        "2025-06-01",
    )
    assert code == 0, err
    entries = trail()
    assert [(e["action"], e["who"]) for e in entries] == [
        ("load", "ana"),
        ("decide", "bob"),
        ("reassess", "test-officer"),  # TEARLINE_USER when no --as
    ]
    load, decide, reassess = entries
    assert load["reason"] == "first world"
    assert load["details"]["imported"] == 2
    assert decide["details"]["withhold"] + decide["details"]["full"] + decide["details"][
        "tearline"
    ] == int(str(decide["subject"]).split()[0])
    assert reassess["reason"] == "hub exercises with adv"
    assert reassess["details"]["ties"] == ["hub->adv@2025-06-01"]
    code, out, _ = run("history", "--who", "bob", "--json")
    assert [e["action"] for e in json.loads(out)["audit"]] == ["decide"]
    code, out, _ = run("history")
    assert "Audit trail" in out
    assert "test-officer" in out


def test_the_trail_is_in_the_ledger_with_the_imported_releases(world: Path) -> None:
    code, out, err = run("ledger", "verify", "--json")
    assert code == 0, err
    assert json.loads(out)["size"] == 2 + 1  # two imported releases, one audit entry
    code, _, err = run("ledger", "receipt", "rel-two", "--out", "-")
    assert code == 2
    assert "imported" in err


def test_the_trail_is_append_only_in_the_database(world: Path) -> None:
    with pytest.raises(Exception, match="append-only"):
        sql("UPDATE audit_log SET who = 'mallory'")
    with pytest.raises(Exception, match="append-only"):
        sql("DELETE FROM audit_log")
    assert [e["who"] for e in trail()] == ["ana"]


def _drop_guards(db_url: str) -> None:
    if db_url.startswith("postgresql"):
        sql("DROP TRIGGER audit_log_append_only ON audit_log")
    else:
        sql("DROP TRIGGER audit_log_no_update")
        sql("DROP TRIGGER audit_log_no_delete")


def test_a_deleted_audit_entry_fails_ledger_verify(world: Path, db_url: str) -> None:
    assert run("decide", "--as", "bob")[0] == 0
    _drop_guards(db_url)  # someone with the database's own rights
    sql("DELETE FROM audit_log WHERE who = 'bob'")
    code, out, err = run("ledger", "verify", "--json")
    assert code == 1
    assert json.loads(out)["ok"] is False
    assert "deleted" in err
    assert "bob" in err


def test_an_edited_audit_entry_fails_ledger_verify(world: Path, db_url: str) -> None:
    _drop_guards(db_url)
    sql("UPDATE audit_log SET reason = 'nothing to see'")
    code, _, err = run("ledger", "verify")
    assert code == 1
    assert "edited" in err
