"""Architecture as behaviour: the pure core loads no adapters (fresh interpreters)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tearline"
CORE = ["domain", "risk", "protocols", "sanitize", "fingerprint", "ledger"]
ADAPTERS = {"store", "api", "web", "cli", "services", "interop"}
HEAVY = ["sqlalchemy", "typer", "fastapi", "alembic", "rich"]


def _loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    return set(filter(None, out.split(",")))


def test_importing_the_domain_loads_neither_sqlalchemy_nor_typer() -> None:
    assert _loaded_after("tearline.domain") == set()


@pytest.mark.parametrize("package", [p for p in CORE if (SRC / p / "__init__.py").exists()])
def test_core_packages_load_no_adapter_libraries(package: str) -> None:
    assert _loaded_after(f"tearline.{package}") == set()


def test_core_source_never_imports_adapters() -> None:
    offenders = []
    for package in CORE:
        for path in (SRC / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "tearline" and len(parts) > 1 and parts[1] in ADAPTERS:
                        offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []
