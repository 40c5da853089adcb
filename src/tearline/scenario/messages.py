"""Turn Pydantic's errors into messages a scenario author can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tearline.domain.errors import Issue
from tearline.scenario.yamlsource import Located, Path, render_path


def issues_from_validation(exc: ValidationError, located: Located, filename: str) -> list[Issue]:
    issues = []
    for error in exc.errors(include_url=False):
        path: Path = tuple(error["loc"])
        path = _strip_union_tags(path)
        issues.append(Issue(render_path(path), _message(error), filename, located.line_of(path)))
    return issues


def _strip_union_tags(path: Path) -> Path:
    # Pydantic adds the tried union member ("int", "date", "function-after[...]")
    # to the location; authors know nothing of these.
    keep: list[str | int] = []
    for part in path:
        if isinstance(part, str) and (
            part in {"int", "float", "str", "date", "datetime", "bool", "none"} or "[" in part
        ):
            continue
        keep.append(part)
    return tuple(keep)


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    shown = _show(value)
    if kind == "less_than_equal":
        return f"{shown} is above {ctx['le']}"
    if kind == "less_than":
        return f"{shown} must be below {ctx['lt']}"
    if kind == "greater_than_equal":
        return f"{shown} is below {ctx['ge']}"
    if kind == "greater_than":
        return f"{shown} must be above {ctx['gt']}"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "literal_error":
        return f"{shown} is not one of {ctx.get('expected', '')}"
    if kind in {"too_short", "string_too_short"}:
        return "must not be empty"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{shown} is not a whole number"
    if kind in {"float_parsing", "float_type"}:
        return f"{shown} is not a number"
    if kind.startswith(("date_", "datetime_")):
        return f"{shown} is not a date (write YYYY-MM-DD)"
    if kind in {"list_type"}:
        return f"{shown} is not a list"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"{shown} is not a mapping"
    if kind in {"string_type"}:
        return f"{shown} is not text"
    if kind == "string_pattern_mismatch":
        return (
            f"{shown} is not a valid id (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit)"
        )
    if kind == "finite_number":
        return f"{shown} is not a finite number"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in {"bool_parsing", "bool_type"}:
        return f"{shown} is not true or false"
    return str(error["msg"])


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return str(value)
