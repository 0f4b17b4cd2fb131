"""Applying the knowledge rules: traveller context in, derived constraints out.

Derived constraints carry `source="rule:<id>"` and the rule's sentence, so an
explanation can say "allows pets, because you're travelling with a dog" and a
relaxation can offer to waive the rule rather than a constraint the traveller
never typed.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .knowledge import Rule
from .query import Constraint, Query


class _Blank(dict[str, Any]):
    """Formats unknown placeholders as nothing rather than raising KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


def derive(rules: list[Rule], context: Mapping[str, Any]) -> list[Constraint]:
    """The constraints the rules add for this context, in rule order."""
    derived: list[Constraint] = []
    for rule in rules:
        if not rule.when.evaluate(context):
            continue
        for template in rule.then:
            value = template.value.evaluate(context)
            if value is None:
                continue
            value = _hashable(value)
            reason = rule.reason.format_map(_Blank({**context, "value": _show(value)}))
            derived.append(Constraint(
                template.attribute, template.op, value, template.strength, template.weight,
                source=f"rule:{rule.id}", reason=reason,
            ))
    return derived


def expand(query: Query, rules: list[Rule]) -> Query:
    """The query plus its derived constraints.

    The traveller's own constraint wins over an identical derived one; a hard
    rule upgrades the traveller's soft wish to a requirement; a constraint the
    traveller waived is not added back.
    """
    constraints = list(query.constraints)
    by_key = {c.key: i for i, c in enumerate(constraints)}
    for extra in derive(rules, query.context):
        if extra.waiver in query.waived:
            continue
        position = by_key.get(extra.key)
        if position is None:
            by_key[extra.key] = len(constraints)
            constraints.append(extra)
        elif extra.is_hard and not constraints[position].is_hard:
            constraints[position] = extra
    return replace(query, constraints=tuple(constraints))


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
