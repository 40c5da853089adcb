"""The ledger commands end to end, through the real Typer app, on an embedded home."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from tearline.cli import app
from tearline.ledger.heads import public_key_from_pem, public_key_to_pem
from tearline.ledger.receipts import Receipt
from tearline.services.ledger import open_ledger
from tearline.services.workspace import Workspace
from tearline.services.world import load_scenario
from tearline.settings import Settings
from tearline.store.ledger_tables import LedgerLeafRow, LedgerNodeRow
from tests.ledger_store.harness import OTHER_KEY, leaf_for, release
from tests.samples import SMALL

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def record(home: Path, numbers: range) -> None:
    """What `tearline release` will do: open the ledger, record the copies in one unit of work."""
    ws = Workspace(Settings.resolve(home, environ={}))
    try:
        ledger = open_ledger(ws, create_key=True)
        with ws.unit_of_work() as session:
            release(session, numbers, key=ledger.signing_key)
    finally:
        ws.close()


def tamper(home: Path, statement: object) -> None:
    ws = Workspace(Settings.resolve(home, environ={}))
    try:
        with ws.engine.begin() as connection:
            connection.execute(statement)  # type: ignore[call-overload]
    finally:
        ws.close()


@pytest.fixture
def ledger_home(home: Path) -> Path:
    # The world is loaded through the service, not `tearline load` (which would ledger the
    # load's audit entry and the file's historical releases): the log here is the harness's
    # 12 releases alone, so its shape is known.
    ws = Workspace(Settings.resolve(home, environ={}))
    try:
        ws.open(create=True)
        with ws.unit_of_work() as session:
            load_scenario(session, ws.cipher(create=True), text=SMALL)
    finally:
        ws.close()
    record(home, range(0, 5))
    record(home, range(5, 12))
    return home


def test_pubkey_exports_the_key_kept_at_mode_0600(ledger_home: Path, tmp_path: Path) -> None:
    key_file = ledger_home / "keys" / "ledger.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    code, out, _ = run("ledger", "pubkey", "--out", str(tmp_path / "ledger.pem"), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["created"] is False
    assert document["file"] == str(tmp_path / "ledger.pem")
    assert (tmp_path / "ledger.pem").read_text() == document["public_key_pem"]
    public_key_from_pem(document["public_key_pem"].encode())
    code, out, _ = run("ledger", "pubkey")
    assert code == 0
    assert out == document["public_key_pem"]


def test_pubkey_creates_a_key_for_a_new_home(home: Path) -> None:
    code, out, _ = run("ledger", "pubkey", "--json")
    assert code == 0
    assert json.loads(out)["created"] is True
    assert stat.S_IMODE((home / "keys" / "ledger.key").stat().st_mode) == 0o600


def test_a_lost_key_is_not_silently_replaced(ledger_home: Path) -> None:
    (ledger_home / "keys" / "ledger.key").unlink()
    code, _, err = run("ledger", "pubkey")
    assert code == 2
    assert "restore that key" in err
    assert not (ledger_home / "keys" / "ledger.key").exists()


def test_a_partner_verifies_a_receipt_without_any_database(
    ledger_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt_file, key_file = tmp_path / "receipt.json", tmp_path / "ledger.pem"
    code, out, _ = run("ledger", "receipt", "bulk-000007", "--out", str(receipt_file), "--json")
    assert code == 0
    made = json.loads(out)
    assert made["index"] == 7
    assert made["tree_size"] == 12
    assert made["leaf"]["release_id"] == "bulk-000007"
    assert made["leaf"]["recipient"] == "hub"
    assert Receipt.from_json(receipt_file.read_bytes()).index == 7
    assert run("ledger", "pubkey", "--out", str(key_file))[0] == 0

    # The partner: no TEARLINE_HOME, no database, a folder of its own.
    partner = tmp_path / "partner"
    partner.mkdir()
    monkeypatch.delenv("TEARLINE_HOME")
    monkeypatch.setenv("HOME", str(partner))
    monkeypatch.setenv("XDG_DATA_HOME", str(partner / "data"))
    monkeypatch.chdir(partner)
    code, out, _ = run(
        "ledger", "verify-receipt", str(receipt_file), "--pubkey", str(key_file), "--json"
    )
    assert code == 0
    document = json.loads(out)
    assert document["ok"] is True
    assert document["index"] == 7
    assert document["leaf"] == made["leaf"]
    assert list(partner.iterdir()) == []  # nothing created
    code, out, _ = run("ledger", "verify-receipt", str(receipt_file), "--pubkey", str(key_file))
    assert code == 0
    assert "Receipt OK" in out


def test_a_forged_receipt_is_a_finding(ledger_home: Path, tmp_path: Path) -> None:
    receipt_file, key_file = tmp_path / "receipt.json", tmp_path / "ledger.pem"
    run("ledger", "receipt", "bulk-000003", "--out", str(receipt_file))
    run("ledger", "pubkey", "--out", str(key_file))
    document = json.loads(receipt_file.read_text())
    document["leaf"] = leaf_for(3, variant="forged").encode().hex()  # another copy, same release
    receipt_file.write_text(json.dumps(document))
    code, out, err = run(
        "ledger", "verify-receipt", str(receipt_file), "--pubkey", str(key_file), "--json"
    )
    assert code == 1
    assert json.loads(out)["ok"] is False
    assert "inclusion proof" in json.loads(out)["reason"]
    assert "verification failed" in err

    other_key = tmp_path / "other.pem"
    other_key.write_bytes(public_key_to_pem(OTHER_KEY.public_key()))
    run("ledger", "receipt", "bulk-000003", "--out", str(receipt_file))
    code, out, _ = run(
        "ledger", "verify-receipt", str(receipt_file), "--pubkey", str(other_key), "--json"
    )
    assert code == 1
    assert "signing key" in json.loads(out)["reason"]


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "expected a JSON object"),
        ('{"version": 1}', None, "missing fields"),
        ("INDEX", "index", "field 'index' must be an integer"),
        ("ROOT", "tree_head.root", "field 'root' must be lowercase hex"),
        ("LEAF", "leaf", "field 'magic'"),
    ],
)
def test_a_malformed_receipt_is_bad_input(
    ledger_home: Path, tmp_path: Path, content: str, field: str | None, message: str
) -> None:
    receipt_file, key_file = tmp_path / "receipt.json", tmp_path / "ledger.pem"
    run("ledger", "receipt", "bulk-000003", "--out", str(receipt_file))
    run("ledger", "pubkey", "--out", str(key_file))
    good = json.loads(receipt_file.read_text())
    if content == "INDEX":
        content = json.dumps({**good, "index": "3"})
    elif content == "ROOT":
        content = json.dumps({**good, "tree_head": {**good["tree_head"], "root": "XYZ"}})
    elif content == "LEAF":
        content = json.dumps({**good, "leaf": "00ff"})
    receipt_file.write_text(content)
    code, out, err = run(
        "ledger", "verify-receipt", str(receipt_file), "--pubkey", str(key_file), "--json"
    )
    assert code == 2
    error = json.loads(out)["error"]
    assert error["type"] == "MalformedInputError"
    assert error["issues"] == [
        {
            "file": str(receipt_file),
            "line": None,
            "field": field,
            "message": error["issues"][0]["message"],
        }
    ]
    assert message in error["message"]
    assert str(receipt_file) in err


def test_a_malformed_key_is_bad_input(ledger_home: Path, tmp_path: Path) -> None:
    receipt_file, key_file = tmp_path / "receipt.json", tmp_path / "key.pem"
    run("ledger", "receipt", "bulk-000003", "--out", str(receipt_file))
    key_file.write_text("not a key")
    code, _, err = run("ledger", "verify-receipt", str(receipt_file), "--pubkey", str(key_file))
    assert code == 2
    assert str(key_file) in err
    code, _, err = run(
        "ledger", "verify-receipt", str(tmp_path / "missing.json"), "--pubkey", str(key_file)
    )
    assert code == 2
    assert "missing.json" in err


def test_heads_and_consistency(ledger_home: Path, tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    code, out, _ = run("ledger", "head", "--out", str(old), "--json")
    assert code == 0
    assert json.loads(out)["tree_head"]["size"] == 12
    record(ledger_home, range(12, 20))
    assert run("ledger", "head", "--out", str(new))[0] == 0
    code, out, _ = run("ledger", "consistency", str(old), str(new), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["ok"] is True
    assert document["old"]["size"] == 12
    assert document["new"]["size"] == 20
    assert document["proof"]
    code, out, _ = run("ledger", "consistency", str(new), str(old), "--json")
    assert code == 1
    assert "smaller" in json.loads(out)["reason"]
    code, out, _ = run("ledger", "head")
    assert json.loads(out)["size"] == 20  # without --out: the head itself, canonical JSON

    forged = json.loads(old.read_text())
    forged["root"] = "00" * 32
    old.write_text(json.dumps(forged))
    code, out, _ = run("ledger", "consistency", str(old), str(new), "--json")
    assert code == 1
    assert "signature" in json.loads(out)["reason"]
    old.write_text(json.dumps({**forged, "size": -1}))
    code, out, _ = run("ledger", "consistency", str(old), str(new), "--json")
    assert code == 2
    assert json.loads(out)["error"]["issues"][0]["field"] == "size"


def test_verify_the_whole_log(ledger_home: Path) -> None:
    code, out, _ = run("ledger", "verify", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["ok"] is True
    assert document["size"] == 12
    assert document["heads"] == 2
    assert document["last_head"]["size"] == 12

    tamper(
        ledger_home, update(LedgerLeafRow).where(LedgerLeafRow.leaf_index == 4).values(leaf=b"x")
    )
    code, out, err = run("ledger", "verify", "--json")
    assert code == 1
    document = json.loads(out)
    assert document["ok"] is False
    assert document["first_bad_index"] == 4
    assert "first bad index 4" in err


def test_a_damaged_log_refuses_to_serve(ledger_home: Path, tmp_path: Path) -> None:
    # 12 = 8 + 4 leaves: the node over leaves 8..11 is part of the last head's root.
    tamper(
        ledger_home,
        update(LedgerNodeRow)
        .where(LedgerNodeRow.level == 2, LedgerNodeRow.node_index == 2)
        .values(digest=bytes(32)),
    )
    for command in (["head"], ["receipt", "bulk-000001", "--out", str(tmp_path / "r.json")]):
        code, _, err = run("ledger", *command)
        assert code == 1
        assert "refuses to serve" in err
    assert not (tmp_path / "r.json").exists()
    with pytest.raises(Exception, match="refuses to serve"):
        record(ledger_home, range(100, 101))


def test_usage_errors(ledger_home: Path, tmp_path: Path) -> None:
    code, _, err = run("ledger", "receipt", "no-such-release", "--out", str(tmp_path / "r.json"))
    assert code == 2
    assert "no-such-release" in err
    code, _, _ = run("ledger", "receipt", "bulk-000001", "--out", "-", "--json")
    assert code == 2
    code, out, _ = run("ledger", "receipt", "bulk-000001", "--out", "-")
    assert code == 0
    assert Receipt.from_json(out).index == 1


def test_an_empty_ledger_has_no_head(home: Path, tmp_path: Path) -> None:
    assert run("init")[0] == 0
    run("ledger", "pubkey")
    code, _, err = run("ledger", "head")
    assert code == 2
    assert "no tree head" in err
    code, out, _ = run("ledger", "verify", "--json")
    assert code == 0
    assert json.loads(out)["size"] == 0
