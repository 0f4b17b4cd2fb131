"""Shared fixtures: the small fixed knowledge base of tests/fixtures/knowledge and helpers.

Fixtures here stay generic (paths, a loaded knowledge base, an engine over the
fixture catalog, file writers); anything specific to one module lives in its
test file.
"""
from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURE_KNOWLEDGE = TESTS / "fixtures" / "knowledge"
FIXTURE_CATALOG = FIXTURE_KNOWLEDGE / "catalog.csv"

if str(TESTS) not in sys.path:  # lets test modules `import engine_oracle`
    sys.path.insert(0, str(TESTS))

from constraints import Engine, load_knowledge  # noqa: E402
from constraints.availability import load_calendar_beside  # noqa: E402
from constraints.catalog import load_catalog  # noqa: E402
from constraints.catalog_read import CONTRACT_COLUMNS  # noqa: E402


@pytest.fixture(scope="session")
def knowledge_dir() -> Path:
    return FIXTURE_KNOWLEDGE


@pytest.fixture(scope="session")
def catalog_path() -> Path:
    return FIXTURE_CATALOG


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(FIXTURE_KNOWLEDGE)


@pytest.fixture(scope="session")
def catalog(knowledge):
    return load_catalog(FIXTURE_CATALOG, knowledge)


@pytest.fixture(scope="session")
def catalog_calendar(knowledge, catalog):
    """The calendar beside the fixture catalog (None: it has none, every night is free)."""
    return load_calendar_beside(FIXTURE_CATALOG, catalog, knowledge)


@pytest.fixture(scope="session")
def engine(knowledge, catalog, catalog_calendar) -> Engine:
    return Engine(knowledge, catalog, catalog_calendar)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture knowledge base, to break one file at a time."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE, target)
    return target


@pytest.fixture(scope="session")
def fixture_rows() -> list[dict[str, str]]:
    """The fixture catalog's rows as the CSV holds them (strings)."""
    with open(FIXTURE_CATALOG, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_catalog(path: Path, rows: Iterable[Mapping[str, Any]], columns: Iterable[str] = CONTRACT_COLUMNS) -> Path:
    """Write rows as a catalog CSV with the contract's columns (missing values empty)."""
    columns = list(columns)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return path


@pytest.fixture
def catalog_writer(tmp_path: Path) -> Callable[..., Path]:
    """`catalog_writer(rows, name="catalog.csv")` writes a catalog into tmp_path."""
    def write(rows: Iterable[Mapping[str, Any]], name: str = "catalog.csv", **kwargs: Any) -> Path:
        return write_catalog(tmp_path / name, rows, **kwargs)
    return write


# --- the running assistant, for conversation, browser and reliability tests ------------

TEST_TODAY = "2026-11-28"  # scripted conversations resolve "next weekend" against this day


def _free_port(preferred: int) -> int:
    """The preferred port when it is free (so logs and docs match), else any free one."""
    import socket

    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory):
    """The action server, the Rasa server and the web page on ports of their own.

    Ports 5155/5105/8180 when free, others when a second session runs
    (read them from `assistant.ports`). Started once per session with a fresh tracker store and a pinned "today";
    stopped at the end even when tests fail. `make test` trains the model first.
    """
    from scripts.services import RASA_DIR, Ports, Services
    from tests.live import log_tails

    model = RASA_DIR / "models" / "stays.tar.gz"
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` (make test does it for you)")
    workdir = tmp_path_factory.mktemp("assistant")
    ports = Ports(actions=_free_port(5155), rasa=_free_port(5105), web=_free_port(8180))
    # every turn's folded past states are checked against Rasa's full replay (addons/past_states.py)
    services = Services(ports, tracker_db=workdir / "tracker.db", log_dir=workdir / "logs",
                        extra_env={"STAYS_TODAY": TEST_TODAY, "STAYS_CHECK_PAST_STATES": "1"})
    try:
        services.start(timeout=300)
    except (RuntimeError, TimeoutError) as error:
        services.stop()
        pytest.fail(f"could not start the assistant: {error}\n{log_tails(services)}")
    yield services
    services.stop()


@pytest.fixture(scope="session")
def rest(assistant):
    from tests.live import RestClient

    return RestClient(assistant)


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many real Inside Airbnb cities the real-data tests ran on (or why none), in every log."""
    from real_data import summary

    lines = summary()
    if lines:
        terminalreporter.section("real data")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def shipped_engine() -> Iterator[Engine]:
    """The shipped knowledge and catalog, installed as the action server's engine for one module's tests."""
    from actions import engine_holder

    engine = engine_holder.load_engine_strict()
    engine_holder.use_engine(engine)
    yield engine
    engine_holder.use_engine(None)


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Actions read dates against 2026-11-28, so scripted dates stay in the future."""
    monkeypatch.setenv("STAYS_TODAY", "2026-11-28")
