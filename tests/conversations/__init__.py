"""Scripted conversations replayed against the running assistant (see docs/conversation-tests.md).

`runner.py` loads, validates and replays one YAML script over the REST channel
and checks what the bot says and recommends; `replay.py` is the command-line
front end for support staff (`make converse FILE=...`); `tests/test_conversations.py`
runs every script as one pytest test.
"""
