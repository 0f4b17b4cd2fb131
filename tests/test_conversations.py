"""Scripted conversations (tests/conversations/*.yml) replayed against the running bot.

Rasa's test stories do not run custom actions, so they cannot check what the
bot actually recommends; these replay real conversations over the REST
channel and assert on the bot's text, buttons, slots and recommendations
(format: docs/conversation-tests.md). One test per script, named after the
file. A script with `xfail: <reason>` documents a known bot bug: it is
reported as xfailed with that reason while it fails, and as XPASS once the
bot is fixed.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conversations.runner import Replayer, ScriptError, load_engine, load_script, script_paths

SCRIPTS = script_paths()


def _param(path: Path):
    """The script as a parameter, marked xfail (non-strict) when it says so."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        reason = data.get("xfail") if isinstance(data, dict) else None
    except (OSError, yaml.YAMLError):
        reason = None  # load_script reports the problem in the test itself
    marks = [pytest.mark.xfail(reason=str(reason), strict=False, raises=AssertionError)] if reason else []
    return pytest.param(path, marks=marks, id=path.stem)


@pytest.fixture(scope="session")
def conversation_engine():
    """The engine over the bot's own knowledge and catalog, to check recommendations."""
    return load_engine()


def test_there_are_scripts():
    assert len(SCRIPTS) >= 32, f"expected at least 32 conversation scripts, found {len(SCRIPTS)}"


@pytest.mark.parametrize("path", [p for p in SCRIPTS], ids=[p.stem for p in SCRIPTS])
def test_scripts_are_valid(path: Path):
    try:
        load_script(path)
    except ScriptError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.mark.server
@pytest.mark.parametrize("path", [_param(p) for p in SCRIPTS])
def test_conversation(path: Path, rest, conversation_engine):
    script = load_script(path)
    outcome = Replayer(rest, conversation_engine).run(script, sender=rest.new_sender(f"conv-{path.stem[:30]}"))
    outcome.raise_for_failure()
