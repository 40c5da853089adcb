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
from tearline.store.database import unit_of_work
from tearline.store.ledger_tables import LedgerLeafRow
from tearline.store.tables import ReleaseRow
from tests.ledger_store.harness import KEY, load_world

ROOT = Path(__file__).resolve().parents[2]
KILLS = {"sqlite": 25, "postgresql": 12}


@pytest.mark.slow
def test_sigkill_mid_bulk_release_keeps_releases_and_leaves_one_to_one(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    load_world(engine)
    kills = KILLS[engine.dialect.name]
    rng = random.Random(9162)
    progress = tmp_path / "progress.log"
    inside_a_transaction = 0
    sizes = []
    for round_ in range(kills):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.ledger_store.crash_worker",
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
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            worker.send_signal(signal.SIGKILL)
            _, stderr = worker.communicate()
        assert worker.returncode == -signal.SIGKILL, stderr  # killed, not crashed on its own
        lines = progress.read_text().splitlines()
        inside_a_transaction += bool(lines) and lines[-1].startswith("begin")
        sizes.append(_check(engine))
    # The kills did land mid-transaction, and work went on between them.
    assert inside_a_transaction >= kills // 2, (inside_a_transaction, kills)
    assert sizes[-1] > sizes[0] > 0


def _check(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        releases = select(ReleaseRow.id).where(ReleaseRow.id.like("bulk-%"))
        leaves = select(LedgerLeafRow.release_id)
        count = session.scalar(select(func.count()).select_from(releases.subquery()))
        assert count == session.scalar(select(func.count()).select_from(LedgerLeafRow))
        # One-to-one: no release without its leaf, no leaf without its release.
        assert (
            session.scalar(
                select(func.count()).where(
                    ReleaseRow.id.like("bulk-%"), ReleaseRow.id.not_in(leaves)
                )
            )
            == 0
        )
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
