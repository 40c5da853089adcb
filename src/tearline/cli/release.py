"""`tearline release`: the one way material leaves tearline from the CLI."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from tearline.cli.acting import WhoOption, act
from tearline.cli.app import app, workspace
from tearline.cli.output import console, emit_json, handles_errors
from tearline.domain.errors import StoreError
from tearline.services.audit import AuditTrail
from tearline.services.fingerprints import fingerprint_key
from tearline.services.ledger import open_ledger
from tearline.services.release import ReleaseResult, release_report
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
    who: WhoOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Decide for each recipient, write each allowed copy, record the releases. Each copy's
    trace capacity is shown: its fingerprint slots, and whether a whole leak of it would
    name its recipient among the report's recipients at ε."""
    actor = act(who)
    now = actor.at
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
                )
                AuditTrail(session, ledger.signing_key).record(
                    actor,
                    action="release",
                    subject=report,
                    details={
                        "partners": list(to),
                        "releases": [c.release.id for c in result.copies],
                        "withheld": [w.partner for w in result.withheld],
                    },
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
        console.print(
            f"[green]released[/] {c.release.version.value} copy to {c.release.partner}: "
            f"{files[c.release.id]}"
        )
        if c.capacity is not None:
            colour = "green" if c.capacity.traceable else "yellow"
            console.print(f"  [{colour}]trace capacity[/] — {c.capacity.render()}")
    for w in result.withheld:
        console.print(f"[red]withheld[/] from {w.partner}:")
        for reason in w.reasons:
            console.print(f"  - {reason}")


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
