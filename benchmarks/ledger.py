"""Ledger benchmark: durable appends, proofs from the database, first root after reopening.

    .venv/bin/python -m benchmarks ledger

Everything runs on SQLite files with SQLite's default durability (rollback journal,
``synchronous=FULL``: each commit is on disk before it returns), against pymerkle 7's
SQLite backend on the same machine in the same run. pymerkle is GPL: it is imported here,
in the benchmark, and never from ``src/``.

Goals (issue 6): >= 3,000 durable appends/s with grouped commits and >= 10x pymerkle's
one-commit-per-entry rate; inclusion and consistency proofs < 0.2 ms at 10**6 leaves;
first root after reopening < 10 ms.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from tearline.ledger.heads import private_key_from_raw, verify_tree_head
from tearline.ledger.leaf import ReleaseLeaf
from tearline.ledger.merkle import root_hash
from tearline.store.database import make_engine, migrate, sqlite_url, unit_of_work
from tearline.store.ledger_log import LedgerLog

KEY = private_key_from_raw(bytes(range(32)))
AT = datetime(2026, 1, 1, tzinfo=UTC)
SIZES = (100_000, 1_000_000)
BULK = 50_000  # leaves per transaction when building the large logs
PROOFS = 2_000  # random proofs timed per size
REOPENS = 30


def leaf(number: int) -> bytes:
    return ReleaseLeaf(
        release_id=f"rel-{number:08d}",
        report_id=f"rep-{number % 97}",
        content_sha256=number.to_bytes(32, "big"),
        version="tearline",
        recipient=f"partner-{number % 7}",
        fingerprint_id=f"fp-{number}",
        protocol_version="alliance-standard@3",
        at=AT,
    ).encode()


def fresh_log(folder: Path, name: str) -> Engine:
    engine = make_engine(sqlite_url(folder / f"{name}.db"))
    migrate(engine)
    return engine


def ours_grouped(folder: Path, per_commit: int, total: int, *, one_by_one: bool = False) -> float:
    """Durable appends/s with ``per_commit`` appends and one signed head per commit.

    By default as ``services.ledger.record_releases`` does it (``append_many``: one insert
    per table per commit); ``one_by_one`` calls ``append`` for each entry instead.
    """
    engine = fresh_log(folder, f"grouped-{per_commit}-{one_by_one}")
    entries = [(f"rel-{n:08d}", leaf(n)) for n in range(total)]
    started = time.perf_counter()
    for first in range(0, total, per_commit):
        batch = entries[first : first + per_commit]
        with unit_of_work(engine) as session:
            log = LedgerLog(session)
            if one_by_one:
                for release_id, data in batch:
                    log.append(release_id, data)
            else:
                log.append_many(batch)
            log.sign_head(KEY, 1_700_000_000_000 + first)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return total / elapsed


def ours_per_entry(folder: Path, seconds: float) -> float:
    """Appends/s with one commit (and one signed head) per entry."""
    engine = fresh_log(folder, "per-entry")
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        with unit_of_work(engine) as session:
            log = LedgerLog(session)
            log.append(f"rel-{n:08d}", leaf(n))
            log.sign_head(KEY, 1_700_000_000_000 + n)
        n += 1
    rate = n / (time.perf_counter() - started)
    engine.dispose()
    return rate


def pymerkle_per_entry(folder: Path, seconds: float) -> float:
    from pymerkle import SqliteTree

    tree = SqliteTree(str(folder / "pymerkle-per-entry.db"))
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        tree.append_entry(leaf(n))  # pymerkle commits each entry
        n += 1
    rate = n / (time.perf_counter() - started)
    tree.close()
    return rate


def build_ours(folder: Path, size: int) -> tuple[Engine, float]:
    engine = fresh_log(folder, f"ours-{size}")
    started = time.perf_counter()
    for first in range(0, size, BULK):
        with unit_of_work(engine) as session:
            log = LedgerLog(session)
            batch = range(first, min(first + BULK, size))
            log.append_many([(f"rel-{n:08d}", leaf(n)) for n in batch])
            log.sign_head(KEY, 1_700_000_000_000 + first)
    return engine, time.perf_counter() - started


def build_pymerkle(folder: Path, size: int) -> tuple[str, float]:
    from pymerkle import SqliteTree

    path = str(folder / f"pymerkle-{size}.db")
    started = time.perf_counter()
    with SqliteTree(path) as tree:
        tree.append_entries(leaf(n) for n in range(size))
    return path, time.perf_counter() - started


def timed(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """Median and 99th percentile, in ms."""
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def ours_proofs(engine: Engine, size: int, rng: random.Random) -> dict[str, tuple[float, float]]:
    pairs = [(rng.randrange(size), rng.randrange(1, size)) for _ in range(PROOFS)]
    with unit_of_work(engine) as session:
        log = LedgerLog(session)
        log.inclusion_proof(0, size)  # warm the connection and statement cache
        return {
            "inclusion": timed([lambda i=i: log.inclusion_proof(i, size) for i, _ in pairs]),
            "consistency": timed([lambda m=m: log.consistency_proof(m, size) for _, m in pairs]),
        }


def pymerkle_proofs(path: str, size: int, rng: random.Random) -> dict[str, tuple[float, float]]:
    from pymerkle import SqliteTree

    pairs = [(rng.randrange(size), rng.randrange(1, size)) for _ in range(PROOFS // 10)]
    with SqliteTree(path) as tree:
        cold = timed([lambda: tree.prove_inclusion(1, size)])
        return {
            "inclusion, first after opening": cold,
            "inclusion": timed([lambda i=i: tree.prove_inclusion(i + 1, size) for i, _ in pairs]),
            "consistency": timed([lambda m=m: tree.prove_consistency(m, size) for _, m in pairs]),
        }


def ours_first_root(folder: Path, size: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """A new engine and session each time, as a restarted process: root, and checked head."""
    url = sqlite_url(folder / f"ours-{size}.db")

    def root() -> None:
        engine = make_engine(url)
        with unit_of_work(engine) as session:
            LedgerLog(session).root()
        engine.dispose()

    def checked() -> None:
        engine = make_engine(url)
        with unit_of_work(engine) as session:
            head = LedgerLog(session).check_head(KEY.public_key())
            assert head is not None
            verify_tree_head(KEY.public_key(), head)
        engine.dispose()

    return timed([root] * REOPENS), timed([checked] * REOPENS)


def pymerkle_first_root(path: str) -> tuple[float, float]:
    from pymerkle import SqliteTree

    def root() -> None:
        with SqliteTree(path) as tree:
            tree.get_state()

    return timed([root] * 3)


def main() -> None:
    try:
        import pymerkle  # noqa: F401  (GPL: benchmark only, never imported from src/)
    except ImportError:
        raise SystemExit(
            "benchmarks.ledger compares against pymerkle 7: pip install 'pymerkle>=7,<8'"
        ) from None
    rng = random.Random(9162)
    print("Command: `.venv/bin/python -m benchmarks ledger` (part of `make bench`).\n")
    with tempfile.TemporaryDirectory(prefix="tearline-bench-") as tmp:
        folder = Path(tmp)
        grouped_100 = ours_grouped(folder, 100, 20_000)
        grouped_1000 = ours_grouped(folder, 1000, 50_000)
        one_by_one_100 = ours_grouped(folder, 100, 10_000, one_by_one=True)
        ours_single = ours_per_entry(folder, 3.0)
        theirs_single = pymerkle_per_entry(folder, 3.0)
        # Sanity: the stored root is the RFC 9162 root of the same leaves.
        engine, _ = build_ours(folder, 1_000)
        with unit_of_work(engine) as session:
            assert LedgerLog(session).root() == root_hash([leaf(n) for n in range(1_000)])
        engine.dispose()

        print("Durable appends (SQLite file, default `synchronous=FULL`), higher is better:\n")
        print("| what | appends/s | vs pymerkle per entry |")
        print("|---|---:|---:|")
        for label, rate in (
            ("tearline, 100 per commit + one signed head (`record_releases`)", grouped_100),
            ("tearline, 1000 per commit + one signed head (`record_releases`)", grouped_1000),
            ("tearline, 100 per commit, `append` called for each", one_by_one_100),
            ("tearline, one commit + signed head per entry", ours_single),
            ("pymerkle 7 `SqliteTree.append_entry` (one commit per entry)", theirs_single),
        ):
            print(f"| {label} | {rate:,.0f} | {rate / theirs_single:.1f}x |")

        rows, roots = [], []
        for size in SIZES:
            engine, built = build_ours(folder, size)
            path, built_theirs = build_pymerkle(folder, size)
            ours = ours_proofs(engine, size, rng)
            engine.dispose()
            theirs = pymerkle_proofs(path, size, rng)
            for kind, (median, p99) in ours.items():
                rows.append((size, f"tearline {kind}", median, p99))
            for kind, (median, p99) in theirs.items():
                rows.append((size, f"pymerkle {kind}", median, p99))
            root, checked = ours_first_root(folder, size)
            roots.append((size, "tearline root", *root))
            roots.append((size, "tearline root + signed head checked", *checked))
            roots.append((size, "pymerkle `get_state()`", *pymerkle_first_root(path)))
            roots.append(
                (
                    size,
                    f"(build: tearline {built:.1f} s, pymerkle bulk {built_theirs:.1f} s)",
                    0.0,
                    0.0,
                )
            )

        print(
            f"\nProofs from the database, {PROOFS} random ones each (pymerkle: {PROOFS // 10}), ms:\n"
        )
        print("| leaves | proof | median | p99 |")
        print("|---:|---|---:|---:|")
        for size, label, median, p99 in rows:
            print(f"| {size:,} | {label} | {median:.3f} | {p99:.3f} |")

        print(
            f"\nFirst root after reopening (new engine and session each time, {REOPENS} runs), ms:\n"
        )
        print("| leaves | what | median | p99 |")
        print("|---:|---|---:|---:|")
        for size, label, median, p99 in roots:
            if median:
                print(f"| {size:,} | {label} | {median:.2f} | {p99:.2f} |")
            else:
                print(f"| {size:,} | {label} | | |")

        best = max(grouped_100, grouped_1000)
        at_million = {label: median for size, label, median, _ in rows if size == SIZES[-1]}
        first_root = max(
            median for size, label, median, _ in roots if label.startswith("tearline root")
        )
        print("\nGoals:\n")
        print(
            f"- >= 3,000 durable appends/s grouped: {best:,.0f}/s — {'met' if best >= 3000 else 'NOT met'}"
        )
        ratio = best / theirs_single
        print(f"- >= 10x pymerkle per entry: {ratio:.0f}x — {'met' if ratio >= 10 else 'NOT met'}")
        worst = max(at_million["tearline inclusion"], at_million["tearline consistency"])
        print(
            f"- proofs < 0.2 ms at 10^6 (median): {worst:.3f} ms — {'met' if worst < 0.2 else 'NOT met'}"
        )
        print(
            f"- first root < 10 ms (median): {first_root:.2f} ms — {'met' if first_root < 10 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
