"""Hand-checked labels: what each demo report truly discloses about its sources.

For every report of the demo world, the attributes a careful reader of the
full text would recognise, at the most specific level the text supports
(0 = the value, i = the i-th generalization). Checked by reading each report
against its sources' attributes; where the labels and the detector disagree
the disagreement is listed in docs/sanitize.md ("Evaluation"):

* rpt-2025-019: the firing date appears as a schedule ("the week of 21
  April"), not as the source's presence: not a disclosure (detector: L0).
* rpt-2025-101: "access to Directorate K personnel actions" is access to SSP
  personnel files (suspension-lists L1; detector misses it); the September
  arrest dates are not the list date (detector: list-17-november L1).
* rpt-2025-061: "the armaments procurement directorate" is GDAP (unit L1),
  not the section (a first detector run said L0).
* rpt-2026-095: "the GS-2 desk officer" names GS-2 (unit L1); the "GS-2
  liaison officer in Reinholt" is someone else (a first run said L0).
* rpt-2026-088: "a Coastal Flotilla staff officer" is a naval staff officer
  (post L1; detector misses it); Port Sarvik is where the exercise is, not
  where the source works (detector: berth L1).
"""

from __future__ import annotations

TRUTH: dict[str, dict[tuple[str, str], int]] = {
    "rpt-2024-101": {
        ("src-heron", "contract-authority"): 0,
        ("src-heron", "line-manager"): 0,
        ("src-heron", "post"): 0,
        ("src-heron", "unit"): 0,
        ("src-heron", "workplace"): 0,
    },
    "rpt-2024-114": {},
    "rpt-2024-122": {
        ("src-kestrel", "employer"): 0,
        ("src-kestrel", "post"): 0,
        ("src-kestrel", "site"): 0,
        ("src-kestrel", "specialism"): 0,
        ("src-kestrel", "telemetry"): 0,
    },
    "rpt-2025-007": {
        ("src-cormorant", "cargo-papers"): 0,
        ("src-cormorant", "employer"): 0,
        ("src-cormorant", "handler-contact"): 0,
        ("src-cormorant", "post"): 0,
        ("src-cormorant", "terminal"): 0,
        ("src-heron", "contract-authority"): 1,
        ("src-heron", "line-manager"): 0,
        ("src-heron", "post"): 0,
        ("src-heron", "unit"): 0,
    },
    "rpt-2025-019": {
        ("src-kestrel", "employer"): 0,
        ("src-kestrel", "post"): 0,
        ("src-kestrel", "site"): 0,
    },
    "rpt-2025-031": {
        ("src-heron", "line-manager"): 0,
        ("src-heron", "post"): 0,
        ("src-heron", "sarn-delegation"): 0,
        ("src-heron", "unit"): 0,
    },
    "rpt-2025-036": {},
    "rpt-2025-044": {
        ("src-kestrel", "employer"): 0,
        ("src-kestrel", "firing-22-april"): 0,
        ("src-kestrel", "post"): 0,
        ("src-kestrel", "site"): 0,
        ("src-kestrel", "specialism"): 0,
        ("src-kestrel", "telemetry"): 0,
    },
    "rpt-2025-052": {("src-cormorant", "cargo-papers"): 0, ("src-cormorant", "employer"): 0},
    "rpt-2025-061": {
        ("src-heron", "contract-authority"): 0,
        ("src-heron", "line-manager"): 0,
        ("src-heron", "unit"): 1,
        ("src-heron", "workplace"): 0,
        ("src-kestrel", "employer"): 0,
        ("src-kestrel", "post"): 0,
        ("src-kestrel", "specialism"): 0,
    },
    "rpt-2025-066": {
        ("src-petrel", "berth"): 0,
        ("src-petrel", "employer"): 0,
        ("src-petrel", "superior"): 0,
    },
    "rpt-2025-078": {("src-linnet", "employer"): 0, ("src-linnet", "post"): 0},
    "rpt-2025-083": {
        ("src-wren", "admin-rights"): 0,
        ("src-wren", "employer"): 0,
        ("src-wren", "post"): 0,
        ("src-wren", "site"): 0,
        ("src-wren", "specialism"): 0,
    },
    "rpt-2025-090": {},
    "rpt-2025-101": {
        ("src-linnet", "employer"): 0,
        ("src-linnet", "office"): 0,
        ("src-linnet", "suspension-lists"): 1,
    },
    "rpt-2025-108": {
        ("src-shrike", "employer"): 0,
        ("src-shrike", "post"): 0,
        ("src-shrike", "principal"): 0,
        ("src-shrike", "talks-9-october"): 0,
    },
    "rpt-2025-117": {
        ("src-linnet", "employer"): 0,
        ("src-linnet", "family"): 0,
        ("src-linnet", "list-17-november"): 0,
        ("src-linnet", "office"): 0,
        ("src-linnet", "post"): 0,
        ("src-linnet", "suspension-lists"): 0,
    },
    "rpt-2025-124": {
        ("src-heron", "contract-authority"): 0,
        ("src-heron", "line-manager"): 0,
        ("src-heron", "post"): 0,
        ("src-heron", "unit"): 0,
    },
    "rpt-2026-006": {("src-tern", "employer"): 0},
    "rpt-2026-014": {
        ("src-cormorant", "cargo-papers"): 0,
        ("src-cormorant", "employer"): 0,
        ("src-cormorant", "handler-contact"): 0,
        ("src-cormorant", "post"): 0,
        ("src-cormorant", "stellan-dawn"): 0,
        ("src-cormorant", "terminal"): 0,
    },
    "rpt-2026-019": {
        ("src-petrel", "berth"): 0,
        ("src-petrel", "employer"): 0,
        ("src-petrel", "post"): 0,
        ("src-petrel", "sailing-orders"): 0,
        ("src-petrel", "superior"): 0,
        ("src-petrel", "watch-8-february"): 0,
    },
    "rpt-2026-027": {
        ("src-wren", "admin-rights"): 0,
        ("src-wren", "employer"): 0,
        ("src-wren", "site"): 0,
    },
    "rpt-2026-034": {("src-heron", "unit"): 2, ("src-shrike", "employer"): 1},
    "rpt-2026-041": {("src-tern", "background"): 0, ("src-tern", "employer"): 0},
    "rpt-2026-052": {
        ("src-tern", "employer"): 0,
        ("src-tern", "pellaro-trip"): 0,
        ("src-tern", "post"): 0,
        ("src-tern", "safe-flat"): 0,
    },
    "rpt-2026-060": {
        ("src-osprey", "desk"): 0,
        ("src-osprey", "staff-talks"): 0,
        ("src-osprey", "unit"): 0,
    },
    "rpt-2026-066": {
        ("src-osprey", "desk"): 0,
        ("src-osprey", "former-posting"): 0,
        ("src-osprey", "office"): 0,
        ("src-osprey", "unit"): 0,
    },
    "rpt-2026-073": {
        ("src-merlin", "garrison"): 0,
        ("src-merlin", "post"): 0,
        ("src-merlin", "unit"): 0,
    },
    "rpt-2026-081": {
        ("src-merlin", "convoy"): 0,
        ("src-merlin", "garrison"): 0,
        ("src-merlin", "post"): 0,
        ("src-merlin", "unit"): 0,
        ("src-merlin", "vehicle"): 0,
    },
    "rpt-2026-088": {
        ("src-petrel", "employer"): 1,
        ("src-petrel", "post"): 1,
        ("src-petrel", "superior"): 0,
    },
    "rpt-2026-095": {
        ("src-osprey", "desk"): 0,
        ("src-osprey", "unit"): 1,
        ("src-shrike", "employer"): 0,
        ("src-shrike", "language"): 0,
        ("src-shrike", "post"): 0,
        ("src-shrike", "principal"): 0,
    },
    "rpt-2026-103": {
        ("src-linnet", "employer"): 0,
        ("src-linnet", "office"): 0,
        ("src-linnet", "post"): 0,
        ("src-linnet", "suspension-lists"): 0,
    },
    "rpt-2026-109": {
        ("src-cormorant", "employer"): 0,
        ("src-cormorant", "handler-contact"): 0,
        ("src-cormorant", "post"): 0,
        ("src-heron", "line-manager"): 0,
        ("src-heron", "post"): 0,
        ("src-heron", "unit"): 0,
        ("src-heron", "workplace"): 0,
    },
    "rpt-2026-112": {
        ("src-cormorant", "cargo-papers"): 0,
        ("src-cormorant", "employer"): 0,
        ("src-cormorant", "handler-contact"): 0,
        ("src-cormorant", "post"): 0,
        ("src-cormorant", "terminal"): 0,
    },
    "rpt-2026-115": {("src-heron", "unit"): 2, ("src-merlin", "unit"): 1},
    "rpt-2026-116": {},
}
