"""The demo's last act: a partner's copies leak, and the trace names the copies they came from.

The demo must be reproducible (same tour, same JSON, every run), so its fingerprint key and
the recipients' secrets are fixed here. That is only acceptable because the demo world is
fictional and its home is rebuilt on every run: a real home gets a random key
(``services.fingerprints.fingerprint_key``) and random secrets.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from tearline.fingerprint import Leak
from tearline.fingerprint.noise import body_of, excerpt, retype
from tearline.services.fingerprints import SecretSource, fingerprint_key, fingerprint_key_path
from tearline.services.release import Copy, ReleaseResult, release_report
from tearline.services.trace import TraceReport, trace_leaks
from tearline.services.workspace import Workspace
from tearline.services.world import current_world
from tearline.store.keys import create_secret_file

# Earlier reporting on the same group, releasable in full to most of the alliance.
BACKGROUND = ("rpt-2024-114", "rpt-2025-036")
_DEMO_KEY = hashlib.sha256(b"tearline demo fingerprint key: fictional world, not secret").digest()
_SEED = 20261128


def demo_marking(workspace: Workspace) -> tuple[bytes, SecretSource]:
    """The demo home's fixed fingerprint key (written to its key file) and a seeded source
    of recipients' secrets."""
    path = fingerprint_key_path(workspace.settings)
    if not path.exists():
        create_secret_file(path, _DEMO_KEY)
    rng = random.Random(_SEED)
    return fingerprint_key(workspace), lambda: rng.randbytes(32)


@dataclass(frozen=True, slots=True)
class LeakAct:
    leaker: str
    background: tuple[ReleaseResult, ...]
    files: tuple[Path, ...]
    single: TraceReport  # the warning alone
    combined: TraceReport  # every leaked copy

    def as_dict(self) -> dict[str, Any]:
        return {
            "leaker": self.leaker,
            "background": [
                {"report": r.report, "partners": [c.release.partner for c in r.copies]}
                for r in self.background
            ],
            "files": [str(f) for f in self.files],
            "single": self.single.as_dict(),
            "combined": self.combined.as_dict(),
        }


def leak_act(
    session: Session,
    warning: ReleaseResult,
    *,
    key: bytes,
    make_secret: SecretSource,
    signing_key: Ed25519PrivateKey,
    now: datetime,
    today: date,
    folder: Path,
) -> LeakAct | None:
    """Release the background reports to the warning's recipients, leak one partner's
    copies (retyped by hand, the warning only in part), and trace the warning alone, then
    everything leaked."""
    recipients = [c.release.partner for c in warning.copies]
    if not recipients:
        return None
    background = []
    for offset, report in enumerate(BACKGROUND, start=1):
        world = current_world(session)
        background.append(
            release_report(
                session,
                world,
                report,
                recipients,
                now=now + timedelta(minutes=30 * offset),
                today=today,
                signing_key=signing_key,
                fingerprint_key=key,
                make_secret=make_secret,
            )
        )
    held = {
        p: [c for r in (warning, *background) for c in r.copies if c.release.partner == p]
        for p in recipients
    }
    leaker = max(sorted(held), key=lambda p: len(held[p]))
    rng = random.Random(_SEED)
    leaks = [_leak(copy, rng, folder, first=i == 0) for i, copy in enumerate(held[leaker])]
    files = _write(leaks)
    return LeakAct(
        leaker,
        tuple(background),
        files,
        trace_leaks(session, key, leaks[:1]),
        trace_leaks(session, key, leaks),
    )


def _leak(copy: Copy, rng: random.Random, folder: Path, *, first: bool) -> Leak:
    body = body_of(copy.text)
    if first:  # the warning: about two thirds of it, retyped with typos
        return Leak(str(folder / "leak-1.txt"), retype(excerpt(body, 0.67, rng), rng, typos=0.02))
    text = retype(body, rng, typos=0.02, upper=True)
    return Leak(str(folder / f"leak-{copy.release.report}.txt"), text)


def _write(leaks: Sequence[Leak]) -> tuple[Path, ...]:
    paths = tuple(Path(leak.name) for leak in leaks)
    for path, leak in zip(paths, leaks, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(leak.text, encoding="utf-8")
    return paths
