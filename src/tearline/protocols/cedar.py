"""Protocols as Cedar policies: the only module that speaks Cedar.

Each rule of each protocol becomes one Cedar policy. Cedar gives us the
semantics we want for sharing: default deny (no protocol, no release), and
forbid overrides permit. Two actions, ``release-full`` and
``release-tearline``; principals are actors (with their groups as Cedar
parents, so ``principal in Group::"alliance"`` follows nesting); resources are
reports; the risk figures arrive in the request context as integers (see
``figures.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import cedarpy

from tearline.domain.actors import ActorKind
from tearline.domain.errors import Issue, ScenarioError
from tearline.domain.protocols import Conditions, Effect, Protocol, ReleaseScope, Rule
from tearline.domain.releases import Version
from tearline.domain.reports import Report
from tearline.domain.world import World
from tearline.protocols.figures import PPB, Figures

ACTIONS = {Version.FULL: "release-full", Version.TEARLINE: "release-tearline"}

_CONTEXT_ATTRIBUTES = {
    "marginal_risk_ppb": {"type": "Long"},
    "cumulative_risk_ppb": {"type": "Long"},
    "worst_k_milli": {"type": "Long"},
    "reach_ppb": {"type": "Long"},
    "approved": {"type": "Boolean"},
    "today": {"type": "Long"},
}

SCHEMA: dict[str, Any] = {
    "": {
        "entityTypes": {
            "Actor": {
                "memberOfTypes": ["Group"],
                "shape": {"type": "Record", "attributes": {"kind": {"type": "String"}}},
            },
            "Group": {"memberOfTypes": ["Group"]},
            "Report": {
                "shape": {
                    "type": "Record",
                    "attributes": {
                        "category": {"type": "String"},
                        "classification": {"type": "String"},
                        "controls": {"type": "Set", "element": {"type": "String"}},
                    },
                }
            },
        },
        "actions": {
            name: {
                "appliesTo": {
                    "principalTypes": ["Actor"],
                    "resourceTypes": ["Report"],
                    "context": {"type": "Record", "attributes": _CONTEXT_ATTRIBUTES},
                }
            }
            for name in ACTIONS.values()
        },
    }
}


def literal(text: str) -> str:
    """A Cedar string literal. Cedar follows Rust's escapes: backslash,
    quote, and \\u{...} for anything unprintable."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{{{ord(ch):x}}}")
    return '"' + "".join(out) + '"'


def _day(value: date) -> int:
    return value.year * 10_000 + value.month * 100 + value.day


@dataclass(frozen=True, slots=True)
class CompiledRule:
    protocol: Protocol
    rule: Rule

    @property
    def label(self) -> str:
        return f"{self.protocol.id}@v{self.protocol.version}/{self.rule.id}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """``context.<name> <op> <value>``: a comparison of one figure with a
    constant, as the compiler wrote it. The truth of its comparisons is all a
    compiled policy can learn of the figures (``protocols.engine`` groups the
    pairs it cannot tell apart by them)."""

    name: str  # a key of ``Figures.as_context``
    op: str  # "<", "<=", ">", ">=", "=="
    value: int


@dataclass(frozen=True, slots=True)
class PolicySet:
    """The compiled protocols: Cedar text plus, by position, the rule each
    policy came from (cedarpy names policies policy0, policy1, ... in order),
    and the figure comparisons the compiler emitted (data, never read back
    from the text). ``comparisons`` is None for a policy set not made by
    ``compile_protocols``: nothing is then known of how it reads the request."""

    text: str
    rules: tuple[CompiledRule, ...]
    comparisons: tuple[Comparison, ...] | None = None

    def rule_for(self, policy_id: str) -> CompiledRule:
        return self.rules[int(policy_id.removeprefix("policy"))]

    def parsed(self) -> Any:
        """cedarpy's parsed policy set (parsing the text costs ~3x a request)."""
        return _parsed(self.text)


_PARSED: dict[str, Any] = {}


def _parsed(text: str) -> Any:
    handle = _PARSED.get(text)
    if handle is None:
        if len(_PARSED) > 64:  # a cache, not a leak: worlds come and go
            _PARSED.clear()
        handle = _PARSED[text] = cedarpy.PolicySet.from_str(text)
    return handle


def compile_protocols(world: World) -> PolicySet:
    """Compile every protocol in force; validate against the schema."""
    groups = {g.id for g in world.groups}
    policies: list[str] = []
    rules: list[CompiledRule] = []
    comparisons: list[Comparison] = []
    for protocol in world.protocols:
        # Cedar's validator types sets strictly, so actors and groups are
        # matched one by one: equality for an actor, membership for a group.
        scope = " || ".join(
            f"principal in Group::{literal(i)}"
            if i in groups
            else f"principal == Actor::{literal(i)}"
            for i in protocol.applies_to
        )
        for rule in protocol.rules:
            policies.append(_policy(protocol, rule, scope, comparisons))
            rules.append(CompiledRule(protocol, rule))
    text = "\n".join(policies)
    if policies:
        _validate(text, rules)
    return PolicySet(text, tuple(rules), tuple(dict.fromkeys(comparisons)))


def _policy(protocol: Protocol, rule: Rule, scope: str, comparisons: list[Comparison]) -> str:
    if rule.release is ReleaseScope.ANY:
        action = "action"
    else:
        action = f'action == Action::"{ACTIONS[Version(rule.release.value)]}"'
    clauses = [f"({scope})"]
    terms = protocol.terms
    if terms.valid_from is not None:
        clauses.append(f"context.today >= {_day(terms.valid_from)}")
    if terms.valid_until is not None:
        clauses.append(f"context.today <= {_day(terms.valid_until)}")
    for found in _figure_comparisons(rule.when):
        comparisons.append(found)
        clauses.append(f"context.{found.name} {found.op} {found.value}")
    clauses.extend(_conditions(rule.when))
    effect = "permit" if rule.effect is Effect.PERMIT else "forbid"
    body = " &&\n  ".join(clauses)
    return f"{effect}(principal, {action}, resource) when {{\n  {body}\n}};"


def _set(values: Iterable[str]) -> str:
    return "[" + ", ".join(literal(v) for v in values) + "]"


def _ppb(value: float) -> int:
    return round(value * PPB)


def _conditions(when: Conditions) -> list[str]:
    out = []
    if when.categories:
        out.append(f"{_set(when.categories)}.contains(resource.category)")
    if when.classifications:
        out.append(f"{_set(when.classifications)}.contains(resource.classification)")
    if when.controls:
        out.append(f"resource.controls.containsAny({_set(when.controls)})")
    if when.approved is not None:
        out.append(f"context.approved == {'true' if when.approved else 'false'}")
    return out


def _figure_comparisons(when: Conditions) -> list[Comparison]:
    out = []
    for key, field, op in (
        ("marginal_risk_below", "marginal_risk_ppb", "<"),
        ("marginal_risk_above", "marginal_risk_ppb", ">"),
        ("cumulative_risk_below", "cumulative_risk_ppb", "<"),
        ("cumulative_risk_above", "cumulative_risk_ppb", ">"),
        ("reach_below", "reach_ppb", "<"),
        ("reach_above", "reach_ppb", ">"),
    ):
        value = getattr(when, key)
        if value is not None:
            out.append(Comparison(field, op, _ppb(value)))
    if when.k_at_least is not None:
        out.append(Comparison("worst_k_milli", ">=", math.ceil(when.k_at_least * 1000)))
    if when.k_below is not None:
        out.append(Comparison("worst_k_milli", "<", math.ceil(when.k_below * 1000)))
    return out


def _validate(text: str, rules: list[CompiledRule]) -> None:
    result = cedarpy.validate_policies(text, SCHEMA)
    if result.validation_passed:
        return
    issues = []
    for error in result.errors:
        where = getattr(error, "policy_id", "")
        label = rules[int(where.removeprefix("policy"))].label if where.startswith("policy") else ""
        issues.append(Issue(f"protocols.{label}" if label else "protocols", str(error)))
    raise ScenarioError(issues)


def entities(world: World, report: Report, partner: str) -> list[dict[str, Any]]:
    """The Cedar entities for one request: the partner with its group chain,
    and the report."""
    parents: dict[str, set[str]] = {g.id: set() for g in world.groups}
    actor_groups: set[str] = set()
    for group in world.groups:
        for member in group.members:
            if member in parents:
                parents[member].add(group.id)
            elif member == partner:
                actor_groups.add(group.id)
    kind = world.actor(partner).kind
    out: list[dict[str, Any]] = [
        {
            "uid": {"type": "Actor", "id": partner},
            "attrs": {"kind": kind.value if isinstance(kind, ActorKind) else str(kind)},
            "parents": [{"type": "Group", "id": g} for g in sorted(actor_groups)],
        },
        {
            "uid": {"type": "Report", "id": report.id},
            "attrs": {
                "category": report.category,
                "classification": report.classification,
                "controls": list(report.controls),
            },
            "parents": [],
        },
    ]
    out.extend(
        {
            "uid": {"type": "Group", "id": g},
            "attrs": {},
            "parents": [{"type": "Group", "id": p} for p in sorted(ps)],
        }
        for g, ps in parents.items()
    )
    return out


@dataclass(frozen=True, slots=True)
class Answer:
    allowed: bool
    determining: tuple[CompiledRule, ...]
    errors: tuple[str, ...]


def authorize(
    policies: PolicySet,
    cedar_entities: list[dict[str, Any]],
    *,
    partner: str,
    report: str,
    version: Version,
    figures: Figures,
    approved: bool,
    today: date,
) -> Answer:
    """Ask Cedar whether ``version`` may go to ``partner``. Any evaluation error
    fails closed (Cedar skips an erroring policy; an erroring permit cannot
    allow, and we also refuse when a forbid errored)."""
    if not policies.rules:
        return Answer(False, (), ())
    context: Mapping[str, Any] = {
        **figures.as_context(),
        "approved": approved,
        "today": _day(today),
    }
    request = {
        "principal": f"Actor::{literal(partner)}",
        "action": f'Action::"{ACTIONS[version]}"',
        "resource": f"Report::{literal(report)}",
        "context": dict(context),
    }
    result = cedarpy.is_authorized(request, policies.parsed(), cedar_entities)
    errors = tuple(str(e) for e in result.diagnostics.errors)
    # Cedar reports its reasons as a set: order them as the protocols list them.
    ordered = sorted(result.diagnostics.reasons, key=lambda p: int(p.removeprefix("policy")))
    determining = tuple(policies.rule_for(p) for p in ordered)
    return Answer(bool(result.allowed) and not errors, determining, errors)


__all__ = [
    "ACTIONS",
    "SCHEMA",
    "Answer",
    "Comparison",
    "PolicySet",
    "authorize",
    "compile_protocols",
    "entities",
]
