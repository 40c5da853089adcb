"""Read YAML while remembering where every value came from.

PyYAML's constructors lose positions, so we compose the node graph ourselves
and record, for each path into the document ("ties", 3, "military"), the line
it starts on. Errors can then point at the exact line of the offending field.
Duplicate mapping keys, which PyYAML silently overwrites, are reported too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from tearline.domain.errors import Issue, ScenarioError
from tearline.scenario.limits import check_limits

Path = tuple[str | int, ...]


@dataclass(slots=True)
class Located:
    """A parsed YAML document and the 1-based line of every path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        # Walk up to the nearest ancestor with a known line (e.g. a missing
        # field is reported at the line of the mapping that lacks it).
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None


def parse_yaml(text: str, filename: str) -> Located:
    check_limits(text, filename)  # size, depth and alias expansion, before building anything
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(data=None)
        located = Located(data=None)
        located.data = _build(loader, node, (), located, filename)
        return located
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Issue("", f"invalid YAML: {problem}", filename, line)]) from exc
    except yaml.YAMLError as exc:
        raise ScenarioError([Issue("", f"invalid YAML: {exc}", filename)]) from exc
    finally:
        loader.dispose()


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path, out: Located, filename: str
) -> Any:
    out.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolve YAML merge keys (<<) first
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, path, filename)
            if not isinstance(key, str | int):
                key = str(key)
            if key in result:
                raise ScenarioError(
                    [
                        Issue(
                            _render_path((*path, key)),
                            "duplicate key",
                            filename,
                            key_node.start_mark.line + 1,
                        )
                    ]
                )
            child = (*path, key)
            result[key] = _build(loader, value_node, child, out, filename)
            # A field's line is the line of its key, which is where readers look.
            out.lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), out, filename)
            for index, item in enumerate(node.value)
        ]
    return _scalar(loader, node, path, filename)


# YAML 1.2's core-schema float in exponent form, which YAML 1.1 resolves to a string.
_EXPONENT_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, path: Path, filename: str) -> Any:
    """One scalar, or an issue at its line: PyYAML raises plain ValueError for values that
    look like dates or times but are not (2024-02-30, 0000-01-01, an offset of +25:00)."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode):
        raise ScenarioError([Issue(_render_path(path), "a key must be text", filename, line)])
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:
        raise ScenarioError(
            [
                Issue(
                    _render_path(path),
                    f"{node.value!r} is not a valid value ({exc})",
                    filename,
                    line,
                )
            ]
        ) from None
    if isinstance(value, str) and node.style is None and _EXPONENT_FLOAT.fullmatch(value):
        # YAML 1.1 (PyYAML) reads 1e-5 as text (it wants "1.0e-5"); YAML 1.2 and every
        # writer of floats (Python's repr included) mean a number. Quoted, it stays text.
        return float(value)
    if isinstance(value, str):
        problem = unsafe_text(value)
        if problem is not None:
            raise ScenarioError([Issue(_render_path(path), problem, filename, line)])
    return value


def unsafe_text(value: str) -> str | None:
    """Why ``value`` cannot be stored and shown safely, or None. Refused: NUL (PostgreSQL
    cannot store it), lone surrogates (not Unicode text), and control characters other than
    tab and line breaks (they would drive the terminal that displays them)."""
    for char in value:
        code = ord(char)
        if code == 0:
            return "contains a NUL character"
        if 0xD800 <= code <= 0xDFFF:
            return f"contains a lone surrogate U+{code:04X} (not valid Unicode text)"
        if (code < 0x20 and char not in "\t\n\r") or 0x7F <= code <= 0x9F:
            return f"contains the control character U+{code:04X}"
    return None


def _render_path(path: Path) -> str:
    """("ties", 3, "military") -> "ties[3].military"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


render_path = _render_path
