"""Architecture as behaviour: the pure core loads no adapters (fresh interpreters),
and every package imports only along the declared edges of the layer matrix."""

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


# The layer matrix: what each package may import besides itself. The pure core
# depends on the domain only; store never reaches up into services; the CLI
# (and the server's adapters) call services and render domain values — they
# wire no core object and open no store themselves. A new package declares
# its edges here.
CORE_EDGES = {"domain"}
LAYERS: dict[str, set[str]] = {
    "__init__": {"domain"},
    "domain": set(),
    "risk": CORE_EDGES,
    "protocols": CORE_EDGES,
    "sanitize": CORE_EDGES,
    "fingerprint": CORE_EDGES,
    "ledger": CORE_EDGES,
    "scenario": CORE_EDGES,
    "interop": CORE_EDGES,
    "store": {"domain", "ledger", "protocols", "scenario"},
    "settings": {"store"},
    "services": {
        "domain",
        "fingerprint",
        "interop",
        "ledger",
        "protocols",
        "risk",
        "sanitize",
        "scenario",
        "settings",
        "store",
    },
    "cli": {"domain", "services"},
    "api": {"domain", "services"},
    "web": {"domain", "services"},
}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_every_package_imports_only_along_declared_edges() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        package = path.relative_to(SRC).parts[0].removesuffix(".py")
        if package == "data":
            continue
        allowed = LAYERS.get(package)
        if allowed is None:
            offenders.append(f"{package}: not in the layer matrix (declare its edges)")
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "tearline" or len(parts) < 2 or parts[1] == package:
                continue
            if parts[1] not in allowed:
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("cli", "store"),
        ("cli", "risk"),
        ("cli", "protocols"),
        ("services", "cli"),
        ("store", "services"),
    ],
)
def test_the_matrix_forbids_what_the_issue_forbids(package: str, forbidden: str) -> None:
    assert forbidden not in LAYERS[package]
