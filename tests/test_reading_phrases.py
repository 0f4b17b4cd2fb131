"""The phrase tables (knowledge/phrases/*.yml): checked like every knowledge file,
compiled once, and a new phrase is one line in one file."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from constraints.errors import KnowledgeError
from constraints.knowledge import DEFAULT_DIRECTORY
from constraints.phrases import SCHEMA, load_phrases

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def phrases_copy(tmp_path: Path) -> Path:
    """A writable knowledge directory with the shipped engine.yml and phrase tables."""
    shutil.copy(DEFAULT_DIRECTORY / "engine.yml", tmp_path / "engine.yml")
    shutil.copytree(DEFAULT_DIRECTORY / "phrases", tmp_path / "phrases")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip() == text)


def test_the_shipped_tables_load_and_hold_every_table() -> None:
    phrases = load_phrases(DEFAULT_DIRECTORY)
    assert {file for file, _ in phrases.tables} == set(SCHEMA)
    assert phrases.currencies["quid"] == "GBP" and phrases.currencies["bucks"] == "USD"


def test_currency_names_and_symbols_come_from_cldr() -> None:
    currencies = load_phrases(DEFAULT_DIRECTORY).currencies
    assert currencies["australian dollars"] == "AUD" and currencies["a$"] == "AUD"
    assert currencies["swiss francs"] == "CHF" and currencies["€"] == "EUR"
    assert "r" not in currencies  # CLDR's letter-only symbols are left out: "we r 4"


@pytest.mark.parametrize("file, old, new, message", [
    ("currencies.yml", "  quid: GBP", "  Quid: GBP", "'Quid' must be lower case"),
    ("currencies.yml", "  quid: GBP", "  quid: QQQ", "not an ISO 4217 code"),
    ("people.yml", "  - ladies\n", "  - ladies\n  - ladies\n", "'ladies' is listed twice"),
    ("calendar.yml", "  march: 3", "  march: 13", "must be a whole number from 1 to 12"),
    ("negation.yml", '  - "no"', "  - no", "quote them"),
    ("units.yml", "  - sqm", "  - sqm ", None),  # YAML strips it: not an error
    ("prices.yml", "  - upto", "  - up  to", "stray spaces"),
])
def test_a_bad_phrase_is_reported_with_its_file_and_line(phrases_copy: Path, file: str, old: str, new: str,
                                                          message: str | None) -> None:
    path = phrases_copy / "phrases" / file
    edit(path, old, new)
    if message is None:
        load_phrases(phrases_copy)
        return
    with pytest.raises(KnowledgeError) as error:
        load_phrases(phrases_copy)
    assert message in str(error.value)
    assert error.value.path == path
    assert error.value.line == line_of(path, new.splitlines()[-1].strip())


def test_an_unknown_table_or_file_is_a_typo(phrases_copy: Path) -> None:
    path = phrases_copy / "phrases" / "people.yml"
    edit(path, "adults:", "adultz:")
    with pytest.raises(KnowledgeError, match="unknown table 'adultz'"):
        load_phrases(phrases_copy)
    edit(path, "adultz:", "adults:")
    (phrases_copy / "phrases" / "slang.yml").write_text("words: [yolo]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown phrase file"):
        load_phrases(phrases_copy)


def test_weekday_abbreviations_must_be_weekdays(phrases_copy: Path) -> None:
    edit(phrases_copy / "phrases" / "calendar.yml", "  - fri\n", "  - fri\n  - frid\n")
    with pytest.raises(KnowledgeError, match="frid not in 'weekdays'"):
        load_phrases(phrases_copy)


def test_stays_check_reports_a_bad_phrase_table(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_DIRECTORY, tmp_path / "knowledge")
    path = tmp_path / "knowledge" / "phrases" / "people.yml"
    edit(path, "  - ladies", "  - Ladies")
    stays = Path(sys.executable).with_name("stays")
    done = subprocess.run([str(stays), "check", "--knowledge", str(tmp_path / "knowledge")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert f"people.yml:{line_of(path, '- Ladies')}: adults: 'Ladies' must be lower case" in done.stderr + done.stdout


def test_a_new_phrase_is_one_line_in_one_file(phrases_copy: Path) -> None:
    """"smackers" is slang for dollars: one line in currencies.yml, and every field knows it."""
    code = ("from actions.reading import parse_budget, parse_guests; "
            "b = parse_budget('under 90 smackers a night'); "
            "print(b.maximum, b.currency, parse_guests('for 90 smackers'))")
    env = {**os.environ, "STAYS_KNOWLEDGE": str(phrases_copy)}
    before = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert before.stdout.split()[:2] != ["90.0", "USD"]
    edit(phrases_copy / "phrases" / "currencies.yml", "  bucks: USD\n", "  bucks: USD\n  smackers: USD\n")
    after = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
    assert after.stdout.split() == ["90.0", "USD", "None"], after.stderr  # money, and so not a head count
