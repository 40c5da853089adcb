"""The error tree of tearline. Every error the product raises derives from one root.

    TearlineError
    ├── ScenarioError          a scenario file is malformed or inconsistent (carries issues)
    ├── NotFoundError          an id names nothing in the world
    ├── ConflictError          an id or object collides with what is already stored
    ├── StoreError             the database is unusable (schema, key, connection)
    ├── MalformedInputError    an input file (receipt, tree head, key) has the wrong shape
    └── VerificationError      a proof, signature or log check failed
        └── LedgerIntegrityError   the stored log disagrees with itself (carries the index)

The CLI maps ScenarioError, NotFoundError, ConflictError, StoreError and
MalformedInputError to exit code 2 (bad input), VerificationError to exit code 1
(a finding).
"""

from __future__ import annotations

from dataclasses import dataclass


class TearlineError(Exception):
    """Root of every error tearline raises on purpose."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in an input: where it is and what is wrong."""

    field: str
    message: str
    file: str | None = None
    line: int | None = None

    def render(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        elif self.line is not None:
            where = f"line {self.line}: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class ScenarioError(TearlineError):
    """A scenario is invalid. ``issues`` lists every problem found, in file order."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join(issue.render() for issue in self.issues))


class NotFoundError(TearlineError):
    """An id does not name anything of the expected kind."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"no {kind} with id {ident!r}")


class ConflictError(TearlineError):
    """A write would collide with what is already stored."""


class StoreError(TearlineError):
    """The store cannot be used as it is (missing key, unmigrated schema, ...)."""


class VerificationError(TearlineError):
    """A cryptographic or structural check failed. Never returned as a bool."""


class MalformedInputError(TearlineError):
    """An input file cannot be read as what it should be (bad JSON, wrong shape, bad key).

    Distinct from ``VerificationError``: a well-formed receipt that fails its check is a
    finding (exit 1); a file that is not a receipt at all is bad input (exit 2)."""

    def __init__(self, file: str, message: str, field: str | None = None) -> None:
        self.file = file
        self.field = field
        self.message = message
        super().__init__(f"{file}: {message}")


class LedgerIntegrityError(VerificationError):
    """The stored ledger fails a check. ``index`` is the first leaf the failure implicates
    (None when no single leaf is to blame, e.g. a bad signature on an empty log)."""

    def __init__(self, message: str, index: int | None = None) -> None:
        self.index = index
        super().__init__(message if index is None else f"{message} (first bad index {index})")
