"""Output conventions shared by every command: one JSON document on stdout
with --json, Rich views otherwise, errors on stderr with the exit codes of
DESIGN.md (2 bad input, 1 a finding)."""

from __future__ import annotations

import functools
import json
import math
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from tearline.domain.errors import (
    ConflictError,
    MalformedInputError,
    NotFoundError,
    ScenarioError,
    StoreError,
    TearlineError,
    VerificationError,
)

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_BAD_INPUT = 2

console = Console(highlight=False, soft_wrap=False)
# soft_wrap: error lines stay whole, so tools can parse "file:line: field: message".
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe(value: object) -> str:
    """User data made printable: Rich markup escaped (``[/x]`` prints as itself) and
    control, bidirectional-override and surrogate characters shown as ``\\xNN``/``\\uNNNN``
    escapes, so nothing read from data can style, move or rewrite the terminal."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))
    return escape(text)


def finite(value: float | None) -> float | None:
    """Typer callback for float options: ``inf`` and ``nan`` parse as floats but are never
    a meaningful setting (and ``nan`` passes any min/max check)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number")
    return value


MAX_SEED = 2**63 - 1
MAX_SAMPLES = 100_000_000


def emit_json(document: Any) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=_default)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from undecodable arguments): \\u escapes
        text = json.dumps(document, indent=2, ensure_ascii=True, allow_nan=False, default=_default)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def error_document(exc: TearlineError) -> dict[str, Any]:
    issues = []
    if isinstance(exc, ScenarioError):
        issues = [
            {"file": i.file, "line": i.line, "field": i.field, "message": i.message}
            for i in exc.issues
        ]
    elif isinstance(exc, MalformedInputError):
        issues = [{"file": exc.file, "line": None, "field": exc.field, "message": exc.message}]
    return {"error": {"type": type(exc).__name__, "message": str(exc), "issues": issues}}


def exit_code_for(exc: TearlineError) -> int:
    if isinstance(exc, VerificationError):
        return EXIT_FINDING
    if isinstance(
        exc, ScenarioError | NotFoundError | ConflictError | StoreError | MalformedInputError
    ):
        return EXIT_BAD_INPUT
    return EXIT_BAD_INPUT


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Render TearlineError once, at the edge, and exit with its code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TearlineError as exc:
            if kwargs.get("as_json"):
                emit_json(error_document(exc))
            label = "verification failed" if isinstance(exc, VerificationError) else "error"
            err_console.print(f"[bold red]{label}:[/] {safe(exc)}", markup=True, highlight=False)
            raise typer.Exit(exit_code_for(exc)) from None

    return wrapper
