"""The stored log on SQLite and PostgreSQL: roots and proofs equal the RFC 9162 definitions,
in O(log n) rows, survive a restart, and appends share the caller's transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, event, func, select

from tearline.domain.errors import LedgerIntegrityError, NotFoundError, StoreError
from tearline.ledger import merkle
from tearline.ledger.heads import verify_tree_head
from tearline.ledger.receipts import verify_consistency_between, verify_receipt
from tearline.services.ledger import make_receipt, record_releases, verify_ledger
from tearline.store.database import make_engine, unit_of_work
from tearline.store.ledger_log import LedgerLog
from tearline.store.ledger_tables import LedgerHeadRow, LedgerLeafRow
from tearline.store.tables import ReleaseRow
from tests.ledger_store.harness import (
    KEY,
    OTHER_KEY,
    START,
    leaf_for,
    load_world,
    release,
    release_batches,
    release_id,
)

PUBLIC = KEY.public_key()
BATCHES = [range(0, 1), range(1, 5), range(5, 6), range(6, 13), range(13, 21)]
SIZES = [1, 5, 6, 13, 21]


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


@pytest.fixture
def logged(world: Engine) -> Engine:
    release_batches(world, BATCHES)
    return world


def _leaves(count: int) -> list[bytes]:
    return [leaf_for(n).encode() for n in range(count)]


def test_roots_and_proofs_equal_the_definitions(logged: Engine) -> None:
    leaves = _leaves(21)
    with unit_of_work(logged) as session:
        log = LedgerLog(session)
        assert log.size() == 21
        for size in range(22):
            assert log.root(size) == merkle.root_hash(leaves[:size])
        for size in range(1, 22):
            for index in range(size):
                assert log.inclusion_proof(index, size) == merkle.inclusion_proof(
                    leaves[:size], index
                )
            for old in range(1, size + 1):
                assert log.consistency_proof(old, size) == merkle.consistency_proof(
                    leaves[:size], old
                )


def test_each_unit_of_work_signs_one_head(logged: Engine) -> None:
    leaves = _leaves(21)
    with unit_of_work(logged) as session:
        log = LedgerLog(session)
        sizes = session.scalars(select(LedgerHeadRow.size).order_by(LedgerHeadRow.size)).all()
        assert sizes == SIZES
        for size in SIZES:
            sth = log.head_at(size)
            assert sth is not None
            verify_tree_head(PUBLIC, sth)
            assert sth.head.root == merkle.root_hash(leaves[:size])
        assert log.latest_head() == log.head_at(21)
        assert log.check_head(PUBLIC) == log.head_at(21)
        assert verify_ledger(session, PUBLIC).heads == len(SIZES)


def test_a_restart_has_the_root_at_once(logged: Engine, db_url: str) -> None:
    fresh = make_engine(db_url)
    try:
        with unit_of_work(fresh) as session, _counting(fresh) as statements:
            root = LedgerLog(session).root()
        assert root == merkle.root_hash(_leaves(21))
        # The state row and one query for the frontier: 21 = 16 + 4 + 1 leaves, three nodes.
        assert len(statements) == 2
        assert "ledger_state" in statements[0].sql
        assert statements[1].keys == 3
    finally:
        fresh.dispose()


def test_proofs_read_one_query_of_log_n_rows(world: Engine) -> None:
    with unit_of_work(world) as session:
        release(session, range(1000))
    with unit_of_work(world) as session, _counting(world) as statements:
        log = LedgerLog(session)
        proof = log.inclusion_proof(617, 1000)
        assert len(proof) == 10
        consistency = log.consistency_proof(617, 1000)
    reads = [s for s in statements if "ledger_nodes" in s.sql]
    assert len(reads) == 2
    assert reads[0].keys <= 2 * 10  # at most two perfect subtrees per level of the path
    assert reads[1].keys <= 2 * 10
    leaves = _leaves(1000)
    assert proof == merkle.inclusion_proof(leaves, 617)
    assert consistency == merkle.consistency_proof(leaves, 617)


def test_an_append_writes_o_log_n_rows(world: Engine) -> None:
    with unit_of_work(world) as session:
        release(session, range(1023))
    with unit_of_work(world) as session:
        release(session, range(2000, 2001))  # fills a perfect tree of 1024: 11 nodes
        stored = session.scalar(select(func.count()).select_from(LedgerLeafRow))
        assert stored == 1024
    with unit_of_work(world) as session, _counting(world) as statements:
        log = LedgerLog(session)
        for number in range(3000, 3004):
            session.add(_release_row(number))
            session.flush()
            log.append(release_id(number), leaf_for(number).encode())
    writes = [s for s in statements if s.sql.startswith(("INSERT INTO ledger", "UPDATE"))]
    # The lock, then per append: its leaf, its completed nodes, the size.
    assert len(writes) == 1 + 4 * 3


def test_an_append_is_rolled_back_with_its_release(world: Engine) -> None:
    class BoomError(Exception):
        pass

    release_batches(world, [range(3)])
    with pytest.raises(BoomError), unit_of_work(world) as session:  # noqa: PT012
        release(session, range(3, 6))
        raise BoomError
    with unit_of_work(world) as session:
        log = LedgerLog(session)
        assert log.size() == 3
        assert log.check_head(PUBLIC) is not None
        assert session.scalar(select(func.count()).select_from(ReleaseRow)) == 2 + 3


def test_receipts_verify_with_the_public_key(logged: Engine) -> None:
    with unit_of_work(logged) as session:
        for number in (0, 7, 20):
            receipt = make_receipt(session, release_id(number), PUBLIC)
            assert receipt.index == number
            assert receipt.tree_head.head.size == 21
            verify_receipt(receipt, PUBLIC)
        with pytest.raises(NotFoundError):
            make_receipt(session, "no-such-release", PUBLIC)


def test_consistency_between_stored_heads(logged: Engine) -> None:
    with unit_of_work(logged) as session:
        log = LedgerLog(session)
        for old in SIZES:
            for new in SIZES:
                if old <= new:
                    old_head, new_head = log.head_at(old), log.head_at(new)
                    assert old_head is not None
                    assert new_head is not None
                    proof = log.consistency_proof(old, new)
                    verify_consistency_between(old_head, new_head, proof, PUBLIC)


def test_signing_twice_at_one_size_keeps_the_first_head(logged: Engine) -> None:
    with unit_of_work(logged) as session:
        log = LedgerLog(session)
        first = log.latest_head()
        assert log.sign_head(KEY, 99) == first
        assert record_releases(session, [], KEY, START) == []


def test_a_log_signed_by_one_key_refuses_another(logged: Engine) -> None:
    def append_and_sign_with_another_key() -> None:
        with unit_of_work(logged) as session:
            log = LedgerLog(session)
            log.append(release_id(100), leaf_for(100).encode())
            log.sign_head(OTHER_KEY, 1)

    with pytest.raises(StoreError, match="refusing to sign"):
        append_and_sign_with_another_key()
    with unit_of_work(logged) as session:
        log = LedgerLog(session)
        assert log.size() == 21  # rolled back
        with pytest.raises(LedgerIntegrityError, match="names signing key"):
            log.check_head(OTHER_KEY.public_key())


def test_an_empty_log_has_nothing_to_sign(world: Engine) -> None:
    with unit_of_work(world) as session:
        log = LedgerLog(session)
        assert log.check_head(PUBLIC) is None
        assert log.root() == merkle.EMPTY_ROOT
        with pytest.raises(StoreError, match="empty"):
            log.sign_head(KEY, 1)


def test_a_release_id_is_logged_once(logged: Engine) -> None:
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), unit_of_work(logged) as session:
        LedgerLog(session).append(release_id(3), b"again")


def test_concurrent_writers_never_share_an_index(world: Engine, db_url: str) -> None:
    engines = [make_engine(db_url) for _ in range(4)]
    errors: list[BaseException] = []

    def writer(engine: Engine, worker: int) -> None:
        try:
            for batch in range(6):
                first = 10_000 * (worker + 1) + 10 * batch
                with unit_of_work(engine) as session:
                    release(session, range(first, first + 3))
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(e, i)) for i, e in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    with unit_of_work(world) as session:
        audit = verify_ledger(session, PUBLIC)
        assert audit.size == 4 * 6 * 3
        assert audit.heads == 4 * 6


# -- statement counting -----------------------------------------------------------------------


@dataclass
class _Statement:
    sql: str
    keys: int = 0  # for node reads: how many (level, node_index) keys, hence rows at most


@contextmanager
def _counting(engine: Engine) -> Iterator[list[_Statement]]:
    """Every statement run while the block runs. Node reads bypass SQLAlchemy's execution
    events (they run on the DB-API cursor), so they are recorded at ``_fetch_nodes``."""
    seen: list[_Statement] = []

    def before(conn: object, cursor: object, sql: str, *args: object) -> None:
        seen.append(_Statement(" ".join(sql.split())))

    fetch = LedgerLog._fetch_nodes

    def fetch_nodes(self: LedgerLog, keys: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        seen.append(_Statement("SELECT ... FROM ledger_nodes", len(keys)))
        found = fetch(self, keys)
        assert len(found) == len(keys)
        return found

    event.listen(engine, "before_cursor_execute", before)
    LedgerLog._fetch_nodes = fetch_nodes  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        LedgerLog._fetch_nodes = fetch  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", before)


def _release_row(number: int) -> ReleaseRow:
    leaf = leaf_for(number)
    return ReleaseRow(
        id=leaf.release_id,
        report_id=leaf.report_id,
        partner_id=leaf.recipient,
        version=leaf.version,
        at=leaf.at,
        note="",
    )
