"""Amending the world: `protocol add|retire`, `source set`, `report amend` — each named,
reasoned, transactional, with its consequences shown (and `load` for files carrying changes)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tearline.cli.acting import WhoOption, act, recording
from tearline.cli.app import app, stored
from tearline.cli.decide import AsOf, Seed, parse_day
from tearline.cli.output import console, emit_json, handles_errors
from tearline.cli.progress import working
from tearline.cli.reassess import decision_changes_table
from tearline.domain.errors import MalformedInputError
from tearline.domain.sources import SourceStatus
from tearline.services.amend import (
    AmendResult,
    Change,
    ProtocolRetirement,
    ReportVersion,
    SourceChange,
    amend,
    protocol_versions_from,
    show_value,
)
from tearline.services.world import current_world

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded with the change).")]

protocol_app = typer.Typer(no_args_is_help=True, help="Amend sharing protocols.")
source_app = typer.Typer(no_args_is_help=True, help="Amend protected sources.")
report_app = typer.Typer(no_args_is_help=True, help="Amend reports (new versions).")
app.add_typer(protocol_app, name="protocol")
app.add_typer(source_app, name="source")
app.add_typer(report_app, name="report")


def _run(
    changes: list[Change], who: str | None, reason: str, as_of: str | None, seed: int, as_json: bool
) -> None:
    today = parse_day(as_of)
    actor = act(who, reason=reason)
    if not actor.reason:
        raise typer.BadParameter("--reason must say why")
    with recording() as (_, session, trail), working("applying and re-deciding"):
        result = amend(session, changes, actor, trail, today=today, seed=seed)
    if as_json:
        emit_json({**result.as_dict(), "by": actor.who, "reason": actor.reason})
        return
    render(result, actor.who, actor.reason)


@protocol_app.command("add")
@handles_errors
def protocol_add(
    file: Annotated[
        Path, typer.Argument(help="Scenario file whose `protocols:` hold the new versions.")
    ],
    reason: Reason,
    who: WhoOption = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    as_json: JsonFlag = False,
) -> None:
    """Add a new version of stored protocols (it supersedes; every version is kept)."""
    actor = act(who, reason=reason)  # before reading anything: no name, no work
    with stored() as (_, session):
        changes = protocol_versions_from(session, file)
    _run(changes, actor.who, reason, as_of, seed, as_json)


@protocol_app.command("retire")
@handles_errors
def protocol_retire(
    protocol: Annotated[str, typer.Argument(help="Protocol id.")],
    reason: Reason,
    who: WhoOption = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    as_json: JsonFlag = False,
) -> None:
    """Retire a protocol: it stops applying (partners it alone covered are then withheld)."""
    _run([ProtocolRetirement(protocol)], who, reason, as_of, seed, as_json)


def _selectivity(values: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in values:
        name, _, raw = text.partition("=")
        try:
            value = float(raw)
        except ValueError:
            raise typer.BadParameter(
                f"--selectivity {text!r}: write NAME=VALUE, e.g. post=0.01"
            ) from None
        if not name or not 0 < value <= 1:
            raise typer.BadParameter(f"--selectivity {text!r}: VALUE must be in (0, 1]")
        out[name.strip()] = value
    return out


@source_app.command("set")
@handles_errors
def source_set(
    source: Annotated[str, typer.Argument(help="Source id.")],
    reason: Reason,
    status: Annotated[
        SourceStatus | None,
        typer.Option("--status", help="active → compromised | extracted | retired."),
    ] = None,
    max_risk: Annotated[
        float | None, typer.Option("--max-risk", min=0.0, max=1.0, help="Highest acceptable risk.")
    ] = None,
    population: Annotated[
        int | None, typer.Option("--population", min=1, help="How many could be the source.")
    ] = None,
    selectivity: Annotated[
        list[str] | None,
        typer.Option("--selectivity", help="An attribute's selectivity, NAME=VALUE (repeatable)."),
    ] = None,
    who: WhoOption = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    as_json: JsonFlag = False,
) -> None:
    """Change a source's status, threshold, population or attributes; pending decisions on its
    reports are re-decided, and a compromised source's past releases are listed."""
    change = SourceChange(source, status, max_risk, population, _selectivity(selectivity or []))
    if change == SourceChange(source):
        raise typer.BadParameter("give --status, --max-risk, --population or --selectivity")
    _run([change], who, reason, as_of, seed, as_json)


@report_app.command("amend")
@handles_errors
def report_amend(
    report: Annotated[str, typer.Argument(help="Report id.")],
    reason: Reason,
    text: Annotated[
        Path | None, typer.Option("--text", help="File with the corrected text.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Corrected title.")] = None,
    who: WhoOption = None,
    as_of: AsOf = None,
    seed: Seed = 0,
    as_json: JsonFlag = False,
) -> None:
    """A new version of a report. Copies already released keep the version they were made
    from (their ledger leaves name it); the old text is kept."""
    if text is None and title is None:
        raise typer.BadParameter("give --text FILE or --title")
    actor = act(who, reason=reason)
    body = None
    if text is not None:
        try:
            body = text.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MalformedInputError(str(text), f"cannot read: {exc}", "text") from None
        if not body.strip():
            raise MalformedInputError(str(text), "the corrected text is empty", "text")
    with stored() as (_, session):
        current = current_world(session).report(report)
    amended = dataclasses.replace(
        current, text=body if body is not None else current.text, title=title or current.title
    )
    _run([ReportVersion(amended)], actor.who, reason, as_of, seed, as_json)


def render(result: AmendResult, who: str, reason: str) -> None:
    for a in result.amendments:
        console.print(f"[bold]Amended[/] {a.action} {a.subject} (audit entry {a.entry}, by {who})")
        for name, (before, after) in a.changes.items():
            console.print(f"  {name}: {show_value(before)} → {show_value(after)}")
    console.print(f"  why: {reason}")
    if result.decision_changes:
        console.print(decision_changes_table(result.decision_changes))
    console.print(
        f"{result.decided} pending decision(s) re-decided, {len(result.decision_changes)} changed."
    )
    if result.releases_at_risk:
        table = Table(
            title="Releases already made that rest on the compromised source (for the handler)",
            title_justify="left",
        )
        for column in ("release", "partner", "date", "copy", "report", "origin"):
            table.add_column(column)
        for r in result.releases_at_risk:
            version = (
                f"{r['report']} v{r['report_version']}" if r["report_version"] else r["report"]
            )
            table.add_row(r["release"], r["partner"], r["at"], r["version"], version, r["origin"])
        console.print(table)
