"""A tiny, safe expression language for the rules in `rules.yml`.

Rules are data written by domain experts, so they must not run arbitrary Python.
Expressions are parsed once with `ast` and only a whitelist of node types is
allowed; evaluation happens against the traveller's context on every query.
"""
from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "ceil": math.ceil,
    "floor": math.floor,
    "min": min,
    "max": max,
}
_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


class ExpressionError(ValueError):
    """The expression uses something the rule language does not allow."""


@dataclass(frozen=True)
class Expression:
    """A parsed expression; `names` lists the context keys it reads."""

    source: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        return _Evaluator(context).visit(self.tree.body)


def compile_expression(source: str | int | float | bool) -> Expression:
    """Parse and check an expression; raises ExpressionError naming the problem."""
    text = str(source).strip()
    if isinstance(source, bool):
        text = "True" if source else "False"
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse '{text}': {exc.msg}") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in _FUNCTIONS:
            names.add(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
                raise ExpressionError(f"'{text}': only {', '.join(_FUNCTIONS)} may be called")
        elif not isinstance(node, _ALLOWED):
            raise ExpressionError(f"'{text}': {type(node).__name__} is not allowed in rules")
    names -= {"True", "False", "None"}
    return Expression(text, tree, frozenset(names))


_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
    ast.BinOp, ast.Compare, ast.Name, ast.Load, ast.Constant, ast.Call,
    ast.List, ast.Tuple, ast.In, ast.NotIn, *(_BINARY), *(_COMPARE),
)


class _Evaluator:
    """Walks the whitelisted tree; a comparison involving None is simply false."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.id]
            return self.context.get(node.id)
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.visit(element) for element in node.elts]
        if isinstance(node, ast.BoolOp):
            values = (self.visit(value) for value in node.values)
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            return None if operand is None else -operand
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            if left is None or right is None:
                return None
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):  # the checks allow no other call
            args = [self.visit(arg) for arg in node.args]
            if any(arg is None for arg in args):
                return None
            return _FUNCTIONS[node.func.id](*args)
        raise ExpressionError(f"unsupported node {type(node).__name__}")

    def _compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comparator)
            if isinstance(op, (ast.In, ast.NotIn)):
                found = right is not None and left in right
                ok = found if isinstance(op, ast.In) else not found
            elif left is None or right is None:
                return False
            else:
                try:
                    ok = _COMPARE[type(op)](left, right)
                except TypeError:
                    return False
            if not ok:
                return False
            left = right
        return True
