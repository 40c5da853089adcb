"""`tearline release` end to end on the demo world."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.demo import demo_text
from tearline.sanitize import anonymity, disclosures
from tearline.scenario import parse_scenario

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-world.yaml"


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert runner.invoke(app, ["--home", str(home), "load", str(DEMO)]).exit_code == 0
    return home


# The demo's sources above their max_risk (src-cormorant, 0.55 > 0.05) make
# the source-protection floor refuse every copy that adds to them, istrel's
# tearline of rpt-2026-112 included; the tearline tests below are about the
# copy's text, so they raise the thresholds out of the way.
LENIENT = ("default_max_risk: 0.05", "default_max_risk: 0.99")


def _lenient_home(tmp_path: Path) -> Path:
    path = tmp_path / "lenient.yaml"
    path.write_text(demo_text().replace(*LENIENT), encoding="utf-8")
    home = tmp_path / "lenient-home"
    assert runner.invoke(app, ["--home", str(home), "load", str(path)]).exit_code == 0
    return home


def invoke(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


def test_release_writes_allowed_copies_and_withholds_the_rest(
    demo_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, _ = invoke(
        demo_home,
        "release",
        "rpt-2026-116",
        "--to",
        "brisca",
        "--to",
        "aldren",
        "--out",
        str(out),
        "--json",
    )
    assert code == 0
    doc = json.loads(stdout)
    (copy,) = doc["releases"]
    assert copy["partner"] == "brisca"
    assert copy["version"] == "full"
    path = Path(copy["file"])
    assert path.parent == out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "Released to: Kingdom of Brisca (brisca)" in text
    assert "aldren" not in text.split("----")[0]  # no co-recipient in the header
    assert "Onward sharing: forbidden" in text
    (withheld,) = doc["withheld"]
    assert withheld["partner"] == "aldren"
    assert any("reach-ceiling" in r for r in withheld["reasons"])
    # After the demo's 68 imported historical releases and the load's audit entry.
    assert copy["ledger_index"] == 68 + 1
    # The release is provable: its receipt verifies against the ledger's key.
    receipt = tmp_path / "receipt.json"
    pubkey = tmp_path / "ledger.pub"
    assert invoke(demo_home, "ledger", "receipt", copy["id"], "--out", str(receipt))[0] == 0
    assert invoke(demo_home, "ledger", "pubkey", "--out", str(pubkey))[0] == 0
    code, out, _ = invoke(
        demo_home, "ledger", "verify-receipt", str(receipt), "--pubkey", str(pubkey), "--json"
    )
    assert code == 0
    assert json.loads(out)["ok"] is True
    # A world with a ledger cannot be replaced underneath it.
    code, _, err = invoke(demo_home, "load", str(DEMO), "--replace")
    assert code == 2
    assert "ledger" in err
    # Recorded: the release is listed and the decision history grew.
    _, listed, _ = invoke(demo_home, "list", "releases", "--json")
    assert copy["id"] in {r["id"] for r in json.loads(listed)["releases"]}


def test_release_to_the_originator_is_refused(demo_home: Path) -> None:
    code, _, err = invoke(demo_home, "release", "rpt-2026-116", "--to", "veltria")
    assert code == 2
    assert "originator" in err


def test_unwritable_output_records_nothing(demo_home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = invoke(
        demo_home, "release", "rpt-2026-116", "--to", "brisca", "--out", str(blocker)
    )
    assert code == 2
    assert "cannot write copies" in err
    _, listed, _ = invoke(demo_home, "list", "releases", "--json")
    before = json.loads(listed)["releases"]
    assert all(r["report"] != "rpt-2026-116" or r["partner"] != "brisca" for r in before)


def _approve(home: Path, report: str, partner: str) -> dict[str, object]:
    """A named reviewer approves the partner's (unverified) tearline of ``report``."""
    code, stdout, _ = invoke(
        home,
        "sanitize",
        report,
        "--partner",
        partner,
        "--approve",
        "--reviewer",
        "R. Okafor",
        "--reason",
        "the pronoun is the handler's contact, not the source",
        "--json",
    )
    assert code == 0, stdout
    doc: dict[str, object] = json.loads(stdout)
    return doc


def test_an_unverified_tearline_leaves_only_once_a_named_reviewer_approved_it(
    tmp_path: Path,
) -> None:
    demo_home = _lenient_home(tmp_path)
    code, stdout, _ = invoke(demo_home, "sanitize", "rpt-2026-112", "--partner", "istrel", "--json")
    doc = json.loads(stdout)
    # "… now deals with him preferentially": a pronoun that may be the source.
    assert doc["k_verified"] is False
    assert doc["review"]
    assert doc["approval"] is None
    assert code == 1
    code, stdout, _ = invoke(
        demo_home, "release", "rpt-2026-112", "--to", "istrel", "--out", str(tmp_path), "--json"
    )
    assert code == 0
    released = json.loads(stdout)
    assert released["releases"] == []
    (withheld,) = released["withheld"]
    assert any("unverified" in r for r in withheld["reasons"])
    code, stdout, _ = invoke(
        demo_home, "decide", "--report", "rpt-2026-112", "--partner", "istrel", "--json"
    )
    assert json.loads(stdout)["decisions"][0]["decision"] == "withhold"
    approved = _approve(demo_home, "rpt-2026-112", "istrel")
    approval = approved["approval"]
    assert isinstance(approval, dict)
    assert approval["reviewer"] == "R. Okafor"
    # The decision function now counts the approved text's k.
    code, stdout, _ = invoke(
        demo_home, "decide", "--report", "rpt-2026-112", "--partner", "istrel", "--json"
    )
    assert json.loads(stdout)["decisions"][0]["decision"] == "tearline"
    assert approval["text_sha256"] == approved["text_sha256"]
    # Now the same command finds the approval and exits 0.
    code, stdout, _ = invoke(demo_home, "sanitize", "rpt-2026-112", "--partner", "istrel", "--json")
    assert code == 0
    assert json.loads(stdout)["approval"]["id"] == approval["id"]
    # The approval is an act on the record: in the audit trail, the reviewer as who acts.
    code, stdout, _ = invoke(demo_home, "history", "--json")
    (entry,) = [e for e in json.loads(stdout)["audit"] if e["action"] == "approve"]
    assert entry["who"] == "R. Okafor"
    assert entry["details"]["approval"] == approval["id"]


def test_approving_needs_a_partner_a_reviewer_and_a_reason(demo_home: Path) -> None:
    code, _, _ = invoke(demo_home, "sanitize", "rpt-2026-112", "--approve", "--reviewer", "X")
    assert code == 2
    code, _, _ = invoke(
        demo_home, "sanitize", "rpt-2026-112", "--partner", "istrel", "--approve", "--reason", "y"
    )
    assert code == 2
    # An approval is of the text made at the partner's own target, not another.
    code, _, err = invoke(
        demo_home,
        "sanitize",
        "rpt-2026-112",
        "--partner",
        "istrel",
        "--target-k",
        "500",
        "--approve",
        "--reviewer",
        "X",
        "--reason",
        "y",
    )
    assert code == 2
    assert "--target-k" in err


def test_tearline_copies_carry_the_sanitised_text(tmp_path: Path) -> None:
    demo_home = _lenient_home(tmp_path)
    approved = _approve(demo_home, "rpt-2026-112", "istrel")
    code, stdout, _ = invoke(
        demo_home, "release", "rpt-2026-112", "--to", "istrel", "--out", str(tmp_path), "--json"
    )
    assert code == 0
    doc = json.loads(stdout)
    # The demo's protocols allow istrel a tearline of this report (k >= 500).
    (copy,) = doc["releases"]
    assert copy["version"] == "tearline"
    # The release used (and recorded) the approval of exactly this text.
    approval = approved["approval"]
    assert isinstance(approval, dict)
    assert copy["approval"]["id"] == approval["id"]
    assert copy["approval"]["reviewer"] == "R. Okafor"
    text = Path(copy["file"]).read_text(encoding="utf-8")
    assert "TEARLINE VERSION" in text
    world = parse_scenario(demo_text()).world
    report = world.report("rpt-2026-112")
    sources = [world.source(s) for s in report.sources]
    body = text.split("-" * 72)[1]
    found = disclosures(body, sources)
    for source in sources:
        levels = {a: lv for (sid, a), lv in found.items() if sid == source.id}
        assert anonymity(source, levels) >= 500


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Tooling seen by the Aster Maritime documentation clerk at Terminal 3"),
        ("category", "Terminal 3 / Aster Maritime"),
    ],
)
def test_a_tearline_header_carries_no_mention_the_body_lacks(
    tmp_path: Path, field: str, value: str
) -> None:
    """Declared mentions only in the title (or only in the category) are
    sanitised out of the tearline copy, and the k counts the header too."""
    original = {
        "title": '    title: "Sarn-bound shipment of motor tooling planned for December"',
        "category": "    category: counter-proliferation",
    }[field]
    scenario = demo_text().replace(*LENIENT)
    at = scenario.index("  - id: rpt-2026-112")
    line = scenario.index(original, at)
    changed = scenario[:line] + f'    {field}: "{value}"' + scenario[line + len(original) :]
    path = tmp_path / "world.yaml"
    path.write_text(changed, encoding="utf-8")
    home = tmp_path / "home"
    assert runner.invoke(app, ["--home", str(home), "load", str(path)]).exit_code == 0
    _approve(home, "rpt-2026-112", "istrel")
    code, stdout, _ = invoke(
        home, "release", "rpt-2026-112", "--to", "istrel", "--out", str(tmp_path), "--json"
    )
    assert code == 0
    (copy,) = json.loads(stdout)["releases"]
    assert copy["version"] == "tearline"
    text = Path(copy["file"]).read_text(encoding="utf-8")
    assert "Aster" not in text
    assert "Terminal 3" not in text
    world = parse_scenario(changed).world
    sources = [world.source(s) for s in world.report("rpt-2026-112").sources]
    found = disclosures(text, sources)
    for source in sources:
        levels = {a: lv for (sid, a), lv in found.items() if sid == source.id}
        assert anonymity(source, levels) >= 500
