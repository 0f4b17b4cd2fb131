"""Text folding shared by the knowledge loader, the normaliser and the importer.

Every comparison of free text against the knowledge base goes through `fold`, so
"Zürich", "zurich" and "ZURICH!" are the same key everywhere.
"""
from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def counted(number: float, noun: str, plural: str | None = None) -> str:
    """'1 place', '2 places', '1,234 places', '1.5 bathrooms': every count reads one way, everywhere."""
    amount = f"{number:,.0f}" if float(number).is_integer() else f"{number:,g}"
    return f"{amount} {noun if number == 1 else (plural or noun + 's')}"


_WORD = re.compile(r"[^\W\d_][^\s/-]*")


def tidy_case(text: str) -> str:
    """'THIRD WARD' -> 'Third Ward': names shouted in capitals read as names; mixed case is kept."""
    text = str(text)
    if not any(ch.isalpha() for ch in text) or text != text.upper():
        return text
    return _WORD.sub(lambda m: m.group(0).capitalize(), text.lower())


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse punctuation to single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", without_marks.lower()).strip()
