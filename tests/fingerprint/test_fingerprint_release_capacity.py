"""`tearline release` shows each copy's trace capacity and records it in the ledger leaf;
a copy identical to another recipient's is refused unless forced, then recorded as
untraceable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tearline.ledger.leaf import ReleaseLeaf
from tearline.services import fingerprints
from tests.fingerprint.test_fingerprint_cli import ALLIANCE, WARNING, home, invoke

__all__ = ["home"]  # the fixture


def _leaf(home: Path, release_id: str, tmp: Path) -> ReleaseLeaf:
    out = tmp / f"{release_id}.json"
    code, _, err = invoke(home, "ledger", "receipt", release_id, "--out", str(out))
    assert code == 0, err
    return ReleaseLeaf.decode(bytes.fromhex(json.loads(out.read_text())["leaf"]))


def test_each_copy_carries_its_trace_capacity(home: Path, tmp_path: Path) -> None:
    args = [a for p in ALLIANCE for a in ("--to", p)]
    code, stdout, err = invoke(
        home, "release", WARNING, *args, "--out", str(tmp_path / "o"), "--json"
    )
    assert code == 0, err
    releases = json.loads(stdout)["releases"]
    assert len(releases) == len(ALLIANCE)
    for r in releases:
        trace_info = r["trace"]
        assert trace_info["slots"] >= 10
        assert trace_info["recipients"] == len(ALLIANCE)
        assert trace_info["epsilon"] == 0.01
        # The forecast is what trace then does with that whole copy.
        code, out, err = invoke(home, "trace", r["file"], "--json")
        assert code == 0, err
        accused = {a["partner"] for a in json.loads(out)["accused"]}
        assert trace_info["traceable"] == (accused == {r["partner"]})
        leaf = _leaf(home, r["id"], tmp_path)
        assert leaf.trace_slots == trace_info["slots"]
        assert leaf.trace_named is trace_info["traceable"]


def test_the_human_output_says_it_too(home: Path, tmp_path: Path) -> None:
    code, stdout, _ = invoke(home, "release", WARNING, "--to", "brisca", "--out", str(tmp_path))
    assert code == 0
    assert "trace capacity" in stdout
    assert "slots" in stdout


KEY = bytes(range(135, 167))  # the fixture's fingerprint key


def _colliding_secrets() -> list[bytes]:
    """Two different secrets whose codewords agree in every slot of the warning's full-text
    stream (found by search: short texts make this likely enough to happen for real)."""
    import hashlib

    from tearline.cli.demo import demo_text
    from tearline.fingerprint import stream_layout
    from tearline.fingerprint.code import biases, codeword, cutoff_for
    from tearline.scenario import parse_scenario
    from tearline.services.fingerprints import stream_id_for

    body = parse_scenario(demo_text()).world.report(WARNING).text
    stream = stream_id_for(WARNING, "full", hashlib.sha256(body.encode()).hexdigest())
    layout = stream_layout(body, KEY, stream)
    bias = biases(KEY, stream, layout.alphabet, cutoff_for(len(layout.slots)))
    seen: dict[tuple[int, ...], bytes] = {}
    for i in range(100_000):
        secret = hashlib.sha256(i.to_bytes(4, "big")).digest()
        word = codeword(KEY, stream, secret, bias)
        if word in seen:
            return [seen[word], secret]
        seen[word] = secret
    raise AssertionError("no collision found")


def _same_codewords(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = _colliding_secrets()
    monkeypatch.setattr(fingerprints, "new_secret", lambda: secrets.pop(0))


def test_an_identical_copy_is_refused_and_nothing_is_stored_for_it(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The two recipients' secrets differ but give the same codeword: identical copies.
    _same_codewords(monkeypatch)
    args = [a for p in ALLIANCE[:2] for a in ("--to", p)]
    code, stdout, err = invoke(
        home, "release", WARNING, *args, "--out", str(tmp_path / "o"), "--json"
    )
    assert code == 0, err
    doc = json.loads(stdout)
    assert [r["partner"] for r in doc["releases"]] == [ALLIANCE[0]]
    (refused,) = [w for w in doc["withheld"] if w["partner"] == ALLIANCE[1]]
    assert "identical to the copy already made for " + ALLIANCE[0] in refused["reasons"][0]
    assert "--force-untraceable" in refused["reasons"][0]
    # No secret was kept for the refused partner: a later leak can never accuse it.
    leaked = Path(doc["releases"][0]["file"]).read_text(encoding="utf-8")
    code, out, _ = invoke(home, "trace", doc["releases"][0]["file"], "--json")
    scored = {c["partner"] for c in json.loads(out)["candidates"]}
    assert ALLIANCE[1] not in scored
    assert leaked


def test_forced_identical_copies_are_released_and_recorded_untraceable(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_codewords(monkeypatch)
    args = [a for p in ALLIANCE[:2] for a in ("--to", p)]
    code, stdout, err = invoke(
        home,
        "release",
        WARNING,
        *args,
        "--out",
        str(tmp_path / "o"),
        "--json",
        "--force-untraceable",
    )
    assert code == 0, err
    releases = json.loads(stdout)["releases"]
    assert len(releases) == 2
    texts = [Path(r["file"]).read_text(encoding="utf-8").split("-" * 72)[1] for r in releases]
    assert texts[0] == texts[1]
    for r in releases:
        assert r["trace"]["identical_to"]
        assert r["trace"]["traceable"] is False
    leaves = [_leaf(home, r["id"], tmp_path) for r in releases]
    assert all(leaf.trace_named is False and leaf.trace_slots for leaf in leaves)
    assert all(leaf.trace_epsilon == "0.01" for leaf in leaves)
