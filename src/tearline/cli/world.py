"""World commands: init, load, list, show, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tearline.cli.acting import WhoOption, act, recording
from tearline.cli.amend import render as render_amendments
from tearline.cli.app import app, stored, workspace
from tearline.cli.decide import AsOf, Seed, parse_day
from tearline.cli.output import console, emit_json, handles_errors
from tearline.domain.errors import TearlineError
from tearline.services import world as world_service
from tearline.services.amend import amend, changes_from_load
from tearline.services.imported import import_releases

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@app.command()
@handles_errors
def init(as_json: JsonFlag = False) -> None:
    """Create the home folder, its identity key (mode 0600) and the database."""
    ws = workspace()
    try:
        created = ws.init()
    finally:
        ws.close()
    document = {
        "home": str(ws.settings.home),
        "database": ws.describe_db(),
        "identity_key": str(ws.settings.identity_key_path),
        "created": created,
    }
    if as_json:
        emit_json(document)
        return
    verb = "Initialised" if created else "Already initialised:"
    console.print(f"{verb} {document['home']}")
    console.print(f"  database      {document['database']}")
    console.print(f"  identity key  {document['identity_key']} (mode 0600)")


@app.command()
@handles_errors
def load(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, `tearline: 1`).")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Drop the stored world first instead of merging.")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", help="Why (recorded; required when the file amends).")
    ] = "",
    who: WhoOption = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    as_json: JsonFlag = False,
) -> None:
    """Validate a scenario file and add it to the database, all or nothing.

    Releases the file records (made before tearline kept the record) are imported into the
    ledger, marked as imported, with their original dates."""
    actor = act(who, reason=reason)
    probe = workspace()
    try:
        if not probe.exists():
            # Validate before creating anything: a bad file must leave no trace,
            # not even an empty database.
            world_service.read_scenario(file)
    finally:
        probe.close()
    with recording(create=True) as (ws, session, trail):
        cipher = ws.cipher(create=True)
        result = world_service.load_scenario(session, cipher, path=file, replace=replace)
        imported = import_releases(session, result.releases, trail.signing_key, actor.at)
        trail.record(
            actor,
            action="load",
            subject=result.filename,
            details={"replaced": result.replaced, "added": result.added, "imported": imported},
        )
        amended = None
        if result.amends:
            # Changes to stored objects: applied as named amendments, never silently.
            amended = amend(
                session, changes_from_load(result), actor, trail, today=parse_day(as_of), seed=seed
            )
    if as_json:
        emit_json(
            {
                "file": result.filename,
                "replaced": result.replaced,
                "added": result.added,
                "imported_releases": imported,
                "by": actor.who,
                "amended": amended.as_dict() if amended else None,
            }
        )
        return
    added = ", ".join(f"{n} {kind}" for kind, n in result.added.items() if n)
    console.print(f"Loaded {result.filename}: {added or 'nothing new'} (by {actor.who})")
    if imported:
        console.print(
            f"Imported {imported} historical release(s) into the ledger (marked imported, "
            "with their original dates)."
        )
    if amended is not None:
        render_amendments(amended, actor.who, actor.reason)


ListKind = Annotated[world_service.Kind, typer.Argument(help="What to list.")]


@app.command(name="list")
@handles_errors
def list_(kind: ListKind, as_json: JsonFlag = False) -> None:
    """List what the database holds (never source identities)."""
    with stored() as (_, session):
        rows = world_service.list_items(session, kind)
    if as_json:
        emit_json({kind.value: rows})
        return
    console.print(_table(kind.value, rows))


_COLUMNS: dict[str, list[str]] = {
    "actors": ["id", "name", "kind", "protection", "capacity"],
    "groups": ["id", "name", "actors"],
    "ties": ["from", "to", "as_of", "diplomatic", "trade", "military", "intelligence"],
    "sources": ["id", "codename", "status", "population", "attributes", "threatened_by"],
    "reports": ["id", "date", "category", "classification", "controls", "sources", "title"],
    "protocols": ["id", "name", "version", "applies_to"],
    "releases": ["id", "at", "report", "partner", "version"],
}


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table(kind: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{kind} ({len(rows)})", title_justify="left")
    columns = _COLUMNS[kind]
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    return table


@app.command()
@handles_errors
def show(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Any actor, group, source, report, protocol or release id."
        ),
    ],
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Decrypt and show a source's identity (handlers only).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show one object in detail."""
    with stored() as (ws, session):
        cipher = ws.cipher() if reveal else None
        kind, view = world_service.show_item(session, ident, cipher=cipher, reveal=reveal)
    if as_json:
        emit_json({"kind": kind, kind: view})
        return
    _print_detail(kind, view)


def _print_detail(kind: str, view: dict[str, Any]) -> None:
    console.print(f"[bold]{kind}[/] {view.get('id', '')}")
    for key, value in view.items():
        if key in {"text", "attributes", "ties_out", "ties_in", "releases", "rules"}:
            continue
        console.print(f"  {key:<14} {_cell(value)}")
    if kind == "source" and isinstance(view.get("attributes"), list):
        table = Table("attribute", "kind", "value", "selectivity", "generalizations")
        for a in view["attributes"]:
            table.add_row(
                a["name"],
                a["kind"],
                a["value"],
                f"{a['selectivity']:g}",
                " → ".join(f"{g['value']} ({g['selectivity']:g})" for g in a["generalizations"]),
            )
        console.print(table)
    if kind == "actor":
        for label, key in (("ties out (in force)", "ties_out"), ("ties in (in force)", "ties_in")):
            if view[key]:
                table = _table("ties", view[key])
                table.title = label
                console.print(table)
    if kind == "protocol":
        table = Table("rule", "effect", "release", "when", "description")
        for rule in view.get("rules", []):
            when = ", ".join(f"{k}={_cell(v)}" for k, v in rule.get("when", {}).items()) or "always"
            table.add_row(
                rule["id"],
                rule["effect"],
                rule.get("release", "any"),
                when,
                rule.get("description", ""),
            )
        console.print(table)
    if kind == "report":
        console.print()
        console.print(view["text"])
        if view.get("releases"):
            console.print(_table("releases", view["releases"]))


@app.command()
@handles_errors
def export(
    file: Annotated[Path, typer.Argument(help="Where to write the scenario ('-' for stdout).")],
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Include source identities in plain text.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Write the stored world as a scenario file; loading it into an empty
    database gives the same world. Identities are left out unless --reveal."""
    with stored() as (ws, session):
        cipher = ws.cipher() if reveal else None
        text = world_service.export_scenario(session, cipher, reveal=reveal)
    if str(file) == "-":
        typer.echo(text, nl=False)
        return
    try:
        _write_atomically(file, text, secret=reveal)
    except OSError as exc:
        raise _OutputError(f"{file}: cannot write ({exc.strerror})") from exc
    if as_json:
        emit_json({"file": str(file), "identities": reveal})
    else:
        console.print(
            f"Exported to {file}" + (" (with identities: keep it safe)" if reveal else "")
        )


class _OutputError(TearlineError):
    pass


def _write_atomically(path: Path, text: str, *, secret: bool) -> None:
    """Write via a temporary file and rename, so a failure leaves no half file."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        if secret:
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
