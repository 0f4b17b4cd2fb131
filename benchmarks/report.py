"""Writing one script's section of BENCHMARKS.md, and nothing else.

Each benchmark script owns the text between its own pair of HTML-comment
markers; everything outside them (other scripts' sections, notes by people)
is kept as it is. Written to a temporary file first, so a crash never leaves
half a report.
"""
from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, start_mark: str, end_mark: str, body: str) -> None:
    """Put `body` between the markers; add the block at the end (or create the file) if they are missing."""
    block = f"{start_mark}\n{body.strip()}\n{end_mark}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        start = text.find(start_mark)
        end = text.find(end_mark, start + len(start_mark)) if start >= 0 else -1
        if start >= 0 and end >= 0:
            text = text[:start] + block + text[end + len(end_mark):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        text = "# Benchmarks\n\n" + block + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
