"""Bulk releases through the real release path, forever, for the crash test.

    python -m tests.ledger_store.crash_release_worker DB_URL PROGRESS_FILE SEED

Each unit of work is one ``release_report`` of the next report to every
partner (decisions, copies, release rows, ledger leaves and a signed head);
PROGRESS_FILE gets ``begin N`` before and ``commit N`` after each.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from tearline.services.release import release_report
from tearline.services.world import current_world
from tearline.store.database import make_engine, unit_of_work
from tests.ledger_store.harness import KEY

PARTNERS = [f"p{i:02d}" for i in range(12)]
MARKING_KEY = bytes(32)  # the fingerprint key (its value does not matter here)


def main(db_url: str, progress_file: str, seed: int) -> None:
    engine = make_engine(db_url)
    progress = os.open(progress_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    number = seed * 1_000_000
    while True:
        os.write(progress, f"begin {number}\n".encode())
        with unit_of_work(engine) as session:
            world = current_world(session)
            report = world.reports[number % len(world.reports)].id
            now = datetime.now(UTC)  # microseconds keep each release id unique
            release_report(
                session,
                world,
                report,
                PARTNERS,
                now=now,
                today=now.date(),
                signing_key=KEY,
                fingerprint_key=MARKING_KEY,
                # The reports are one-line texts without fingerprint slots: every copy
                # is identical, which release refuses unless forced (issue 17); forced,
                # each unit of work still writes twelve copies and leaves.
                force_untraceable=True,
            )
        os.write(progress, f"commit {number}\n".encode())
        number += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
