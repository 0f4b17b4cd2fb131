"""Scale-out with Rasa's own mechanism: two Rasa servers share PostgreSQL and Redis.

The module starts a throwaway PostgreSQL cluster (Debian's `postgresql`: initdb
and pg_ctl from /usr/lib/postgresql/*/bin, as the `postgres` user when run as
root) and a `redis-server`, both on free loopback ports, then two Rasa servers
with rasa_project/endpoints.scale.yml (Rasa A -> action server A, Rasa B ->
action server B). It skips, with the reason, only when those binaries are
absent (`.ci/run` installs them).

- One conversation alternates A, B, A, B...: a search on A, "cheaper" on B,
  "show more" on A, details on B, a change on A, another on B. After every turn
  the slots (read from either server) reflect every earlier turn.
- Two messages for the same sender sent to A and then, 0.25 s later, to B are
  both processed one after the other (the Redis lock store) and both are in the
  tracker. Sent at the same instant, both must be answered, both recorded, one
  answered before the other began: Rasa OSS 3.6's own RedisLockStore does not
  guarantee that (its tickets are a non-atomic get/modify/save, RasaHQ/rasa PR
  #3933, issue #9213), so endpoints.scale.yml uses addons/redis_ticket_lock.py,
  whose tickets are issued and taken atomically (tests/test_redis_ticket_lock.py).

Everything is torn down in `finally`, even when a test fails.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scripts.services import free_ports
from tests.live import Reply, RestClient, log_tails

pytestmark = [pytest.mark.server, pytest.mark.slow]

START_SECONDS = 600  # two Rasa servers loading the model at once on a busy 2-core machine
DB_NAME, DB_USER = "stays_tracker", "stays"
RESULT_LINE_MARK = " a night"


# --- PostgreSQL and Redis on loopback ---------------------------------------------------------

def postgres_bin() -> Path | None:
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]),
                            reverse=True):
        if os.access(f"{directory}/initdb", os.X_OK) and os.access(f"{directory}/pg_ctl", os.X_OK):
            return Path(directory)
    return None


class Postgres:
    """A PostgreSQL cluster in a temporary directory, owned by a non-root user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_ports(1)[0]
        self.password = os.urandom(9).hex()
        self.root = Path(tempfile.mkdtemp(prefix="stays-pg-"))  # not pytest's 0700 tmp: postgres must enter
        self.data = self.root / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no 'postgres' user to own the cluster")
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root without `runuser` to start PostgreSQL as 'postgres'")
            self.prefix = [runuser, "-u", "postgres", "--"]
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.root.chmod(0o700)

    def _run(self, *command: str, timeout: float = 180) -> None:
        result = subprocess.run(self.prefix + list(command), capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        password_file = self.root / "password"
        password_file.write_text(self.password)
        if self.prefix:
            user = pwd.getpwnam("postgres")
            os.chown(password_file, user.pw_uid, user.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", DB_USER, f"--pwfile={password_file}",
                  "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-w", "-t", "120", "-o", options, "start")
        connection = self.connect("postgres", autocommit=True)
        try:
            connection.cursor().execute(f"CREATE DATABASE {DB_NAME}")
        finally:
            connection.close()

    def connect(self, db: str = DB_NAME, autocommit: bool = False) -> Any:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=DB_USER, password=self.password,
                                      dbname=db, connect_timeout=10)
        connection.autocommit = autocommit
        return connection

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class Redis:
    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_ports(1)[0]
        self.root = Path(tempfile.mkdtemp(prefix="stays-redis-"))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root), "--daemonize", "no", "--protected-mode", "yes"],
            stdout=open(self.root / "redis.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
        import redis

        deadline = time.monotonic() + 60
        while True:
            try:
                if redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2).ping():
                    return
            except redis.exceptions.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{(self.root / 'redis.log').read_text()}")
            time.sleep(0.2)

    def client(self) -> Any:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def stop(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=5)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Cluster:
    postgres: Postgres
    redis: Redis
    a: RestClient
    b: RestClient


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                    "(apt-get install postgresql; .ci/run installs it)")
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        pytest.skip("redis-server not found (apt-get install redis-server; .ci/run installs it)")
    from scripts.services import RASA_DIR, Ports, Services

    workdir = tmp_path_factory.mktemp("scale-out")
    postgres, redis_db, servers = Postgres(bin_dir), Redis(redis_server), []
    try:
        postgres.start()
        redis_db.start()
        shared = {
            "RASA_DB_HOST": "127.0.0.1", "RASA_DB_PORT": str(postgres.port), "RASA_DB_NAME": DB_NAME,
            "RASA_DB_USER": DB_USER, "RASA_DB_PASSWORD": postgres.password,
            "RASA_REDIS_HOST": "127.0.0.1", "RASA_REDIS_PORT": str(redis_db.port), "RASA_REDIS_DB": "0",
            "STAYS_TODAY": "2026-11-28",
        }
        token = os.urandom(12).hex()
        for name in ("a", "b"):
            actions, rasa, web = free_ports(3)
            servers.append(Services(Ports(actions, rasa, web), token=token, endpoints=RASA_DIR / "endpoints.scale.yml",
                                    tracker_db=workdir / f"unused-{name}.db", log_dir=workdir / f"logs-{name}",
                                    extra_env=dict(shared), web=False))
        for services in servers:  # start all four, then wait: the two model loads overlap
            services.start_actions()
            services.start_rasa()
        try:
            for services in servers:
                services.wait_ready(START_SECONDS)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"could not start the scale-out servers: {error}\n{log_tails(*servers)}")
        yield Cluster(postgres, redis_db, RestClient(servers[0], timeout=90), RestClient(servers[1], timeout=90))
    finally:
        for services in servers:
            services.stop()
        redis_db.stop()
        postgres.stop()


# --- helpers ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog_engine():
    from constraints import Engine

    return Engine.load()


def price(engine, pid: str) -> float:
    return engine.show(pid)["price_per_night"]


def assert_picks(engine, ids: list[str], *, guests: int, max_price: float, what: str) -> None:
    assert ids, f"{what}: no picks"
    for pid in ids:
        record = engine.show(pid)
        assert record["location"] == "Lisbon", f"{what}: {pid} is in {record['location']}"
        assert record["accommodates"] >= guests, f"{what}: {pid} sleeps {record['accommodates']} < {guests}"
        assert record["price_per_night"] <= max_price, f"{what}: {pid} costs {record['price_per_night']} > {max_price}"
        assert "wifi" in record["amenities"], f"{what}: {pid} has no wifi"


def say(client: RestClient, sender: str, text: str) -> Reply:
    reply = client.say(sender, text)
    assert reply.status == 200, f"{text!r} on {client.services.rasa_url}: HTTP {reply.status}"
    assert reply.messages, f"{text!r} on {client.services.rasa_url}: no reply"
    for bad in ("isn't answering", "something went wrong"):
        assert bad not in reply.text, f"{text!r} on {client.services.rasa_url}: {reply.text[:300]}"
    return reply


def same_slots(cluster: Cluster, sender: str) -> dict[str, Any]:
    """The slots as both servers read them from the shared store (they must agree)."""
    a, b = cluster.a.slots(sender), cluster.b.slots(sender)
    assert a == b, f"servers disagree on the slots:\nA: {a}\nB: {b}"
    return a


# --- tests ---------------------------------------------------------------------------------------

def test_conversation_alternating_between_servers(cluster: Cluster, catalog_engine):
    engine, sender = catalog_engine, RestClient.new_sender("scale-alt")

    reply = say(cluster.a, sender, "a place in Lisbon for 2 under 200 a night with wifi")  # A: search
    slots = same_slots(cluster, sender)
    assert (slots["location"], slots["guests"], slots["budget"], slots["amenities"]) == ("Lisbon", 2, 200, ["wifi"])
    first = slots["shown"]
    assert_picks(engine, first, guests=2, max_price=200, what="search on A")
    assert RESULT_LINE_MARK in reply.text

    say(cluster.b, sender, "cheaper")  # B: critique of what A showed
    slots = same_slots(cluster, sender)
    cap = price(engine, first[0])
    assert slots["budget"] < cap, f"'cheaper' on B ignored A's first pick (€{cap:g}): budget {slots['budget']}"
    assert (slots["location"], slots["guests"], slots["amenities"]) == ("Lisbon", 2, ["wifi"])
    cheaper = slots["shown"]
    assert first[0] not in cheaper
    assert_picks(engine, cheaper, guests=2, max_price=slots["budget"], what="'cheaper' on B")
    budget = slots["budget"]

    say(cluster.a, sender, "show more")  # A: the next page of B's results
    slots = same_slots(cluster, sender)
    assert slots["budget"] == budget and slots["guests"] == 2 and slots["location"] == "Lisbon"
    more = slots["shown"]
    assert more and not set(more) & set(cheaper), f"'show more' on A repeated B's page: {cheaper} -> {more}"
    assert_picks(engine, more, guests=2, max_price=budget, what="'show more' on A")

    reply = say(cluster.b, sender, "details 2")  # B: details of the page A showed
    title = engine.show(more[1])["title"]
    assert title in reply.text, f"'details 2' on B does not describe {more[1]} ({title!r}): {reply.text[:300]!r}"
    slots = same_slots(cluster, sender)
    assert slots["shown"] == more and slots["budget"] == budget

    say(cluster.a, sender, "actually 4 people")  # A: a change
    slots = same_slots(cluster, sender)
    assert (slots["location"], slots["guests"], slots["budget"]) == ("Lisbon", 4, budget), slots
    if slots["shown"] != more:  # with so low a budget there may be nothing, and the old picks stay
        assert_picks(engine, slots["shown"], guests=4, max_price=budget, what="'actually 4 people' on A")

    say(cluster.b, sender, "under 300")  # B: another change, on top of A's
    slots = same_slots(cluster, sender)
    assert (slots["location"], slots["guests"], slots["budget"]) == ("Lisbon", 4, 300), slots
    assert_picks(engine, slots["shown"], guests=4, max_price=300, what="'under 300' on B")


def send_pair(cluster: Cluster, sender: str, texts: dict[str, str],
              stagger: float) -> tuple[dict[str, Reply], list[dict]]:
    """Send texts["a"] to A and texts["b"] to B, B `stagger` seconds after A; (replies, new tracker events)."""
    start = len(cluster.a.tracker(sender)["events"])
    replies: dict[str, Reply] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def send(name: str, client: RestClient, delay: float) -> None:
        try:
            barrier.wait(timeout=30)
            if delay:
                time.sleep(delay)
            replies[name] = client.say(sender, texts[name])
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=send, args=("a", cluster.a, 0.0)),
               threading.Thread(target=send, args=("b", cluster.b, stagger))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    for name in ("a", "b"):
        reply = replies.get(name)
        assert reply is not None and reply.status == 200 and reply.messages, f"{texts[name]!r} on {name}: {reply}"
        assert "isn't answering" not in reply.text and "something went wrong" not in reply.text, reply.text
    return replies, cluster.b.tracker(sender)["events"][start:]


def pair_problem(events: list[dict], texts: dict[str, str]) -> str | None:
    """None when both messages are in the tracker, one answered before the other began; else what is wrong."""
    users = [(k, e["text"]) for k, e in enumerate(events) if e["event"] == "user"]
    if sorted(t for _, t in users) != sorted(texts.values()):
        return f"lost: user messages in the tracker {[t for _, t in users]}, sent {sorted(texts.values())}"
    (first, _), (second, _) = users
    if "bot" not in [e["event"] for e in events[first + 1:second]]:
        return "interleaved: the second message started before the first was answered"
    if not any(e["event"] == "bot" for e in events[second + 1:]):
        return "the second message has no answer in the tracker"
    return None


def test_near_simultaneous_messages_for_one_sender_are_serialised(cluster: Cluster):
    """A double click: B gets the second message 0.25 s after A got the first; the lock orders them."""
    sender = RestClient.new_sender("scale-lock")
    say(cluster.a, sender, "a place in Lisbon for 2 under 200 a night with wifi")
    for round_ in range(3):
        texts = {"a": "show more", "b": f"details {round_ + 1}"}
        _, events = send_pair(cluster, sender, texts, stagger=0.25)
        problem = pair_problem(events, texts)
        assert problem is None, f"round {round_ + 1}: {problem}: {[(e['event'], e.get('text')) for e in events]}"


def test_simultaneous_messages_for_one_sender_on_two_servers(cluster: Cluster):
    """Two messages at the same instant on A and B: both answered, both recorded, never interleaved."""
    sender = RestClient.new_sender("scale-race")
    say(cluster.a, sender, "a place in Lisbon for 2 under 200 a night with wifi")
    outcomes = []
    for round_ in range(5):
        texts = {"a": "show more", "b": f"details {round_ % 3 + 1}"}
        _, events = send_pair(cluster, sender, texts, stagger=0.0)
        outcomes.append(pair_problem(events, texts))
    failed = [(k + 1, p) for k, p in enumerate(outcomes) if p]
    assert not failed, f"{len(failed)} of {len(outcomes)} rounds: " + "; ".join(f"round {k}: {p}" for k, p in failed)
    slots = same_slots(cluster, sender)
    assert (slots["location"], slots["guests"], slots["budget"]) == ("Lisbon", 2, 200), slots


def test_state_is_in_postgres_and_locks_in_redis(cluster: Cluster):
    sender = RestClient.new_sender("scale-store")
    say(cluster.a, sender, "a place in Lisbon for 2 under 200 a night with wifi")
    say(cluster.b, sender, "cheaper")
    connection = cluster.postgres.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT type_name FROM events WHERE sender_id = %s", (sender,))
            types = [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()
    assert types.count("user") == 2, f"PostgreSQL holds {types.count('user')} user events for {sender}: {types}"
    stats = cluster.redis.client().info("stats")
    assert stats["total_commands_processed"] > 10, f"Redis saw no lock traffic: {stats}"
