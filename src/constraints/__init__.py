"""The knowledge-based recommender engine: constraints in, explained places out.

No Rasa import anywhere in this package: the chat's action server, the `stays`
CLI, the tests and the benchmark all use it as plain Python.
"""
from .engine import Engine, WhyNot
from .errors import CatalogError, InvalidValueError, KnowledgeError, StaysError, UnknownValueError
from .knowledge import Knowledge, load_knowledge
from .query import HARD, SOFT, Constraint, Query, StayDates, build_query
from .results import Result, SearchResult

__all__ = [
    "CatalogError", "Constraint", "Engine", "HARD", "InvalidValueError", "Knowledge", "KnowledgeError",
    "Query", "Result", "SOFT", "SearchResult", "StayDates", "StaysError", "UnknownValueError", "WhyNot",
    "build_query", "load_knowledge",
]
