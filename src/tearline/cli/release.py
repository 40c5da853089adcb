"""`tearline release`: the one way material leaves tearline from the CLI."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from tearline.cli.acting import WhoOption, act, recording
from tearline.cli.app import app, workspace
from tearline.cli.output import console, emit_json, handles_errors
from tearline.domain.errors import StoreError
from tearline.domain.releases import Version
from tearline.services import recall as recall_service
from tearline.services.audit import AuditTrail, MissingActorError, person_name
from tearline.services.fingerprints import fingerprint_key
from tearline.services.ledger import open_ledger
from tearline.services.release import Override, ReleaseResult, release_report
from tearline.services.trace import DEFAULT_EPSILON
from tearline.services.world import current_world

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@app.command()
@handles_errors
def release(
    report: Annotated[str, typer.Argument(help="Report id.")],
    to: Annotated[list[str], typer.Option("--to", help="Recipient (repeatable).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the copies (default HOME/releases).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sampled worlds.")] = 0,
    epsilon: Annotated[
        float,
        typer.Option(
            "--epsilon",
            min=1e-12,
            max=0.5,
            help="ε of the trace-capacity check (as `trace --epsilon`).",
        ),
    ] = DEFAULT_EPSILON,
    force_untraceable: Annotated[
        bool,
        typer.Option(
            "--force-untraceable",
            help="Release a copy even when it would be identical to another recipient's "
            "(its ledger leaf records it as untraceable).",
        ),
    ] = False,
    override: Annotated[
        bool,
        typer.Option(
            "--override",
            help="Duty to warn: release against the protocols' decision (needs --approver, "
            "--reason).",
        ),
    ] = False,
    approver: Annotated[
        str | None,
        typer.Option("--approver", help="The second named person approving the override."),
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why (required with --override; recorded).")
    ] = "",
    full: Annotated[
        bool,
        typer.Option("--full", help="With --override: the approver asks for the full version."),
    ] = False,
    who: WhoOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Decide for each recipient, write each allowed copy, record the releases. Each copy's
    trace capacity is shown: its fingerprint slots, and whether a whole leak of it would
    name its recipient among the report's recipients at ε. With --override (duty to warn) a
    second named person approves a release against the protocols' decision."""
    actor = act(who, reason=reason)
    now = actor.at
    exception = _override(override, approver, actor.reason, full, actor.who)
    ws = workspace()
    folder = out or ws.settings.home / "releases"
    written: list[Path] = []
    try:
        ws.open(create=False)
        # Refuses to serve if the log does not match its last signed head.
        ledger = open_ledger(ws, create_key=True)
        marking_key = fingerprint_key(ws, create=True)
        try:
            with ws.unit_of_work() as session:
                world = current_world(session)
                result = release_report(
                    session,
                    world,
                    report,
                    to,
                    now=now,
                    today=now.date(),
                    signing_key=ledger.signing_key,
                    fingerprint_key=marking_key,
                    seed=seed,
                    epsilon=epsilon,
                    force_untraceable=force_untraceable,
                    override=exception,
                )
                details: dict[str, object] = {
                    "partners": list(to),
                    "releases": [c.release.id for c in result.copies],
                    "withheld": [w.partner for w in result.withheld],
                    "recalls_delivered": [r for c in result.copies for r in c.recalls],
                }
                if exception is not None:
                    details |= {
                        "approver": exception.approver,
                        "version": exception.version.value,
                        "protocols_decided": {
                            c.release.partner: c.decision.outcome.value for c in result.copies
                        },
                    }
                AuditTrail(session, ledger.signing_key).record(
                    actor,
                    action="release" if exception is None else "override",
                    subject=report,
                    details=details,
                )
                # Files first, commit last: if writing fails nothing is
                # recorded; if the commit fails the files are removed.
                written = write_copies(folder, result)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    finally:
        ws.close()
    files = {c.release.id: str(p) for c, p in zip(result.copies, written, strict=True)}
    if as_json:
        emit_json(
            {
                "releases": [
                    {
                        "id": c.release.id,
                        "report": c.release.report,
                        "partner": c.release.partner,
                        "version": c.release.version.value,
                        "file": files[c.release.id],
                        "sha256": c.sha256,
                        "fingerprint_id": c.fingerprint_id,
                        "approval": None
                        if c.approval is None
                        else {
                            "id": c.approval.id,
                            "reviewer": c.approval.reviewer,
                            "reason": c.approval.reason,
                            "at": c.approval.at,
                        },
                        "ledger_index": c.ledger_index,
                        "trace": c.capacity.to_dict() if c.capacity else None,
                        "override": exception is not None,
                        "protocols_decided": c.decision.outcome.value,
                        "recalls_delivered": list(c.recalls),
                    }
                    for c in result.copies
                ],
                "withheld": [
                    {"partner": w.partner, "reasons": list(w.reasons)} for w in result.withheld
                ],
            }
        )
        return
    for c in result.copies:
        how = (
            "" if exception is None else f" [bold red]OVERRIDE[/] approved by {exception.approver}"
        )
        console.print(
            f"[green]released[/] {c.release.version.value} copy to {c.release.partner}{how}: "
            f"{files[c.release.id]}"
        )
        if c.capacity is not None:
            colour = "green" if c.capacity.traceable else "yellow"
            console.print(f"  [{colour}]trace capacity[/] — {c.capacity.render()}")
        if exception is not None:
            console.print(f"  the protocols decided: {c.decision.outcome.value}")
        for recalled in c.recalls:
            console.print(f"  carries the recall notice of {recalled}")
    for w in result.withheld:
        console.print(f"[red]withheld[/] from {w.partner}:")
        for reason in w.reasons:
            console.print(f"  - {reason}")


def _override(
    wanted: bool, approver: str | None, reason: str, full: bool, releaser: str
) -> Override | None:
    """The override asked for, checked before anything is read or written: a second named
    person, distinct from the releaser, and a reason."""
    if not wanted:
        if approver is not None or full:
            raise typer.BadParameter("--approver and --full go with --override")
        return None
    if not reason:
        raise typer.BadParameter("--override needs --reason (why the warning must go out)")
    try:
        second = person_name(approver)
    except MissingActorError:
        raise typer.BadParameter(
            "--override needs --approver NAME: a second named person"
        ) from None
    if second.casefold() == releaser.casefold():
        raise typer.BadParameter(
            f"the approver must be a second person, not the releaser ({releaser})"
        )
    return Override(second, reason, Version.FULL if full else Version.TEARLINE)


def write_copies(folder: Path, result: ReleaseResult) -> list[Path]:
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for copy in result.copies:
            path = folder / f"{copy.release.id}-{copy.release.partner}.txt"
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".copy-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(copy.text)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise StoreError(f"cannot write copies to {folder}: {exc.strerror}") from exc
    return written


@app.command()
@handles_errors
def recall(
    release_id: Annotated[str, typer.Argument(metavar="RELEASE", help="Release id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded; not sent).")],
    who: WhoOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Recall a release: recorded (its own ledger leaf, shown in history) and carried to the
    partner as a notice in its next delivery."""
    actor = act(who, reason=reason)
    if not actor.reason:
        raise typer.BadParameter("--reason must say why")
    with recording() as (_, session, trail):
        made = recall_service.recall(session, release_id, actor, trail)
    if as_json:
        emit_json(made.as_dict())
        return
    console.print(
        f"[bold]Recalled[/] {made.release} ({made.version} copy of {made.report} to "
        f"{made.partner}, released {made.released_at[:10]}) — by {made.who}, audit entry "
        f"{made.audit_entry}. The notice goes with {made.partner}'s next delivery."
    )
