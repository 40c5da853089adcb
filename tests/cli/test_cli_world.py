"""The world commands end to end, through the real Typer app."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tests.samples import IDENTITY, SMALL

runner = CliRunner()


def _line_of_military() -> int:
    return 1 + SMALL.splitlines().index(
        next(line for line in SMALL.splitlines() if "military: 0.3" in line)
    )


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_init_creates_home_key_and_database(home: Path) -> None:
    code, out, _ = run("init", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["created"] is True
    key = home / "keys" / "identity.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (home / "tearline.db").exists()
    code, out, _ = run("init", "--json")
    assert json.loads(out)["created"] is False


def test_home_option_overrides_the_environment(home: Path, tmp_path: Path, scenario: Path) -> None:
    other = tmp_path / "other"
    code, _, _ = run("--home", str(other), "load", str(scenario))
    assert code == 0
    assert (other / "tearline.db").exists()
    assert not home.exists()


def test_load_list_show(home: Path, scenario: Path) -> None:
    code, out, _ = run("load", str(scenario), "--json")
    assert code == 0
    assert json.loads(out)["added"]["actors"] == 4
    code, out, _ = run("list", "actors", "--json")
    assert [a["id"] for a in json.loads(out)["actors"]] == ["adv", "ally", "home", "hub"]
    code, out, _ = run("list", "sources", "--json")
    (source,) = json.loads(out)["sources"]
    assert source["has_identity"] is True
    assert "identity" not in source
    code, out, _ = run("show", "rep-1", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["kind"] == "report"
    assert len(shown["report"]["releases"]) == 2
    code, out, _ = run("show", "hub")
    assert code == 0
    assert "Hub State" in out


def test_identity_is_shown_only_with_reveal(home: Path, scenario: Path) -> None:
    run("load", str(scenario))
    code, out, _ = run("show", "src-kestrel", "--json")
    assert code == 0
    assert IDENTITY not in out
    code, out, _ = run("show", "src-kestrel")
    assert IDENTITY not in out
    code, out, _ = run("show", "src-kestrel", "--reveal", "--json")
    assert json.loads(out)["source"]["identity"] == IDENTITY


def test_plaintext_identity_is_not_in_the_database_file(home: Path, scenario: Path) -> None:
    run("load", str(scenario))
    data = (home / "tearline.db").read_bytes()
    assert IDENTITY.encode() not in data
    assert IDENTITY.encode("utf-16-le") not in data
    assert b"Varnov" not in data


def test_bad_file_exits_2_names_the_line_and_writes_nothing(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("military: 0.3", "military: 1.4"), encoding="utf-8")
    code, _out, err = run("load", str(bad))
    assert code == 2
    assert f"{bad}:{_line_of_military()}: ties[1].military: 1.4 is above 1.0" in err
    assert not home.exists()  # nothing was written, not even an empty database


def test_bad_file_with_json_prints_the_issues(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("military: 0.3", "military: 1.4"), encoding="utf-8")
    code, out, _ = run("load", str(bad), "--json")
    assert code == 2
    (issue,) = json.loads(out)["error"]["issues"]
    assert issue == {
        "file": str(bad),
        "line": _line_of_military(),
        "field": "ties[1].military",
        "message": "1.4 is above 1.0",
    }


def test_failed_merge_leaves_the_database_unchanged(
    home: Path, scenario: Path, tmp_path: Path
) -> None:
    run("load", str(scenario))
    before = run("export", "-")[1]
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "tearline: 1\nactors:\n  - {id: new, kind: partner, protection: 0.5}\n"
        "releases:\n  - {report: nope, partner: new, version: full, at: 2025-01-01}\n",
        encoding="utf-8",
    )
    code, _, err = run("load", str(extra))
    assert code == 2
    assert "release of unknown report 'nope'" in err
    assert run("export", "-")[1] == before


def test_missing_file_exits_2(home: Path, tmp_path: Path) -> None:
    code, _, err = run("load", str(tmp_path / "absent.yaml"))
    assert code == 2
    assert "no such file" in err


def test_reading_without_a_database_exits_2(home: Path) -> None:
    code, _, err = run("list", "actors")
    assert code == 2
    assert "tearline init" in err
    assert not (home / "tearline.db").exists()


def test_unknown_id_exits_2(home: Path, scenario: Path) -> None:
    run("load", str(scenario))
    code, _, err = run("show", "nothing-here")
    assert code == 2
    assert "'nothing-here'" in err


def test_usage_error_exits_2(home: Path) -> None:
    code, _, _ = run("list", "planets")
    assert code == 2


def test_export_round_trip_into_an_empty_database(
    home: Path, scenario: Path, tmp_path: Path
) -> None:
    run("load", str(scenario))
    exported = tmp_path / "out" / "world.yaml"
    code, _, _ = run("export", str(exported), "--reveal")
    assert code == 0
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600  # it holds identities
    code, _, _ = run("--home", str(tmp_path / "fresh"), "load", str(exported))
    assert code == 0
    first = run("export", "-", "--reveal")[1]
    second = run("--home", str(tmp_path / "fresh"), "export", "-", "--reveal")[1]
    assert first == second


def test_export_without_reveal_leaves_identities_out(home: Path, scenario: Path) -> None:
    run("load", str(scenario))
    code, out, _ = run("export", "-")
    assert code == 0
    assert IDENTITY not in out


def test_database_url_from_the_environment(
    home: Path, scenario: Path, pg_schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEARLINE_DB_URL", pg_schema_url)
    code, _, err = run("load", str(scenario))
    assert code == 0, err
    assert not (home / "tearline.db").exists()
    code, out, _ = run("list", "reports", "--json")
    assert [r["id"] for r in json.loads(out)["reports"]] == ["rep-1"]
    assert os.environ["TEARLINE_DB_URL"] == pg_schema_url
