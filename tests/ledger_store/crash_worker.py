"""A bulk release that never ends, for the crash test to kill with SIGKILL.

    python -m tests.ledger_store.crash_worker DB_URL PROGRESS_FILE SEED

Releases the next numbers in units of work of 1 to 20 releases, each with its leaves and one
signed head, forever. Before each unit of work it appends ``begin N`` to PROGRESS_FILE and,
after its commit, ``commit N``: after a kill, a last line ``begin`` means the kill landed
inside a transaction.
"""

from __future__ import annotations

import os
import random
import sys

from tearline.store.database import make_engine, unit_of_work
from tearline.store.ledger_log import LedgerLog
from tests.ledger_store.harness import release


def main(db_url: str, progress_file: str, seed: int) -> None:
    engine = make_engine(db_url)
    rng = random.Random(seed)
    with unit_of_work(engine) as session:
        number = LedgerLog(session).size()  # leaves are numbered like the releases
    progress = os.open(progress_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        count = rng.randint(1, 20)
        os.write(progress, f"begin {number}\n".encode())
        with unit_of_work(engine) as session:
            release(session, range(number, number + count))
        os.write(progress, f"commit {number}\n".encode())
        number += count


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
