"""The rule language: safe to load from data files, forgiving about missing context."""
from __future__ import annotations

import pytest

from constraints.expressions import ExpressionError, compile_expression


def evaluate(source, **context):
    return compile_expression(source).evaluate(context)


@pytest.mark.parametrize("source", [
    "__import__('os')",
    "__import__('os').system('echo pwned')",
    "open('/etc/passwd')",
    "eval('1')",
    "guests.real",
    "().__class__.__bases__",
    "(lambda: 1)()",
    "lambda x: x",
    "[x for x in (1, 2)]",
    "{'a': 1}['a']",
    "guests if pets else 0",
    "f'{guests}'",
    "(guests := 3)",
])
def test_unsafe_or_unknown_constructs_are_rejected(source):
    with pytest.raises(ExpressionError):
        compile_expression(source)


def test_syntax_errors_are_expression_errors():
    with pytest.raises(ExpressionError, match="cannot parse"):
        compile_expression("guests >")


def test_names_are_the_context_keys_read():
    expression = compile_expression("pets and guests > 6 or ceil(nights / 2) > 1")
    assert expression.names == {"pets", "guests", "nights"}
    assert compile_expression("True").names == frozenset()


@pytest.mark.parametrize("source", ["guests > 6", "guests >= 6", "guests < 6", "guests == 6", "guests != 6",
                                    "6 < guests", "1 < guests < 10"])
def test_a_comparison_with_a_missing_value_is_false(source):
    assert evaluate(source) is False
    assert evaluate(source, guests=None) is False


def test_not_of_a_missing_comparison_is_true_and_missing_flags_are_falsy():
    assert evaluate("not guests > 6") is True
    assert not evaluate("pets")
    assert evaluate("pets", pets=True)


def test_arithmetic_with_a_missing_value_is_missing():
    assert evaluate("guests + 1") is None
    assert evaluate("ceil(guests / 2)") is None
    assert evaluate("ceil(guests / 2) >= 2") is False


def test_comparing_unlike_types_is_false_not_an_error():
    assert evaluate("purpose > 3", purpose="work") is False


@pytest.mark.parametrize("guests, bedrooms", [(7, 4), (8, 4), (9, 5), (16, 8), (1, 1)])
def test_ceil_rounds_up(guests, bedrooms):
    assert evaluate("ceil(guests / 2)", guests=guests) == bedrooms


def test_floor_min_max_and_membership():
    assert evaluate("floor(7 / 2)") == 3
    assert evaluate("min(guests, 4)", guests=9) == 4
    assert evaluate("max(guests, 4)", guests=9) == 9
    assert evaluate("purpose in ['work', 'study']", purpose="work") is True
    assert evaluate("purpose not in ['work']", purpose="holiday") is True
    assert evaluate("purpose in ['work']") is False


def test_boolean_logic():
    assert evaluate("pets and guests > 2", pets=True, guests=3) is True
    assert evaluate("pets and guests > 2", pets=False, guests=3) is False
    assert evaluate("pets or guests > 2", pets=False, guests=3) is True
    assert evaluate("-guests", guests=2) == -2


def test_literal_sources():
    assert evaluate(True) is True
    assert evaluate(False) is False
    assert evaluate(4) == 4
    assert evaluate("'pets_allowed'") == "pets_allowed"
