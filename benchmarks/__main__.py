"""Run every benchmark and write their figures to docs/benchmarks.md.

    .venv/bin/python -m benchmarks            # all (what `make bench` runs)
    .venv/bin/python -m benchmarks risk       # one

Each benchmark module has a ``main()`` that prints a Markdown report
(figures, and ratios against a baseline measured in the same run, since the
machines are noisy). This runner collects those reports into one page.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

MODULES = ["risk", "ledger", "decide", "tracing", "sanitize"]
DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def _available(name: str) -> bool:
    return (Path(__file__).parent / f"{name}.py").exists()


def run(names: list[str]) -> str:
    sections = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== benchmarks.{name}", file=sys.stderr, flush=True)
        buffer = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(buffer):
            module.main()
        elapsed = time.perf_counter() - started
        report = buffer.getvalue().rstrip()
        print(report, file=sys.stderr)
        sections.append(f"## {name}\n\n{report}\n\n_(ran in {elapsed:.1f} s)_\n")
    return "\n".join(sections)


def main(argv: list[str]) -> int:
    names = argv or [n for n in MODULES if _available(n)]
    unknown = [n for n in names if not _available(n)]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    body = run(names)
    header = (
        "# Benchmarks\n\n"
        "Produced by `make bench` (`.venv/bin/python -m benchmarks`); each section\n"
        "compares against a baseline measured in the same run.\n\n"
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}\n\n"
    )
    if argv and DOCS.exists():
        # Running a subset: keep the other sections as they were.
        existing = DOCS.read_text(encoding="utf-8")
        kept = [s for s in existing.split("\n## ")[1:] if s.split("\n", 1)[0] not in names]
        body = "\n".join(f"## {s.rstrip()}\n" for s in kept) + "\n" + body
    DOCS.write_text(header + body, encoding="utf-8")
    print(f"wrote {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
