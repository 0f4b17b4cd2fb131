"""A real imported city served to the chat: `make run CATALOG=...` with no other step.

The module imports the real Albany listings (US dollars) from ../shared, starts
its own action and Rasa servers with STAYS_CATALOG pointing at the result (the
model is the one `make train` built: no retraining for an imported city), and
replays the scripts of tests/conversations/imported/ against it, checked
against the imported catalog. Skipped, visibly, when ../shared is absent.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conversations.runner import Replayer, load_script, script_paths
from tests.live import RestClient, own_assistant, wait_or_fail

pytestmark = [pytest.mark.server, pytest.mark.slow]

IMPORTED = Path(__file__).resolve().parent / "conversations" / "imported"
SCRIPTS = script_paths(IMPORTED)


@pytest.fixture(scope="module")
def albany(tmp_path_factory) -> Path:
    import real_data
    from test_airbnb_import import SHARED_DATA

    from constraints import load_knowledge
    from constraints.airbnb import import_airbnb

    listings = SHARED_DATA / "listings" / "albany.csv.gz"
    if not listings.exists():
        real_data.skip("imported city chat", f"real Inside Airbnb data not found at {listings}")
    out = tmp_path_factory.mktemp("albany") / "albany.csv"
    import_airbnb(listings, "Albany", out, load_knowledge(), currency="USD")
    real_data.ran("imported city chat", ["Albany"])
    return out


@pytest.fixture(scope="module")
def albany_bot(albany: Path, tmp_path_factory) -> Iterator[RestClient]:
    from conftest import TEST_TODAY

    workdir = tmp_path_factory.mktemp("albany-bot")
    with own_assistant(workdir, {"STAYS_CATALOG": str(albany), "STAYS_TODAY": TEST_TODAY}) as services:
        wait_or_fail(services, "the assistant serving Albany")
        yield RestClient(services)


def test_there_is_an_imported_city_script() -> None:
    assert SCRIPTS, f"no scripts in {IMPORTED}"


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_imported_city_conversation(path: Path, albany: Path, albany_bot: RestClient) -> None:
    from constraints import Engine

    engine = Engine.load(None, albany)
    script = load_script(path)
    outcome = Replayer(albany_bot, engine).run(script, sender=albany_bot.new_sender(f"albany-{path.stem[:20]}"))
    outcome.raise_for_failure()
