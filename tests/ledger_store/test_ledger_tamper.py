"""Tampering with the stored ledger, directly in the database, is detected.

Every case edits the tables behind the log's back, then checks what an auditor sees:
``verify`` (the full audit) fails at the first bad index; the O(log n) start-up check
refuses to serve when the change reaches the last signed head; a log that refuses to serve
refuses to append too; and a rewritten history fails consistency with a head saved before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update

from tearline.domain.errors import LedgerIntegrityError, VerificationError
from tearline.ledger.compact import Frontier
from tearline.ledger.heads import SignedTreeHead, sign_tree_head
from tearline.ledger.merkle import leaf_hash
from tearline.services.ledger import check_ledger, make_receipt, prove_consistency, verify_ledger
from tearline.store.database import unit_of_work
from tearline.store.ledger_log import LedgerLog
from tearline.store.ledger_tables import (
    LedgerHeadRow,
    LedgerLeafRow,
    LedgerNodeRow,
    LedgerStateRow,
)
from tests.ledger_store.harness import KEY, leaf_for, load_world, release, release_batches

PUBLIC = KEY.public_key()
SIZES = [5, 12, 20, 33, 40]  # one signed head per unit of work
LEAVES, NODES, HEADS, STATE = (
    LedgerLeafRow.__table__,
    LedgerNodeRow.__table__,
    LedgerHeadRow.__table__,
    LedgerStateRow.__table__,
)


@pytest.fixture
def logged(engine: Engine) -> Engine:
    load_world(engine)
    release_batches(engine, [range(a, b) for a, b in zip([0, *SIZES], SIZES, strict=False)])
    return engine


# -- the tampering ----------------------------------------------------------------------------


def _edit_leaf(c: Connection) -> None:  # another copy under the same release id
    c.execute(
        update(LEAVES)
        .where(LEAVES.c.leaf_index == 7)
        .values(leaf=leaf_for(7, variant="!").encode())
    )


def _flip_a_byte(c: Connection) -> None:
    leaf = bytearray(leaf_for(7).encode())
    leaf[60] ^= 1  # inside content_sha256
    c.execute(update(LEAVES).where(LEAVES.c.leaf_index == 7).values(leaf=bytes(leaf)))


def _delete_leaf(c: Connection) -> None:
    c.execute(delete(LEAVES).where(LEAVES.c.leaf_index == 9))


def _delete_last_leaf(c: Connection) -> None:
    c.execute(delete(LEAVES).where(LEAVES.c.leaf_index == 39))


def _swap_leaf_bytes(c: Connection) -> None:
    for index, other in ((3, 11), (11, 3)):
        c.execute(
            update(LEAVES).where(LEAVES.c.leaf_index == index).values(leaf=leaf_for(other).encode())
        )


def _swap_rows(c: Connection) -> None:  # rows keep their release ids and bytes, trade places
    for old, new in ((3, -1), (11, 3), (-1, 11)):
        c.execute(update(LEAVES).where(LEAVES.c.leaf_index == old).values(leaf_index=new))


def _swap_release_ids(c: Connection) -> None:
    for old, new in (
        ("bulk-000003", "tmp"),
        ("bulk-000011", "bulk-000003"),
        ("tmp", "bulk-000011"),
    ):
        c.execute(update(LEAVES).where(LEAVES.c.release_id == old).values(release_id=new))


def _node(level: int, index: int) -> object:
    return and_(NODES.c.level == level, NODES.c.node_index == index)


def _edit_inner_node(c: Connection) -> None:  # leaves 4..7, below the frontier
    c.execute(update(NODES).where(_node(2, 1)).values(digest=bytes(32)))


def _edit_frontier_node(c: Connection) -> None:  # leaves 32..39: 40 = 32 + 8
    c.execute(update(NODES).where(_node(3, 4)).values(digest=bytes(32)))


def _edit_leaf_hash(c: Connection) -> None:
    c.execute(update(NODES).where(_node(0, 17)).values(digest=bytes(32)))


def _delete_node(c: Connection) -> None:
    c.execute(delete(NODES).where(_node(1, 3)))


def _add_node_beyond(c: Connection) -> None:
    c.execute(insert(NODES).values(level=0, node_index=40, digest=bytes(32)))


def _delete_last_head(c: Connection) -> None:
    c.execute(delete(HEADS).where(HEADS.c.size == 40))


def _edit_head_root(c: Connection) -> None:
    c.execute(update(HEADS).where(HEADS.c.size == 40).values(root=bytes(32)))


def _edit_old_head_root(c: Connection) -> None:
    c.execute(update(HEADS).where(HEADS.c.size == 12).values(root=bytes(32)))


def _edit_state(c: Connection) -> None:
    c.execute(update(STATE).values(size=41))


def _rewrite_keeping_old_heads(c: Connection) -> None:
    """Rewrite leaves 25..39 with their nodes, re-sign head 40, leave head 33 as it was."""
    _rewrite(c, 25, 40)
    c.execute(delete(HEADS).where(HEADS.c.size == 40))
    _sign(c, 40)


@dataclass(frozen=True)
class Case:
    tamper: Callable[[Connection], None]
    first_bad_index: int
    refuses_to_serve: bool  # does the O(log n) start-up check see it?


CASES = {
    "edit a leaf": Case(_edit_leaf, 7, False),
    "flip one byte of a leaf": Case(_flip_a_byte, 7, False),
    "delete a leaf": Case(_delete_leaf, 9, False),
    "delete the last leaf": Case(_delete_last_leaf, 39, True),
    "swap two leaves' bytes": Case(_swap_leaf_bytes, 3, False),
    "swap two leaf rows": Case(_swap_rows, 3, False),
    "swap two release ids": Case(_swap_release_ids, 3, False),
    "edit an inner node": Case(_edit_inner_node, 4, False),
    "edit a frontier node": Case(_edit_frontier_node, 32, True),
    "edit a stored leaf hash": Case(_edit_leaf_hash, 17, False),
    "delete an inner node": Case(_delete_node, 6, False),
    "add a node past the end": Case(_add_node_beyond, 40, False),
    "delete the last head": Case(_delete_last_head, 33, True),
    "edit the last head": Case(_edit_head_root, 33, True),
    "edit an older head": Case(_edit_old_head_root, 5, False),
    "edit the size": Case(_edit_state, 40, True),
    "fork, keeping the old heads": Case(_rewrite_keeping_old_heads, 20, False),
}


@pytest.mark.parametrize("name", CASES)
def test_tampering_is_detected(logged: Engine, name: str) -> None:
    case = CASES[name]
    with unit_of_work(logged) as session:
        verify_ledger(session, PUBLIC)  # intact before
    with logged.begin() as connection:
        case.tamper(connection)

    with unit_of_work(logged) as session, pytest.raises(LedgerIntegrityError) as caught:
        verify_ledger(session, PUBLIC)
    assert caught.value.index == case.first_bad_index, str(caught.value)

    if case.refuses_to_serve:
        with unit_of_work(logged) as session, pytest.raises(LedgerIntegrityError, match="refuses"):
            check_ledger(session, PUBLIC)
        with pytest.raises(LedgerIntegrityError), unit_of_work(logged) as session:
            release(session, range(1000, 1001))  # nor will it sign over the damage
    else:
        with unit_of_work(logged) as session:
            check_ledger(session, PUBLIC)  # below the frontier: the full audit's job


def test_a_receipt_over_a_damaged_node_is_never_handed_out(logged: Engine) -> None:
    with logged.begin() as connection:
        _edit_inner_node(connection)
    with unit_of_work(logged) as session:
        make_receipt(session, "bulk-000009", PUBLIC)  # its path avoids node (2, 1)
        with pytest.raises(LedgerIntegrityError, match="receipt that fails") as caught:
            make_receipt(session, "bulk-000002", PUBLIC)  # leaves 0..3 have it as sibling
    assert caught.value.index == 2


def test_a_receipt_for_a_swapped_release_id_is_refused(logged: Engine) -> None:
    with logged.begin() as connection:
        _swap_release_ids(connection)
    with unit_of_work(logged) as session, pytest.raises(LedgerIntegrityError, match="stored under"):
        make_receipt(session, "bulk-000003", PUBLIC)


# -- forks: a consistent rewrite signed with the log's own key ---------------------------------


def _saved_head(engine: Engine, size: int) -> SignedTreeHead:
    with unit_of_work(engine) as session:
        head = LedgerLog(session).head_at(size)
    assert head is not None
    return head


def test_a_resigned_fork_fails_consistency_with_a_saved_head(logged: Engine) -> None:
    saved_20, saved_40 = _saved_head(logged, 20), _saved_head(logged, 40)
    with logged.begin() as connection:  # rewrite from leaf 25, drop every later head
        _rewrite(connection, 25, 25)
        connection.execute(delete(HEADS).where(HEADS.c.size > 25))
        _sign(connection, 25)
    with unit_of_work(logged) as session:
        log = LedgerLog(session)
        forged_leaves = [leaf_for(n, variant="forged") for n in range(25, 42)]
        log.append_many([(leaf.release_id, leaf.encode()) for leaf in forged_leaves])
        log.sign_head(KEY, 2)
    with unit_of_work(logged) as session:
        forged = check_ledger(session, PUBLIC)  # the forger holds the key: a clean log ...
        assert forged is not None
        assert forged.head.size == 42
        verify_ledger(session, PUBLIC)
        prove_consistency(session, saved_20, forged, PUBLIC)  # ... intact before the fork ...
        with pytest.raises(VerificationError, match="does not match"):
            prove_consistency(session, saved_40, forged, PUBLIC)  # ... but not after it


def test_a_fork_of_the_same_size_fails_consistency(logged: Engine) -> None:
    saved = _saved_head(logged, 40)
    with logged.begin() as connection:
        _rewrite_keeping_old_heads(connection)
    with unit_of_work(logged) as session:
        forged = check_ledger(session, PUBLIC)
        assert forged is not None
        with pytest.raises(VerificationError, match="different roots"):
            prove_consistency(session, saved, forged, PUBLIC)


def test_a_truncated_log_fails_consistency(logged: Engine) -> None:
    saved = _saved_head(logged, 40)
    with logged.begin() as connection:
        _rewrite(connection, 30, 30)
        connection.execute(delete(HEADS).where(HEADS.c.size > 30))
        _sign(connection, 30)
    with unit_of_work(logged) as session:
        truncated = check_ledger(session, PUBLIC)
        assert truncated is not None
        verify_ledger(session, PUBLIC)
        with pytest.raises(VerificationError, match="smaller"):
            prove_consistency(session, saved, truncated, PUBLIC)
        # Given the other way round, the proof needs leaves the log no longer has.
        with pytest.raises(VerificationError, match="only 30 leaves"):
            prove_consistency(session, truncated, saved, PUBLIC)


def _rewrite(c: Connection, start: int, end: int) -> None:
    """Replace leaves ``start..end-1`` (dropping any later ones) with forged leaves and
    consistent nodes, as an attacker with database access would."""
    c.execute(delete(LEAVES).where(LEAVES.c.leaf_index >= start))
    c.execute(
        delete(NODES).where(
            or_(*(and_(NODES.c.level == lv, NODES.c.node_index >= start >> lv) for lv in range(64)))
        )
    )
    leaves = [leaf_for(n).encode() for n in range(start)]
    leaves += [leaf_for(n, variant="forged").encode() for n in range(start, end)]
    frontier, _ = Frontier().extend(leaf_hash(leaf) for leaf in leaves[:start])
    _, completed = frontier.extend(leaf_hash(leaf) for leaf in leaves[start:])
    if end > start:
        c.execute(
            insert(LEAVES),
            [
                {"leaf_index": n, "release_id": f"bulk-{n:06d}", "leaf": leaves[n]}
                for n in range(start, end)
            ],
        )
        c.execute(
            insert(NODES),
            [{"level": n.level, "node_index": n.index, "digest": n.digest} for n in completed],
        )
    c.execute(update(STATE).values(size=end))


def _sign(c: Connection, size: int) -> None:
    root = _root_of(c, size)
    sth = sign_tree_head(KEY, size, root, 1)
    c.execute(
        insert(HEADS).values(
            size=size,
            root=sth.head.root,
            timestamp_ms=sth.head.timestamp_ms,
            key_id=sth.key_id,
            signature=sth.signature,
        )
    )


def _root_of(c: Connection, size: int) -> bytes:
    leaves = c.execute(
        select(LEAVES.c.leaf).where(LEAVES.c.leaf_index < size).order_by(LEAVES.c.leaf_index)
    ).scalars()
    frontier, _ = Frontier().extend(leaf_hash(bytes(leaf)) for leaf in leaves)
    return frontier.root()
