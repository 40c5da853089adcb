"""Limits on a scenario file, checked before anything is built from it.

YAML can describe far more than it spells out: anchors and aliases let a few hundred bytes
stand for billions of nodes ("billion laughs"), an alias may point into the node that
contains it (a cycle), and nesting thousands of levels deep exhausts Python's stack. So the
file is first read as a stream of parser events — PyYAML's parser is a state machine, not a
recursion, so this is safe at any depth — and refused, naming the line, when it is:

* larger than ``MAX_FILE_BYTES``;
* nested deeper than ``MAX_DEPTH`` collections;
* larger than ``MAX_NODES`` nodes once every alias is expanded (each alias counts the full
  size of the node it repeats), or holds an alias to an unfinished (enclosing) or unknown
  anchor.

The limits are documented in docs/scenario.md and docs/security.md. The demo world, the
largest file shipped, is about 100 KiB, 12 levels deep and 8,000 nodes.
"""

from __future__ import annotations

import yaml

from tearline.domain.errors import Issue, ScenarioError

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000

# libyaml's parser when present (25x faster; it also caps nesting itself), else PyYAML's.
_EVENT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_limits(text: str, filename: str) -> None:
    """``ScenarioError`` when ``text`` exceeds a limit; nothing is constructed."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [Issue("", f"file is {size:,} bytes, above the limit of {MAX_FILE_BYTES:,}", filename)]
        )
    anchors: dict[str, int] = {}  # finished anchors: their expanded size
    open_anchors: set[str] = set()  # anchors of collections still being read
    frames: list[tuple[str | None, list[int]]] = []  # open collections: anchor, [size]
    total = 0
    try:
        for event in yaml.parse(text, Loader=_EVENT_LOADER):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.CollectionStartEvent):
                if len(frames) >= MAX_DEPTH:
                    _fail(filename, line, f"nested deeper than {MAX_DEPTH} levels")
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                frames.append((event.anchor, [1]))
                total += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, (size,) = frames.pop()
                if anchor is not None:
                    open_anchors.discard(anchor)
                    anchors[anchor] = size
                if frames:
                    frames[-1][1][0] += size
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
                if isinstance(event, yaml.AliasEvent):
                    name = event.anchor or ""
                    if name in open_anchors:
                        _fail(filename, line, f"alias *{name} refers to a node that contains it")
                    if name not in anchors:
                        _fail(filename, line, f"alias *{name} refers to no anchor")
                    size = anchors[name]
                else:
                    size = 1
                    if event.anchor is not None:
                        anchors[event.anchor] = 1
                total += size
                if frames:
                    frames[-1][1][0] += size
            if total > MAX_NODES:
                _fail(
                    filename, line, f"expands to more than {MAX_NODES:,} nodes (aliases included)"
                )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError(
            [Issue("", f"invalid YAML: {problem}", filename, mark.line + 1 if mark else None)]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Issue("", f"invalid YAML: {exc}", filename)]) from None


def _fail(filename: str, line: int | None, message: str) -> None:
    raise ScenarioError([Issue("", message, filename, line)])
