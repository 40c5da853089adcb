"""Load a scenario file: parse, validate everything, then build the world.

Loading is all-or-nothing: every problem in the file is collected into one
``ScenarioError``; nothing is returned (and so nothing is stored) unless the
whole file is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from tearline.domain.errors import Issue, ScenarioError
from tearline.domain.params import ModelParams
from tearline.domain.world import World
from tearline.scenario.convert import world_from_spec, world_to_document
from tearline.scenario.crosscheck import KnownIds, cross_check
from tearline.scenario.messages import issues_from_validation
from tearline.scenario.schema import FORMAT_VERSION, ScenarioSpec
from tearline.scenario.yamlsource import parse_yaml


@dataclass(frozen=True, slots=True)
class Scenario:
    """A validated scenario file. ``world`` holds what the file defines;
    ``sets_model`` says whether it has its own ``model:`` section."""

    world: World
    sets_model: bool
    filename: str
    report_versions: dict[str, int] = field(default_factory=dict)  # as the file gives them


def parse_scenario(
    text: str,
    filename: str = "<scenario>",
    *,
    known: KnownIds | None = None,
    base_model: ModelParams | None = None,
) -> Scenario:
    """Validate ``text``; references may also point at ``known`` (stored) ids."""
    located = parse_yaml(text, filename)
    data = located.data
    if not isinstance(data, dict):
        raise ScenarioError(
            [Issue("", "a scenario must be a mapping with 'tearline: 1'", filename, 1)]
        )
    if "tearline" not in data:
        raise ScenarioError(
            [
                Issue(
                    "tearline",
                    f"missing format version (add 'tearline: {FORMAT_VERSION}')",
                    filename,
                    1,
                )
            ]
        )
    if type(data["tearline"]) is not int or data["tearline"] != FORMAT_VERSION:
        raise ScenarioError(
            [
                Issue(
                    "tearline",
                    f"unsupported format version {data['tearline']!r} (this tearline reads {FORMAT_VERSION})",
                    filename,
                    located.line_of(("tearline",)),
                )
            ]
        )
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(issues_from_validation(exc, located, filename)) from None
    issues = cross_check(spec, located, filename, known or KnownIds())
    if issues:
        raise ScenarioError(issues)
    return Scenario(
        world_from_spec(spec, base_model),
        spec.model is not None,
        filename,
        {r.id: r.version for r in spec.reports},
    )


def read_scenario(
    path: Path, *, known: KnownIds | None = None, base_model: ModelParams | None = None
) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Issue("", "no such file", str(path))]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Issue("", f"not UTF-8 text ({exc.reason})", str(path))]) from None
    except OSError as exc:
        raise ScenarioError([Issue("", f"cannot read: {exc.strerror}", str(path))]) from None
    return parse_scenario(text, str(path), known=known, base_model=base_model)


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line report text reads best as a literal block.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def dump_scenario(world: World, *, include_identities: bool = False) -> str:
    document = world_to_document(world, include_identities=include_identities)
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
