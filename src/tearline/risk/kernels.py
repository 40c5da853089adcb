"""Optional compiled kernels: numba where it is installed, NumPy where it is not.

The hot loops of the risk core, drawing edge states (``sampling``, ``pcg``)
and propagating reach (``propagate``), each exist twice: as NumPy code, and
as a plain loop compiled by numba (``Kernel``) defined next to it. ``backend``
picks one:

* ``"auto"`` (default): the compiled kernel when numba can be imported and
  the job is big enough to pay for it (``resolve``), else NumPy;
* ``"numba"``: the compiled kernel, or an error when numba is missing;
* ``"numpy"``: the NumPy code.

Both give the same bits (``tests/risk/test_risk_kernels.py`` checks it on
random graphs and seeds), so no result depends on which one ran.

A kernel is compiled on its first call and cached on disk by numba
(``cache=True``: in ``__pycache__`` beside its source, or numba's user-wide
cache directory when that is read-only; with no writable place it is compiled
in every process). ``warm_up`` compiles, or loads, every kernel up front, so
that a measurement does not include it.

Helpers called from kernels are marked ``@jitable`` (numba's
``register_jitable``: still plain Python when called from Python); ``mulhi``
is one with its own compiled form, a single machine multiply.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any, Generic, Literal, TypeVar, cast

import numpy as np

Backend = Literal["auto", "numba", "numpy"]
F = TypeVar("F", bound=Callable[..., Any])

MIN_WORK = 1 << 17
"""Edge-words (edges × 64-world words, summed over the passes of a job) from
which ``"auto"`` compiles. Importing numba and loading the kernels from its
cache costs 0.2-0.5 s once per process; below this size NumPy needs tens of
milliseconds, so a small one-off job (the demo world, a single-edge what-if)
stays on NumPy and never imports numba."""

_LOCK = threading.Lock()
_KERNELS: list[Kernel[Any]] = []
_HELPERS: list[Callable[..., Any]] = []
_REGISTERED: set[Callable[..., Any]] = set()


def jitable(fn: F) -> F:
    """Mark ``fn`` as callable from kernels (registered with numba when it loads)."""
    _HELPERS.append(fn)
    return fn


def mulhi(a: np.uint64, b: np.uint64) -> np.uint64:
    """The high 64 bits of the 128-bit product a·b, for 128-bit arithmetic on
    pairs of words (``pcg``). Compiled kernels get one machine multiply
    (``_register``); this is the interpreted version."""
    return np.uint64((int(a) * int(b)) >> 64)


@cache
def numba_module() -> ModuleType | None:
    """numba, or None when it cannot be imported."""
    try:
        return importlib.import_module("numba")
    except ImportError:
        return None


def _register_mulhi(numba: ModuleType) -> None:
    """Teach numba ``mulhi``: zero-extend both to 128 bits, multiply, keep the
    high half; LLVM emits one 64x64→128 multiply for it."""
    ir = importlib.import_module("llvmlite.ir")
    u64 = numba.types.uint64

    def typer(context: Any, a: Any, b: Any) -> Any:
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            wide = ir.IntType(128)
            product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
            return builder.trunc(builder.lshr(product, ir.Constant(wide, 64)), ir.IntType(64))

        return u64(u64, u64), codegen

    high = numba.extending.intrinsic(typer)

    def implement(a: Any, b: Any) -> Callable[[Any, Any], Any]:
        def compiled(a: Any, b: Any) -> Any:  # same parameters as ``implement``
            return high(a, b)

        return compiled

    numba.extending.overload(mulhi)(implement)


def _register_helpers(numba: ModuleType) -> None:
    """Make ``mulhi`` and the ``@jitable`` helpers known to numba (once each;
    the caller holds ``_LOCK``)."""
    if mulhi not in _REGISTERED:
        _register_mulhi(numba)
        _REGISTERED.add(mulhi)
    for fn in _HELPERS:
        if fn not in _REGISTERED:
            numba.extending.register_jitable(fn)
            _REGISTERED.add(fn)


def resolve(backend: Backend, work: int | None = None) -> Literal["numba", "numpy"]:
    """The path a job of ``work`` edge-words takes (None: large). ``"numba"``
    without numba raises."""
    if backend == "numpy":
        return "numpy"
    if backend == "auto" and work is not None and work < MIN_WORK:
        return "numpy"
    if numba_module() is None:
        if backend == "numba":
            raise RuntimeError("backend 'numba' asked for, but numba cannot be imported")
        return "numpy"
    return "numba"


class Kernel(Generic[F]):
    """``fn`` compiled with numba (nopython, GIL released) on first use.

    ``fn`` must be numba-compatible Python; the module-level constants it reads
    are frozen into the compiled code. ``example`` builds tiny arguments of the
    types used in production, for ``warm_up``.
    """

    def __init__(self, fn: F, example: Callable[[], tuple[Any, ...]]) -> None:
        self.fn = fn
        self._example = example
        self._compiled: Any = None
        _KERNELS.append(self)

    def get(self, backend: Backend = "auto", work: int | None = None) -> F | None:
        """The compiled kernel, or None for the NumPy path (``resolve``)."""
        if resolve(backend, work) == "numpy":
            return None
        numba = numba_module()
        assert numba is not None
        with _LOCK:
            if self._compiled is None:
                _register_helpers(numba)
                self._compiled = _jit(numba, self.fn)
        return cast(F, self._compiled)

    def warm_up(self, backend: Backend = "auto") -> bool:
        """Compile (or load from the cache) for the production argument types;
        False on the NumPy path."""
        compiled = self.get(backend)
        if compiled is None:
            return False
        compiled(*self._example())
        return True

    def cache_hits(self) -> int:
        """Versions of this kernel numba loaded from its on-disk cache in this process."""
        if self._compiled is None:
            return 0
        return int(sum(self._compiled.stats.cache_hits.values()))


def _jit(numba: ModuleType, fn: Callable[..., Any]) -> Any:
    try:
        return numba.njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # no writable cache location: compile in every process
        return numba.njit(nogil=True)(fn)


def warm_up(backend: Backend = "auto") -> int:
    """Compile or load every kernel of the risk core; how many (0 on NumPy)."""
    return sum(kernel.warm_up(backend) for kernel in _KERNELS)


def cache_hits() -> int:
    """Kernels loaded from numba's on-disk cache (not compiled) in this process."""
    return sum(kernel.cache_hits() for kernel in _KERNELS)
