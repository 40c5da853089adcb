"""Read YAML while remembering where every value came from.

PyYAML's constructors lose positions, so we compose the node graph ourselves
and record, for each path into the document ("ties", 3, "military"), the line
it starts on. Errors can then point at the exact line of the offending field.
Duplicate mapping keys, which PyYAML silently overwrites, are reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from tearline.domain.errors import Issue, ScenarioError

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
            key = loader.construct_object(key_node, deep=True)
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
    return loader.construct_object(node, deep=True)


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
