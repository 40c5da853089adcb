"""Known-answer tests from published RFC 6962 / RFC 9162 vectors.

The vectors live outside the repository, in ``../shared/testdata/rfc9162-vectors.json`` next
to the repository root (collected from transparency-dev/merkle, google/certificate-transparency
and golang/mod; see its ``sources``). Without that folder these tests skip, saying so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tearline.domain.errors import VerificationError
from tearline.ledger.compact import (
    Frontier,
    consistency_proof_from_subtrees,
    inclusion_proof_from_subtrees,
    root_from_subtrees,
)
from tearline.ledger.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    split_point,
    verify_consistency,
    verify_inclusion,
)

TESTDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata"
VECTORS_FILE = TESTDATA / "rfc9162-vectors.json"

pytestmark = pytest.mark.skipif(
    not VECTORS_FILE.is_file(),
    reason=f"shared vectors not found: {VECTORS_FILE} (../shared/testdata next to the repo)",
)

VECTORS: dict[str, Any] = (
    json.loads(VECTORS_FILE.read_text(encoding="utf-8")) if VECTORS_FILE.is_file() else {}
)

SubtreeHash = Callable[[int, int], bytes]


def _h(value: str) -> bytes:
    return bytes.fromhex(value)


def _hs(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(value) for value in values]


def _cases(*path: str) -> list[Any]:
    node: Any = VECTORS
    for key in path:
        if key not in node:
            return []
        node = node[key]
    return list(node)


def _leaves() -> list[bytes]:
    return _hs(VECTORS["leaves_hex"])


def _table(leaves: list[bytes]) -> SubtreeHash:
    """A store-like lookup of perfect subtree hashes, filled through the frontier."""
    _, nodes = Frontier().extend(leaf_hash(leaf) for leaf in leaves)
    table = {(node.level, node.index): node.digest for node in nodes}
    return lambda start, size: table[(size.bit_length() - 1, start // size)]


def _shifted(subtree_hash: SubtreeHash, offset: int) -> SubtreeHash:
    """The same table seen from leaf ``offset`` (which must be suitably aligned)."""
    return lambda start, size: subtree_hash(offset + start, size)


def _raises(check: Callable[[], None]) -> bool:
    try:
        check()
    except VerificationError:
        return True
    return False


# -- hashing (rfc6962/rfc6962_test.go) ----------------------------------------------------


def test_hasher_known_answers() -> None:
    kats = VECTORS["hasher_kats"]
    assert EMPTY_ROOT == root_hash([]) == _h(kats["empty_root"])
    for kat in kats["leaf"]:
        assert leaf_hash(_h(kat["input_hex"])) == _h(kat["leaf_hash"])
    for kat in kats["node"]:
        assert node_hash(_h(kat["left_hex"]), _h(kat["right_hex"])) == _h(kat["node_hash"])


# -- the 8-leaf reference tree (testonly/constants.go, merkle_tree_test.cc) ------------------


@pytest.mark.parametrize("size", sorted(int(size) for size in VECTORS.get("roots_by_size", {})))
def test_root_at_each_size(size: int) -> None:
    leaves = _leaves()[:size]
    expected = _h(VECTORS["roots_by_size"][str(size)])
    assert root_hash(leaves) == expected
    frontier, _ = Frontier().extend(leaf_hash(leaf) for leaf in leaves)
    assert frontier.root() == expected
    assert root_from_subtrees(_table(leaves), size) == expected


def test_every_node_hash_of_the_reference_tree() -> None:
    levels = VECTORS["node_hashes_by_level"]
    _, nodes = Frontier().extend(leaf_hash(leaf) for leaf in _leaves())
    assert {(n.level, n.index): n.digest.hex() for n in nodes} == {
        (level, index): digest
        for level, row in enumerate(levels)
        for index, digest in enumerate(row)
    }


@pytest.mark.parametrize("case", _cases("inclusion_proofs"), ids=lambda c: f"{c['leaf_index']}")
def test_inclusion_proof(case: dict[str, Any]) -> None:
    leaves, index, size = _leaves(), case["leaf_index"], case["tree_size"]
    path = _hs(case["path"])
    assert leaf_hash(leaves[index]) == _h(case["leaf_hash"])
    assert inclusion_proof(leaves[:size], index) == path
    assert inclusion_proof_from_subtrees(_table(leaves), index, size) == path
    verify_inclusion(_h(case["leaf_hash"]), index, size, path, _h(case["root"]))


@pytest.mark.parametrize(
    "case", _cases("consistency_proofs"), ids=lambda c: f"{c['size1']}-{c['size2']}"
)
def test_consistency_proof(case: dict[str, Any]) -> None:
    leaves, size1, size2 = _leaves(), case["size1"], case["size2"]
    proof = _hs(case["proof"])
    assert consistency_proof(leaves[:size2], size1) == proof
    assert consistency_proof_from_subtrees(_table(leaves), size1, size2) == proof
    verify_consistency(size1, size2, _h(case["root1"]), _h(case["root2"]), proof)


@pytest.mark.parametrize(
    "case",
    _cases("derived_exhaustive_n_le_8", "inclusion"),
    ids=lambda c: f"{c['leaf_index']}-of-{c['tree_size']}",
)
def test_exhaustive_inclusion(case: dict[str, Any]) -> None:
    leaves, index, size = _leaves(), case["leaf_index"], case["tree_size"]
    path = _hs(case["path"])
    assert inclusion_proof(leaves[:size], index) == path
    verify_inclusion(leaf_hash(leaves[index]), index, size, path, root_hash(leaves[:size]))


@pytest.mark.parametrize(
    "case",
    _cases("derived_exhaustive_n_le_8", "consistency"),
    ids=lambda c: f"{c['size1']}-{c['size2']}",
)
def test_exhaustive_consistency(case: dict[str, Any]) -> None:
    leaves, size1, size2 = _leaves(), case["size1"], case["size2"]
    proof = _hs(case["proof"])
    assert consistency_proof(leaves[:size2], size1) == proof
    verify_consistency(size1, size2, root_hash(leaves[:size1]), root_hash(leaves[:size2]), proof)


# -- golden probes, good and tampered (testdata/{inclusion,consistency}/**.json) -------------


@pytest.mark.parametrize("probe", _cases("probes", "inclusion"), ids=lambda p: p["file"][9:])
def test_inclusion_probe(probe: dict[str, Any]) -> None:
    def check() -> None:
        verify_inclusion(
            _h(probe["leaf_hash"]),
            probe["leaf_index"],
            probe["tree_size"],
            _hs(probe["proof"]),
            _h(probe["root"]),
        )

    assert _raises(check) == probe["want_err"], probe["desc"]


@pytest.mark.parametrize("probe", _cases("probes", "consistency"), ids=lambda p: p["file"][9:])
def test_consistency_probe(probe: dict[str, Any]) -> None:
    def check() -> None:
        verify_consistency(
            probe["size1"],
            probe["size2"],
            _h(probe["root1"]),
            _h(probe["root2"]),
            _hs(probe["proof"]),
        )

    assert _raises(check) == probe["want_err"], probe["desc"]


# -- a production CT log (golang/mod sumdb/tlog/ct_test.go: Argon 2020) ----------------------


def test_production_log_inclusion() -> None:
    log = VECTORS["real_ct_log_argon2020"]
    leaf, path = _h(log["leaf_input_hex"]), _hs(log["audit_path"])
    index, size, root = log["leaf_index"], log["tree_size"], _h(log["root"])
    verify_inclusion(leaf_hash(leaf), index, size, path, root)
    with pytest.raises(VerificationError, match="calculated root"):
        verify_inclusion(leaf_hash(leaf + b"\x00"), index, size, path, root)


def test_production_log_consistency() -> None:
    log = VECTORS["real_ct_log_argon2020"]
    old_size, old_root = log["consistency_first"], _h(log["consistency_first_root"])
    proof = _hs(log["consistency_proof"])
    verify_consistency(old_size, log["tree_size"], old_root, _h(log["root"]), proof)
    with pytest.raises(VerificationError):
        verify_consistency(old_size + 1, log["tree_size"], old_root, _h(log["root"]), proof)


# -- accumulated subtree vectors (testonly/vectors_test.go, draft-ietf-plants-mtc) ----------
#
# Every valid subtree [start, end) of D[i] = bytes([i]), i < 130, and every proof over it, is
# written as a line into one SHA-256. The start == 0 lines are exactly RFC 9162 MTH, PATH and
# PROOF for all sizes up to 130. "Valid" follows the file: empty subtrees count.

_ACCUMULATED = VECTORS.get("accumulated_subtree_vectors", {})
_MAX = 130


def _valid(start: int, end: int) -> bool:
    if start == 0 or start == end:
        return start <= end
    size = end - start
    return size > 0 and start % (1 << (size - 1).bit_length()) == 0


def _subtrees() -> list[tuple[int, int]]:
    return [(s, e) for e in range(_MAX + 1) for s in range(e + 1) if _valid(s, e)]


def _line(prefix: str, proof: list[bytes]) -> bytes:
    return (prefix + "".join(f" {h.hex()}" for h in proof) + "\n").encode()


def test_accumulated_subtree_hashes() -> None:
    leaves = [bytes([i]) for i in range(_MAX)]
    digest = hashlib.sha256()
    for start, end in _subtrees():
        digest.update(f"[{start}, {end}) {root_hash(leaves[start:end]).hex()}\n".encode())
    assert digest.hexdigest() == _ACCUMULATED["subtree_hash"]["sha256"]


def test_accumulated_subtree_inclusion_proofs() -> None:
    table = _table([bytes([i]) for i in range(_MAX)])
    digest = hashlib.sha256()
    for start, end in _subtrees():
        subtree = _shifted(table, start)
        for index in range(start, end):
            proof = inclusion_proof_from_subtrees(subtree, index - start, end - start)
            digest.update(_line(f"{index} [{start}, {end})", proof))
    assert digest.hexdigest() == _ACCUMULATED["subtree_inclusion"]["sha256"]


def _subtree_consistency(table: SubtreeHash, start: int, end: int, n: int) -> list[bytes]:
    """The draft's subtree consistency proof, via our RFC 9162 PROOF.

    Walk down from [0, n), as PROOF does, to the part that begins at ``start`` (a valid subtree
    never straddles a split unless it starts the part), keeping the other side of each split.
    Inside that part the subtree is a prefix, and the rest is plain PROOF.
    """
    if start == end:
        return []
    lo, hi, outer = 0, n, []
    while lo != start:
        mid = lo + split_point(hi - lo)
        if start >= mid:
            outer.append(root_from_subtrees(_shifted(table, lo), mid - lo))
            lo = mid
        else:
            outer.append(root_from_subtrees(_shifted(table, mid), hi - mid))
            hi = mid
    inner = (
        [] if end == hi else consistency_proof_from_subtrees(_shifted(table, lo), end - lo, hi - lo)
    )
    return inner + outer[::-1]


def test_accumulated_subtree_consistency_proofs() -> None:
    table = _table([bytes([i]) for i in range(_MAX)])
    digest = hashlib.sha256()
    subtrees = _subtrees()
    for n in range(_MAX + 1):
        for start, end in subtrees:
            if end <= n:
                proof = _subtree_consistency(table, start, end, n)
                digest.update(_line(f"[{start}, {end}) {n}", proof))
    assert digest.hexdigest() == _ACCUMULATED["subtree_consistency"]["sha256"]
