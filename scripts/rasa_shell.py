"""`rasa shell`, except that the end of input (Ctrl-D, or the end of a piped script) ends the session.

Rasa 3.6's console channel lets prompt_toolkit's EOFError escape from the
input task, so the shell's server never stops and `make shell` hangs. The
console's own loop already ends on a None answer (it is what `/stop` leads
to), so end of input is turned into that; everything else is plain
`rasa shell` with the arguments given.
"""
from __future__ import annotations

import sys
from typing import Any

import rasa.core.channels.console as console
from rasa.__main__ import main as rasa_main

_ask = console._get_user_input


async def _ask_until_end_of_input(previous_response: Any) -> str | None:
    try:
        return await _ask(previous_response)
    except EOFError:
        return None


console._get_user_input = _ask_until_end_of_input

if __name__ == "__main__":
    sys.argv = ["rasa", "shell", *sys.argv[1:]]
    sys.exit(rasa_main())
