"""`stays`: the support staff's command line onto the same engine the chat uses.

Every subcommand takes `--catalog` and `--json`; with `--json` stdout holds one
JSON document and nothing else. Problems with the input are one line on stderr
and a non-zero exit status (2 for a bad argument or unknown value, 1 for a
catalog or knowledge base that cannot be used), never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from ..errors import CatalogError, InvalidValueError, KnowledgeError, UnknownValueError
from . import analyze, check, import_airbnb, listing, search, show
from .common import OneLineParser, fail

COMMANDS = (search, show, listing, check, import_airbnb, analyze)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="stays", description="Search and inspect the vacation-rental catalog.")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UnknownValueError as exc:
        return fail(str(exc), 2)
    except InvalidValueError as exc:
        return fail(str(exc), 2)
    except (CatalogError, KnowledgeError) as exc:
        return fail(str(exc), 1)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
