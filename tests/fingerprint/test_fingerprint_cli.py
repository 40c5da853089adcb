"""End to end: release the demo's reports, leak a partner's copy, `tearline trace` it."""

from __future__ import annotations

import json
import random
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.fingerprint.noise import body_of, excerpt, retype
from tearline.ledger.leaf import ReleaseLeaf
from tearline.services import fingerprints
from tearline.store.keys import create_secret_file

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-world.yaml"
ALLIANCE = ["brisca", "corvel", "dalmark", "estarre"]
WARNING = "rpt-2026-116"


def invoke(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo world loaded, with a fixed fingerprint key and seeded recipients' secrets,
    so that every run makes the same copies."""
    home = tmp_path / "home"
    assert invoke(home, "load", str(DEMO))[0] == 0
    create_secret_file(home / "keys" / "fingerprint.key", bytes(range(135, 167)))
    rng = random.Random(2026)
    monkeypatch.setattr(fingerprints, "new_secret", lambda: rng.randbytes(32))
    return home


def release(home: Path, report: str, partners: list[str], out: Path) -> dict[str, dict[str, str]]:
    args = [a for p in partners for a in ("--to", p)]
    code, stdout, err = invoke(home, "release", report, *args, "--out", str(out), "--json")
    assert code == 0, err
    return {r["partner"]: r for r in json.loads(stdout)["releases"]}


def leak(path: Path, copy_file: str, *, part: float = 1.0, seed: int = 0) -> Path:
    rng = random.Random(seed)
    body = body_of(Path(copy_file).read_text(encoding="utf-8"))
    path.write_text(retype(excerpt(body, part, rng) if part < 1 else body, rng), encoding="utf-8")
    return path


def test_a_leaked_copy_of_the_demo_warning_names_its_recipient_and_nobody_else(
    home: Path, tmp_path: Path
) -> None:
    """One 150-word report holds 13 slots: among four recipients it names its leaker for
    about 58 % of keys at ε = 0.01 (docs/fingerprinting.md); this fixture's key is one of
    them. What holds for every key is tested too: nobody else is accused (but with
    probability ≤ ε) and the leaker's score ranks first."""
    copies = release(home, WARNING, ALLIANCE, tmp_path / "out")
    assert set(copies) == set(ALLIANCE)
    # Copies differ only in their headers and fingerprints; each names only its recipient.
    texts = {p: Path(c["file"]).read_text(encoding="utf-8") for p, c in copies.items()}
    assert len({body_of(t) for t in texts.values()}) == len(ALLIANCE)
    for partner, text in texts.items():
        header = text.split("-" * 72)[0]
        assert all(f"({other})" not in header for other in ALLIANCE if other != partner)
        assert "{" not in text
    named = []
    for partner in ALLIANCE:
        leaked = leak(tmp_path / f"forum-{partner}.txt", copies[partner]["file"])
        code, stdout, err = invoke(home, "trace", str(leaked), "--json")
        assert code == 0, err
        doc = json.loads(stdout)
        assert doc["candidates"][0]["partner"] == partner
        assert {a["partner"] for a in doc["accused"]} <= {partner}
        named += [a["partner"] for a in doc["accused"]]
    assert named == ["brisca", "corvel", "dalmark", "estarre"]
    partner = "dalmark"
    leaked = leak(tmp_path / "forum-post.txt", copies[partner]["file"])
    doc = json.loads(invoke(home, "trace", str(leaked), "--json")[1])
    (document,) = doc["documents"]
    assert document["report"] == WARNING
    assert document["file"] == str(leaked)
    assert document["symbols_read"] + document["erasures"] >= 10
    assert doc["epsilon"] == 0.01
    assert doc["verdict"] == f"the leak derives from the copy released to {partner}"
    accused = doc["accused"][0]
    assert accused["score"] >= accused["threshold"]
    assert accused["p_bound"] <= 0.01 / len(ALLIANCE)
    assert accused["release_ids"] == [copies[partner]["id"]]
    (receipt,) = accused["receipts"]
    assert receipt["receipt"] == (
        f"tearline ledger receipt {receipt['release']} --out {receipt['release']}.receipt.json"
    )
    # The receipt the accusation points to proves the copy and carries its fingerprint.
    out = tmp_path / "r.json"
    assert invoke(home, "ledger", "receipt", receipt["release"], "--out", str(out))[0] == 0
    leaf = ReleaseLeaf.decode(bytes.fromhex(json.loads(out.read_text())["leaf"]))
    assert leaf.recipient == partner
    assert leaf.fingerprint_id == copies[partner]["fingerprint_id"]


def test_evidence_adds_up_across_leaked_reports(home: Path, tmp_path: Path) -> None:
    files = []
    for i, report in enumerate([WARNING, "rpt-2024-114", "rpt-2025-036"]):
        copies = release(home, report, ALLIANCE[1:], tmp_path / "out")
        files.append(leak(tmp_path / f"leak-{i}.txt", copies["estarre"]["file"], part=0.7, seed=i))
    code, stdout, _ = invoke(home, "trace", *map(str, files), "--json")
    assert code == 0
    doc = json.loads(stdout)
    assert [d["report"] for d in doc["documents"]] == [WARNING, "rpt-2024-114", "rpt-2025-036"]
    assert [a["partner"] for a in doc["accused"]] == ["estarre"]
    assert len(doc["accused"][0]["release_ids"]) == 3
    code, human, _ = invoke(home, "trace", *map(str, files))
    assert code == 0
    assert "the leak derives from the copy released to estarre" in human


def test_nothing_to_name_is_still_a_trace_and_unreadable_files_are_bad_input(
    home: Path, tmp_path: Path
) -> None:
    unrelated = tmp_path / "poem.txt"
    unrelated.write_text("Shall I compare thee to a summer's day?\n" * 4, encoding="utf-8")
    code, stdout, _ = invoke(home, "trace", str(unrelated), "--json")
    assert code == 0
    assert json.loads(stdout)["accused"] == []
    code, stdout, _ = invoke(home, "trace", str(tmp_path / "missing.txt"), "--json")
    assert code == 2
    assert json.loads(stdout)["error"]["issues"][0]["file"] == str(tmp_path / "missing.txt")
    assert invoke(home, "trace", str(unrelated), "--epsilon", "2")[0] == 2


def test_the_fingerprint_key_is_a_secret_file_and_cannot_be_replaced_silently(
    home: Path, tmp_path: Path
) -> None:
    release(home, WARNING, ["corvel"], tmp_path / "out")
    key = home / "keys" / "fingerprint.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.unlink()
    code, _, err = invoke(home, "release", WARNING, "--to", "dalmark", "--out", str(tmp_path))
    assert code == 2
    assert "restore that key" in err
    code, _, err = invoke(home, "trace", str(DEMO))
    assert code == 2
    assert "fingerprint key" in err
    create_secret_file(key, bytes(32))  # another key: refused, never silently used
    code, _, err = invoke(home, "trace", str(DEMO))
    assert code == 2
    assert "not the one" in err


def test_declared_slots_reach_copies_but_never_the_sanitiser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = DEMO.read_text(encoding="utf-8").replace(
        "The next scheduled tanker arrivals", "The {next|following} scheduled tanker arrivals"
    )
    world = tmp_path / "world.yaml"
    world.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    assert invoke(home, "load", str(world))[0] == 0
    _, stdout, _ = invoke(home, "sanitize", WARNING, "--json")
    assert "{" not in json.loads(stdout)["text"]
    copies = release(home, WARNING, ALLIANCE, tmp_path / "out")
    bodies = [body_of(Path(c["file"]).read_text(encoding="utf-8")) for c in copies.values()]
    assert all("{" not in b for b in bodies)
    assert all(" next scheduled" in b or " following scheduled" in b for b in bodies)
