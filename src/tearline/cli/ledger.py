"""Ledger commands: pubkey, head, receipt, verify-receipt, verify, consistency.

Exit codes (docs/cli.md): 0 ok; 1 a finding (a receipt, head or log that fails its check,
or a log that refuses to serve); 2 bad input (unreadable or malformed files, unknown release).
A finding with --json prints the command's own document with ``"ok": false``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from tearline.cli.app import app, workspace
from tearline.cli.output import EXIT_FINDING, console, emit_json, err_console, handles_errors
from tearline.domain.errors import (
    LedgerIntegrityError,
    MalformedInputError,
    StoreError,
    TearlineError,
    VerificationError,
)
from tearline.services import ledger as ledger_service
from tearline.services.ledger import (
    Receipt,
    ReleaseLeaf,
    SignedTreeHead,
    key_id,
    public_key_from_pem,
    public_key_to_pem,
    verify_receipt,
)
from tearline.services.workspace import Workspace

T = TypeVar("T")

ledger_app = typer.Typer(
    no_args_is_help=True,
    help="The tamper-evident ledger of releases: keys, signed heads, receipts, audits.",
)
app.add_typer(ledger_app, name="ledger")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@ledger_app.command()
@handles_errors
def pubkey(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the PEM here instead of stdout.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export the ledger's Ed25519 public key (PEM), creating the key pair if there is none."""
    ws = workspace()
    try:
        if ws.exists():
            ws.open(create=False)
        created = not ledger_service.ledger_key_path(ws.settings).exists()
        key = ledger_service.signing_key(ws, create=True).public_key()
    finally:
        ws.close()
    pem = public_key_to_pem(key).decode("ascii")
    if out is not None:
        _write(out, pem)
    if as_json:
        emit_json(
            {
                "key_id": key_id(key).hex(),
                "public_key_pem": pem,
                "file": None if out is None else str(out),
                "created": created,
            }
        )
    elif out is None:
        typer.echo(pem, nl=False)
    else:
        console.print(f"Wrote the ledger public key (key id {key_id(key).hex()}) to {out}")


@ledger_app.command()
@handles_errors
def head(
    out: Annotated[
        Path | None, typer.Option("--out", help="Save the signed head (JSON) to this file.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the last signed tree head, or save it for a later `ledger consistency` check."""
    ws = _open_workspace()
    try:
        sth = ledger_service.open_ledger(ws).head
    finally:
        ws.close()
    if sth is None:
        raise StoreError("the ledger is empty: no tree head has been signed yet")
    if out is not None:
        _write(out, sth.to_json() + "\n")
    if as_json:
        emit_json({"tree_head": sth.to_dict(), "file": None if out is None else str(out)})
    elif out is None:
        typer.echo(sth.to_json())
    else:
        console.print(f"Saved the signed tree head (size {sth.head.size}) to {out}")


@ledger_app.command()
@handles_errors
def receipt(
    release: Annotated[str, typer.Argument(metavar="RELEASE", help="The release id.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the receipt ('-': stdout).")],
    as_json: JsonFlag = False,
) -> None:
    """Write the receipt of one release: its leaf, index, inclusion proof and signed head."""
    if str(out) == "-" and as_json:
        raise MalformedInputError("--out", "'-' (stdout) cannot be combined with --json", "out")
    ws = _open_workspace()
    try:
        ledger = ledger_service.open_ledger(ws)
        with ws.unit_of_work() as session:
            made = ledger_service.make_receipt(session, release, ledger.public_key)
    finally:
        ws.close()
    if str(out) == "-":
        typer.echo(made.to_json())
        return
    _write(out, made.to_json() + "\n")
    leaf = ReleaseLeaf.decode(made.leaf)
    if as_json:
        emit_json({"file": str(out), "release": release, **_receipt_view(made, leaf)})
    else:
        console.print(
            f"Wrote the receipt of {release} (leaf {made.index} of {made.tree_head.head.size}) "
            f"to {out}"
        )


@ledger_app.command("verify-receipt")
@handles_errors
def verify_receipt_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A receipt (JSON).")],
    pubkey: Annotated[
        Path, typer.Option("--pubkey", metavar="KEY", help="The ledger's public key (PEM).")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Check a receipt with nothing but the ledger's public key: no database, no home."""
    made = _read_document(file, "receipt", Receipt.from_json)
    try:
        leaf = ReleaseLeaf.decode(made.leaf)
    except VerificationError as exc:
        raise MalformedInputError(str(file), str(exc), "leaf") from exc
    key = _read_document(pubkey, "public key", public_key_from_pem)
    try:
        verify_receipt(made, key)
    except VerificationError as exc:
        _finding({"ok": False, "file": str(file), "reason": str(exc)}, exc, as_json)
    view = _receipt_view(made, leaf)
    if as_json:
        emit_json({"ok": True, "file": str(file), **view})
        return
    console.print(
        f"Receipt OK: release {leaf.release_id} ({leaf.version} copy of {leaf.report_id} to "
        f"{leaf.recipient}, {leaf.to_dict()['at']}) is leaf {made.index} of the ledger of "
        f"{made.tree_head.head.size} leaves signed at {view['timestamp']} by key {view['key_id']}"
    )


@ledger_app.command()
@handles_errors
def verify(as_json: JsonFlag = False) -> None:
    """Re-check the whole log: every leaf, node and signed head (exit 1 at the first bad index)."""
    ws = _open_workspace()
    try:
        public_key = ledger_service.signing_key(ws).public_key()
        with ws.unit_of_work() as session:
            try:
                audit = ledger_service.verify_ledger(session, public_key)
            except LedgerIntegrityError as exc:
                document: dict[str, object] = {
                    "ok": False,
                    "first_bad_index": exc.index,
                    "reason": str(exc),
                }
                _finding(document, exc, as_json)
    finally:
        ws.close()
    last = audit.last_head
    if as_json:
        emit_json(
            {
                "ok": True,
                "size": audit.size,
                "heads": audit.heads,
                "root": audit.root.hex(),
                "last_head": None if last is None else last.to_dict(),
            }
        )
        return
    console.print(
        f"Ledger OK: {audit.size} leaves, {audit.heads} signed heads, root {audit.root.hex()}"
    )


@ledger_app.command()
@handles_errors
def consistency(
    old_head: Annotated[Path, typer.Argument(metavar="OLD_HEAD", help="An earlier saved head.")],
    new_head: Annotated[Path, typer.Argument(metavar="NEW_HEAD", help="A later saved head.")],
    as_json: JsonFlag = False,
) -> None:
    """Prove from the log that NEW_HEAD extends OLD_HEAD (exit 1 if history was rewritten)."""
    old = _read_document(old_head, "signed tree head", SignedTreeHead.from_json)
    new = _read_document(new_head, "signed tree head", SignedTreeHead.from_json)
    sizes = {"old": _head_view(old), "new": _head_view(new)}
    ws = _open_workspace()
    try:
        ledger = ledger_service.open_ledger(ws)
        with ws.unit_of_work() as session:
            try:
                proof = ledger_service.prove_consistency(session, old, new, ledger.public_key)
            except VerificationError as exc:
                _finding({"ok": False, **sizes, "reason": str(exc)}, exc, as_json)
    finally:
        ws.close()
    if as_json:
        emit_json({"ok": True, **sizes, "proof": [node.hex() for node in proof]})
        return
    console.print(
        f"Consistent: the log of {new.head.size} leaves extends the log of {old.head.size} "
        f"leaves ({len(proof)} proof hashes)"
    )


# -- helpers -------------------------------------------------------------------------------


def _open_workspace() -> Workspace:
    ws = workspace()
    try:
        ws.open(create=False)
    except BaseException:
        ws.close()
        raise
    return ws


def _finding(document: dict[str, object], exc: TearlineError, as_json: bool) -> NoReturn:
    """Report a failed check (exit 1): the command's document with ``ok: false``."""
    if as_json:
        emit_json(document)
    err_console.print(f"[bold red]verification failed:[/] {exc}", markup=True, highlight=False)
    raise typer.Exit(EXIT_FINDING)


def _read_document(path: Path, what: str, parse: Callable[[bytes], T]) -> T:
    """Read and parse an input file; any problem is bad input naming the file and field."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MalformedInputError(str(path), f"cannot read {what}: {exc.strerror}") from exc
    try:
        return parse(data)
    except (VerificationError, ValueError) as exc:
        message = str(exc)
        # The parsers name the field in their messages ("receipt: field 'index' must be ...");
        # lift it into the structured error for --json.
        found = re.search(r"field '([^']+)'", message)
        field = found.group(1) if found else None
        if field is not None and what == "receipt" and message.startswith("signed tree head"):
            field = f"tree_head.{field}"
        raise MalformedInputError(str(path), message, field) from exc


def _write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a failure leaves no half-written file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(tmp, 0o644)  # receipts, heads and public keys are meant to be shared
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise MalformedInputError(str(path), f"cannot write ({exc.strerror})") from exc


def _head_view(sth: SignedTreeHead) -> dict[str, object]:
    return {"size": sth.head.size, "root": sth.head.root.hex()}


def _receipt_view(made: Receipt, leaf: ReleaseLeaf) -> dict[str, object]:
    head = made.tree_head.head
    return {
        "index": made.index,
        "tree_size": head.size,
        "root": head.root.hex(),
        "timestamp_ms": head.timestamp_ms,
        "timestamp": _iso_ms(head.timestamp_ms),
        "key_id": made.tree_head.key_id.hex(),
        "leaf": leaf.to_dict(),
    }


def _iso_ms(timestamp_ms: int) -> str:
    try:
        at = datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return f"{timestamp_ms} ms"
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
