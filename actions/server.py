"""Start the action server after the engine has loaded, or refuse with the reason.

`rasa run actions` would import the actions lazily and only fail on the first
message; loading first means a corrupted catalog stops the start with one clear
line, and the first traveller does not pay for the load.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from constraints.errors import StaysError

from . import engine_holder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The rasa-sdk action server of the stays assistant.")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    started = time.perf_counter()
    try:
        loaded = engine_holder.load_engine_strict()
    except StaysError as error:
        print(f"action server: {error}", file=sys.stderr)
        return 1
    engine_holder.use_engine(loaded)
    logging.getLogger(__name__).info(
        "Engine ready: %d properties from %s in %.1f s", loaded.catalog.size, loaded.catalog.source,
        time.perf_counter() - started,
    )
    from rasa_sdk.endpoint import run

    os.environ["SANIC_HOST"] = args.host  # rasa-sdk reads the bind address from here
    # Rasa's HTTP client keeps connections for 15 s; with Sanic's 5 s default the server
    # closes some of them just as Rasa reuses them ("Cannot write to closing transport")
    # and, under load, travellers get the apology. The server must hold them longer.
    os.environ.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", "75")
    run("actions", port=args.port, cors_origins=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
