"""rules.yml: what travellers say about themselves, and the constraints that follow from it."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .expressions import Expression, ExpressionError, compile_expression
from .knowledge_model import Amenity, ContextKey, DerivedConstraint, PropertyType, RoomType, Rule
from .knowledge_reader import Reader, top_level
from .query import ATTRIBUTE_OPS, HARD, SOFT

CONTEXT_TYPES = {"bool", "count", "choice"}
_BUILT_IN_CONTEXT = {"guests", "nights"}


def load_rules(
    path: Path,
    amenities: Mapping[str, Amenity],
    types: Mapping[str, PropertyType],
    room_types: Mapping[str, RoomType],
) -> tuple[dict[str, ContextKey], list[Rule]]:
    document, raw_rules = top_level(path, "rules")
    context: dict[str, ContextKey] = {}
    for node in document.get("context") or []:
        r = Reader(path, node, "context")
        key = r.get("key", str, non_empty=True)
        r.what = f"context '{key}'"
        kind = r.get("type", str)
        if kind not in CONTEXT_TYPES:
            raise r.fail(f"type must be one of {sorted(CONTEXT_TYPES)}")
        choices = {str(k): tuple(str(p) for p in v) for k, v in (r.get("choices", dict, {})).items()}
        if kind == "choice" and not choices:
            raise r.fail("a choice needs 'choices'")
        if kind != "choice" and not r.strings("phrases"):
            raise r.fail("needs 'phrases' that say it")
        context[key] = ContextKey(key, kind, r.get("label", str, key), r.strings("phrases"), choices)
    known_names = set(context) | _BUILT_IN_CONTEXT
    rules: list[Rule] = []
    seen: set[str] = set()
    for node in raw_rules or []:
        r = Reader(path, node, "rule")
        rule_id = r.get("id", str, non_empty=True)
        r.what = f"rule '{rule_id}'"
        if rule_id in seen:
            raise r.fail("duplicate id")
        seen.add(rule_id)
        when = _expression(r, r.get("when", (str, bool, int)), known_names)
        derived = []
        for item in r.get("then", list, non_empty=True):
            d = Reader(path, item, f"rule '{rule_id}' then")
            attribute, op = d.get("attribute", str), d.get("op", str)
            if attribute not in ATTRIBUTE_OPS or op not in ATTRIBUTE_OPS[attribute]:
                raise d.fail(f"'{attribute} {op}' is not a constraint the engine knows")
            strength = d.get("strength", str, HARD)
            if strength not in (HARD, SOFT):
                raise d.fail("strength must be hard or soft")
            value = _value_expression(d, d.get("value", (str, int, float, list)), known_names)
            _check_literal_value(d, attribute, value, amenities, types, room_types)
            derived.append(DerivedConstraint(attribute, op, value, strength, d.number("weight", 1.0, low=0)))
        rules.append(Rule(rule_id, when, tuple(derived), r.get("reason", str, non_empty=True)))
    return context, rules


def _expression(r: Reader, source: Any, known: set[str]) -> Expression:
    try:
        expression = compile_expression(source)
    except ExpressionError as exc:
        raise r.fail(str(exc)) from None
    unknown = expression.names - known
    if unknown:
        raise r.fail(f"unknown context {sorted(unknown)} in '{expression.source}' (known: {sorted(known)})")
    return expression


def _value_expression(r: Reader, source: Any, known: set[str]) -> Expression:
    """A derived value: a literal id or list of ids, a number, or an expression."""
    if isinstance(source, list):
        return compile_expression(repr([str(item) for item in source]))
    if isinstance(source, str) and source.isidentifier() and source not in known:
        return compile_expression(repr(source))
    return _expression(r, source, known)


def _check_literal_value(
    r: Reader,
    attribute: str,
    value: Expression,
    amenities: Mapping[str, Amenity],
    types: Mapping[str, PropertyType],
    room_types: Mapping[str, RoomType],
) -> None:
    if value.names:
        return
    literal = value.evaluate({})
    vocabulary = {"amenities": amenities, "property_type": types, "room_type": room_types}.get(attribute)
    if vocabulary is None:
        return
    for item in literal if isinstance(literal, list) else [literal]:
        if item not in vocabulary:
            raise r.fail(f"unknown {attribute} '{item}'")
