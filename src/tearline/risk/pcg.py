"""PCG64 streams for the compiled sampler, bit for bit NumPy's.

``sampling`` gives edge e the stream ``PCG64(SeedSequence([seed, key_e]))``.
The NumPy path draws from such objects (``random_raw``); the compiled path
runs the same generator inside its kernel and needs each stream's state as
numbers. ``initial_states`` computes them as NumPy does, for all edges in one
compiled pass (building 1,000 NumPy generators takes 12-18 ms, a fifth of a
whole compiled 65,536-world run on the benchmark graph; this takes 2 ms):

* SeedSequence (O'Neill's seed_seq alternative, ``numpy/random/
  bit_generator.pyx``): the entropy words (each integer split into 32-bit
  words, low first; 0 is one word) are hashed into a pool of four 32-bit
  words, every pool word is mixed into every other, words past the fourth are
  mixed into all of them, and ``generate_state(4, uint64)`` hashes the pool
  out again;
* PCG64 seeding (``pcg64_set_seed``): with s and q the first and last 128
  bits, inc = 2q + 1, state = 0, one step, state += s, one step.

The generator is PCG-XSL-RR 128/64: state ← state·M + inc (mod 2^128), and
the output is the new state's high ^ low word rotated right by its top six
bits. 128-bit numbers are (high, low) pairs of uint64 words; ``mulhi`` gives
the high word of a 64×64-bit product.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from tearline.risk.kernels import Kernel, jitable, mulhi

MULT_HIGH = np.uint64(0x2360ED051FC65DA4)
MULT_LOW = np.uint64(0x4385DF649FCCF645)
"""PCG64's multiplier M = 0x2360ED051FC65DA44385DF649FCCF645 (pcg64.h)."""

POOL = 4
_INIT_A, _MULT_A = np.uint64(0x43B0D7E5), np.uint64(0x931E8875)
_INIT_B, _MULT_B = np.uint64(0x8B51F9DD), np.uint64(0x58F38DED)
_MIX_L, _MIX_R = np.uint64(0xCA01F9DD), np.uint64(0x4973F715)
_M32 = np.uint64(0xFFFFFFFF)

States = NDArray[np.uint64]  # (k, 4): state high, state low, inc high, inc low


@jitable
def step(high: np.uint64, low: np.uint64, inc_high: np.uint64, inc_low: np.uint64) -> np.uint64:
    """High word of state·M + inc (mod 2^128); the low word is ``step_low``."""
    return np.uint64(
        mulhi(low, MULT_LOW)
        + high * MULT_LOW
        + low * MULT_HIGH
        + inc_high
        + np.uint64(low * MULT_LOW + inc_low < low * MULT_LOW)
    )


@jitable
def step_low(low: np.uint64, inc_low: np.uint64) -> np.uint64:
    """Low word of state·M + inc (mod 2^128)."""
    return np.uint64(low * MULT_LOW + inc_low)


@jitable
def output(high: np.uint64, low: np.uint64) -> np.uint64:
    """XSL-RR: (high ^ low) rotated right by high >> 58."""
    x = high ^ low
    r = high >> np.uint64(58)
    return np.uint64((x >> r) | (x << ((np.uint64(64) - r) & np.uint64(63))))


def entropy_words(n: int) -> list[int]:
    """SeedSequence's reading of a non-negative integer: 32-bit words, low first."""
    if n < 0:
        raise ValueError("expected a non-negative integer")
    words = [n & 0xFFFFFFFF]
    n >>= 32
    while n:
        words.append(n & 0xFFFFFFFF)
        n >>= 32
    return words


def entropy(seed: int, keys: Iterable[int]) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """Entropy words of ``[seed, key]`` per key, zero-padded, and their counts."""
    head = entropy_words(seed)
    rows = [head + entropy_words(int(key)) for key in keys]
    width = max((len(r) for r in rows), default=len(head))
    out = np.zeros((len(rows), width), dtype=np.uint32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out, np.array([len(r) for r in rows], dtype=np.int64)


@jitable
def _hashmix(value: np.uint64, const: np.uint64, mult: np.uint64) -> tuple[np.uint64, np.uint64]:
    """(hashed value, next hash constant): SeedSequence's ``hashmix``."""
    value ^= const
    const = (const * mult) & _M32
    value = (value * const) & _M32
    return value ^ (value >> np.uint64(16)), const


@jitable
def _mix(x: np.uint64, y: np.uint64) -> np.uint64:
    """SeedSequence's ``mix`` of two pool words."""
    result = (_MIX_L * x - _MIX_R * y) & _M32
    return np.uint64(result ^ (result >> np.uint64(16)))


def _seed(words: NDArray[np.uint32], count: NDArray[np.int64], out: States) -> None:
    """out[e] = PCG64(SeedSequence(entropy words[e, :count[e]])) state and increment."""
    pool = np.zeros(POOL, dtype=np.uint64)
    seeded = np.zeros(2 * POOL, dtype=np.uint64)
    zero = np.uint64(0)
    for e in range(words.shape[0]):
        n = count[e]
        const = _INIT_A
        for i in range(POOL):
            pool[i], const = _hashmix(np.uint64(words[e, i]) if i < n else zero, const, _MULT_A)
        for src in range(POOL):
            for dst in range(POOL):
                if src != dst:
                    hashed, const = _hashmix(pool[src], const, _MULT_A)
                    pool[dst] = _mix(pool[dst], hashed)
        for src in range(POOL, n):
            for dst in range(POOL):
                hashed, const = _hashmix(np.uint64(words[e, src]), const, _MULT_A)
                pool[dst] = _mix(pool[dst], hashed)
        const = _INIT_B
        for i in range(2 * POOL):
            seeded[i], const = _hashmix(pool[i % POOL], const, _MULT_B)
        s_high = seeded[0] | (seeded[1] << np.uint64(32))
        s_low = seeded[2] | (seeded[3] << np.uint64(32))
        q_high = seeded[4] | (seeded[5] << np.uint64(32))
        q_low = seeded[6] | (seeded[7] << np.uint64(32))
        inc_high = (q_high << np.uint64(1)) | (q_low >> np.uint64(63))
        inc_low = (q_low << np.uint64(1)) | np.uint64(1)
        low = inc_low + s_low  # state 0, one step: inc; then += s
        high = inc_high + s_high + np.uint64(low < inc_low)
        out[e, 0] = step(high, low, inc_high, inc_low)
        out[e, 1] = step_low(low, inc_low)
        out[e, 2] = inc_high
        out[e, 3] = inc_low


_SEED = Kernel(
    _seed,
    lambda: (
        np.zeros((1, 2), dtype=np.uint32),
        np.ones(1, dtype=np.int64),
        np.zeros((1, 4), dtype=np.uint64),
    ),
)


def initial_states(seed: int, keys: Iterable[int]) -> States:
    """(k, 4) initial states of ``PCG64(SeedSequence([seed, key]))`` per key
    (compiled: needs numba)."""
    kernel = _SEED.get("numba")
    assert kernel is not None
    words, count = entropy(seed, keys)
    out = np.zeros((len(count), 4), dtype=np.uint64)
    kernel(words, count, out)
    return out
