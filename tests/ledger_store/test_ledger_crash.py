"""SIGKILL in the middle of a bulk release leaves releases and leaves one-to-one, and the
log verifying: a real subprocess, killed at random moments, many times."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tearline.services.ledger import check_ledger, verify_ledger
from tearline.services.world import load_scenario
from tearline.store.database import unit_of_work
from tearline.store.identity import IdentityCipher
from tearline.store.ledger_tables import LedgerLeafRow
from tearline.store.tables import ReleaseRow
from tests.ledger_store.crash_release_worker import PARTNERS
from tests.ledger_store.harness import KEY, load_world

ROOT = Path(__file__).resolve().parents[2]
KILLS = {"sqlite": 25, "postgresql": 12}


def _open_world(engine: Engine) -> None:
    """Twelve partners under a protocol that lets everything go out in full."""
    partners = "\n".join(f"  - {{id: {p}, kind: partner, protection: 0.5}}" for p in PARTNERS)
    reports = "\n".join(
        f"  - {{id: r{i}, title: T, category: military, classification: SECRET, text: report {i}}}"
        for i in range(5)
    )
    text = (
        "tearline: 1\nactors:\n  - {id: home, kind: originator, protection: 0.9}\n"
        f"{partners}\nreports:\n{reports}\nprotocols:\n"
        f"  - {{id: open, applies_to: [{', '.join(PARTNERS)}], rules: [{{id: all, effect: permit}}]}}\n"
    )
    with unit_of_work(engine) as session:
        load_scenario(session, IdentityCipher(b"c" * 32), text=text)


@pytest.mark.slow
def test_sigkill_mid_release_through_the_release_path(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    _open_world(engine)
    # A release to twelve partners takes a few hundred milliseconds: kill later.
    _kill_repeatedly(
        engine, db_url, tmp_path, "tests.ledger_store.crash_release_worker", 10, max_delay=1.5
    )


@pytest.mark.slow
def test_sigkill_mid_bulk_release_keeps_releases_and_leaves_one_to_one(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    load_world(engine)
    _kill_repeatedly(
        engine, db_url, tmp_path, "tests.ledger_store.crash_worker", KILLS[engine.dialect.name]
    )


def _kill_repeatedly(
    engine: Engine, db_url: str, tmp_path: Path, module: str, kills: int, max_delay: float = 0.25
) -> None:
    rng = random.Random(9162)
    progress = tmp_path / "progress.log"
    inside_a_transaction = 0
    sizes = []
    for round_ in range(kills):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                module,
                db_url,
                str(progress),
                str(round_),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert worker.stdout is not None
            ready = worker.stdout.readline()
            assert ready == "ready\n", worker.communicate()[1]
            if round_ == kills - 1:
                # On a loaded machine a worker's first unit of work can outlast
                # every random delay; let the last one commit once, so growth is
                # owed whatever the load, and still kill it at a random moment.
                _wait_for_commit(progress, worker)
            time.sleep(rng.uniform(0.0, max_delay))
        finally:
            worker.send_signal(signal.SIGKILL)
            _, stderr = worker.communicate()
        assert worker.returncode == -signal.SIGKILL, stderr  # killed, not crashed on its own
        lines = progress.read_text().splitlines()
        inside_a_transaction += bool(lines) and lines[-1].startswith("begin")
        sizes.append(_check(engine))
    # The kills did land mid-transaction, and work went on between them (a
    # kill may come before the first commit, so only growth overall is owed).
    assert inside_a_transaction >= kills // 2, (inside_a_transaction, kills)
    assert sizes == sorted(sizes)
    assert sizes[-1] > 0


def _wait_for_commit(progress: Path, worker: subprocess.Popen[str], limit: float = 300) -> None:
    """Until the worker's progress log gains a ``commit`` line (bounded)."""
    commits = progress.read_text().count("commit ")
    deadline = time.monotonic() + limit
    while progress.read_text().count("commit ") == commits:
        assert worker.poll() is None, "the worker exited on its own"
        assert time.monotonic() < deadline, f"no commit within {limit} s"
        time.sleep(0.05)


def _check(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        # The harness's releases are named bulk-N; the release path's carry a copy.
        mine = ReleaseRow.id.like("bulk-%") | ReleaseRow.content.is_not(None)
        releases = select(ReleaseRow.id).where(mine)
        leaves = select(LedgerLeafRow.release_id)
        count = session.scalar(select(func.count()).select_from(releases.subquery()))
        assert count == session.scalar(select(func.count()).select_from(LedgerLeafRow))
        # One-to-one: no release without its leaf, no leaf without its release.
        assert session.scalar(select(func.count()).where(mine, ReleaseRow.id.not_in(leaves))) == 0
        assert (
            session.scalar(select(func.count()).where(LedgerLeafRow.release_id.not_in(releases)))
            == 0
        )
        head = check_ledger(session, KEY.public_key())  # the last head is the newest state
        audit = verify_ledger(session, KEY.public_key())
        assert audit.size == count
        assert head is None or head.head.size == count
    assert count is not None
    return count
