"""The demo's last act: a leak traced back to the copies it derives from."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tearline.cli import app

runner = CliRunner()


def test_the_demo_leaks_a_partners_copies_and_traces_them(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--home", str(tmp_path), "demo", "--json"])
    assert result.exit_code == 0, result.stderr
    act = json.loads(result.stdout)["leak"]
    leaker = act["leaker"]
    assert [Path(f).exists() for f in act["files"]] == [True] * len(act["files"]) == [True] * 3
    single, combined = act["single"], act["combined"]
    assert len(single["documents"]) == 1
    assert len(combined["documents"]) == 3
    # More leaked documents, more evidence: the leaker's bound only tightens.
    p_single = next(c["p_bound"] for c in single["candidates"] if c["partner"] == leaker)
    p_combined = next(c["p_bound"] for c in combined["candidates"] if c["partner"] == leaker)
    assert p_combined < p_single
    assert combined["verdict"] == f"the leak derives from the copy released to {leaker}"
    assert {a["partner"] for a in single["accused"]} <= {leaker}
    # The same command line traces the files the demo wrote.
    home = tmp_path / "demo"
    code = runner.invoke(app, ["--home", str(home), "trace", *act["files"], "--json"])
    assert code.exit_code == 0
    assert json.loads(code.stdout)["verdict"] == combined["verdict"]
