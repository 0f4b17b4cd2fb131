"""The chat page in a real headless Chromium, against the real servers.

The `assistant` fixture (tests/conftest.py) serves web/ on 8180 and runs Rasa on
5105; the page is pointed at that Rasa with `?server=`. Screenshots of every
step go to tests/artifacts/ (git-ignored) so a person can look at the page.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
RASA = "http://127.0.0.1:5105"
PAGE_URL = f"http://localhost:8180/index.html?server={RASA}"
OFFLINE = "Can't reach the assistant — retrying…"
REPLY_MS = 45_000  # one bot turn on a busy 2-core machine

# Nothing matches, and a repair is offered as a button. (With 10 guests every repair
# drops the place or the party size, which actions/offers.py deliberately never offers.)
NO_MATCH_SEARCH = "a villa in Paris for 4 people under 80 a night with a pool"
HOSTILE = "<img src=x onerror=alert(1)> <script>alert(2)</script> hello"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): `apt-get install chromium`; "
                    ".ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watched:
    """A page in a fresh context, with every dialog and page error recorded."""

    def __init__(self, browser, **context_args) -> None:
        self.context = browser.new_context(**context_args)
        self.context.set_default_timeout(REPLY_MS)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"web_chat_{name}.png"))  # what a person sees

    def open(self, url: str = PAGE_URL) -> None:
        self.page.goto(url)
        self.wait_connected()

    def wait_connected(self) -> None:
        # Connected and the session confirmed (session_confirm answered session_request).
        self.page.wait_for_function("() => document.body.dataset.connection === 'ready'")

    def send(self, text: str) -> None:
        self.page.fill("#message", text)
        self.page.press("#message", "Enter")

    def bot_messages(self) -> int:
        return self.page.locator("#log > li.msg-bot").count()

    def wait_more_bot_messages(self, than: int) -> None:
        self.page.wait_for_function(
            "n => document.querySelectorAll('#log > li.msg-bot').length > n", arg=than)

    def close(self) -> None:
        self.context.close()


def test_no_match_repair_cards_reload_and_continue(assistant, browser) -> None:
    chat = Watched(browser, viewport={"width": 1280, "height": 1000})
    page = chat.page
    try:
        chat.open()
        assert page.locator("#intro").is_visible()
        chat.shot("00_empty")

        # 1. A search nothing matches: the conflict in one sentence, and repairs as buttons.
        chat.send(NO_MATCH_SEARCH)
        page.locator("#log > li.msg-user").filter(has_text="villa in Paris").wait_for()
        repairs = page.locator("#log > li.msg-bot .replies button:enabled")
        repairs.first.wait_for()
        conflict = page.locator("#log > li.msg-bot").last.locator(".bubble").inner_text()
        assert "Nothing" in conflict or "nothing" in conflict, conflict
        assert "Paris" in conflict, conflict
        assert repairs.count() >= 1
        assert page.locator("#message").input_value() == ""
        chat.shot("01_no_match_repairs")

        # 2. A repair: property cards, each with a title, a price and why.
        repair_title = repairs.first.inner_text()
        repairs.first.click()
        page.locator("#log > li.msg-user .bubble").filter(has_text=repair_title).wait_for()
        cards = page.locator("#log > li.msg-cards").last.locator(".card")
        cards.first.wait_for()
        page.locator("#log > li.msg-bot .replies button:enabled").first.wait_for()  # "What next?"
        assert cards.count() >= 1
        for k in range(cards.count()):
            card = cards.nth(k)
            assert card.locator(".card-title").inner_text().strip()
            assert any(c.isdigit() for c in card.locator(".card-price").inner_text())
            assert card.locator(".card-why li").count() >= 1
            assert card.get_by_role("button", name="Details").count() == 1
        # the repair buttons of the earlier turn are now history, not actions
        assert page.locator("#log > li.msg-bot").first.locator(".replies button:enabled").count() == 0
        chat.shot("02_cards")

        before = page.locator("#log").inner_text()
        titles = cards.locator(".card-title").all_inner_texts()
        session = page.evaluate(f"() => localStorage.getItem({json.dumps('stays:' + RASA + ':session_id')})")
        assert session

        # 3. Reload: the whole conversation is drawn again, cards included, same session.
        page.reload()
        chat.wait_connected()
        assert page.locator("#log").inner_text() == before
        assert page.locator("#log > li.msg-cards").last.locator(".card-title").all_inner_texts() == titles
        assert page.evaluate(f"() => localStorage.getItem({json.dumps('stays:' + RASA + ':session_id')})") == session
        assert not page.locator("#intro").is_visible()
        chat.shot("03_after_reload")

        # 4. ...and it goes on: "Details" on the first card answers about that place,
        # which the bot can only do if its tracker still holds the results shown.
        seen = chat.bot_messages()
        first = page.locator("#log > li.msg-cards").last.locator(".card").first
        first.get_by_role("button", name="Details").click()
        chat.wait_more_bot_messages(seen)
        details = page.locator("#log > li.msg-bot").last.locator(".bubble").inner_text()
        assert titles[0] in details, details
        chat.shot("04_details_after_reload")

        # The same conversation on a phone-sized screen, for a look at the layout.
        page.set_viewport_size({"width": 390, "height": 844})
        chat.shot("05_phone")

        assert chat.dialogs == []
        assert chat.errors == []
    finally:
        chat.close()


def test_markup_is_shown_as_text(assistant, browser) -> None:
    chat = Watched(browser, viewport={"width": 1024, "height": 768})
    page = chat.page
    try:
        chat.open()

        # A traveller's message with markup: shown verbatim, nothing injected or run.
        chat.send(HOSTILE)
        bubble = page.locator("#log > li.msg-user .bubble").last
        bubble.wait_for()
        assert bubble.inner_text() == HOSTILE
        chat.wait_more_bot_messages(0)  # the bot's answer is drawn through the same path

        # A catalog title with markup, the way a reload draws stored cards.
        hostile_cards = [{"kind": "cards", "cards": [{
            "id": "p999999", "position": 1,
            "title": "<script>alert('title')</script>Villa <b>bold</b>",
            "location": "<img src=x onerror=alert('location')>", "neighbourhood": "Alfama",
            "price": "€100 a night", "rating": "new, no reviews yet",
            "why": ["<img src=x onerror=alert('why')>"],
            "buttons": [{"title": "<i>Details</i>", "payload": "/ask_details{\"ordinal\": \"1\"}"}],
        }]}]
        key = json.dumps(f"stays:{RASA}:transcript")
        page.evaluate(f"""cards => {{
            const stored = JSON.parse(localStorage.getItem({key}) || "[]");
            localStorage.setItem({key}, JSON.stringify(stored.concat(cards)));
        }}""", hostile_cards)
        page.reload()
        chat.wait_connected()
        card = page.locator("#log .card").last
        assert card.locator(".card-title").inner_text() == "<script>alert('title')</script>Villa <b>bold</b>"
        assert "<img src=x onerror=alert('location')>" in card.locator(".card-place").inner_text()
        assert card.locator(".card-why li").inner_text() == "<img src=x onerror=alert('why')>"
        assert card.locator(".card-actions button").inner_text() == "<i>Details</i>"
        assert page.locator("#log > li.msg-user .bubble").first.inner_text() == HOSTILE
        page.wait_for_timeout(300)  # give an injected onerror the time to fire, were there one
        chat.shot("06_markup_as_text")

        injected = page.evaluate("() => document.querySelectorAll('#log img, #log script, #log b, #log i').length")
        assert injected == 0
        assert page.evaluate("() => document.querySelectorAll('script').length") == 2  # socket.io + app.js
        assert chat.dialogs == [], chat.dialogs
        assert chat.errors == []
    finally:
        chat.close()


def test_unreachable_server_keeps_the_typed_text(assistant, browser) -> None:
    chat = Watched(browser, viewport={"width": 1024, "height": 700})
    page = chat.page
    try:
        # Nothing listens on 5199: the page must say so and keep what was typed.
        page.goto("http://localhost:8180/index.html?server=http://127.0.0.1:5199")
        status = page.locator("#status")
        status.filter(has_text=OFFLINE).wait_for(timeout=15_000)
        chat.send("a flat in Lisbon for 2")
        assert page.locator("#message").input_value() == "a flat in Lisbon for 2"
        assert status.inner_text() == OFFLINE
        assert page.locator("#log > li").count() == 0
        chat.shot("07_unreachable")
        assert chat.dialogs == []
    finally:
        chat.close()


def test_a_card_shows_its_listing_photo_lazily(assistant, browser, tmp_path) -> None:
    """A real Albany listing's card, drawn the way the page draws stored cards: its photo, with the title as alt."""
    import real_data
    from test_airbnb_import import SHARED_DATA

    from actions.rendering import card
    from constraints import Engine, build_query, load_knowledge
    from constraints.airbnb import convert_listings, write_catalog
    from constraints.catalog import load_catalog

    listings = SHARED_DATA / "listings" / "albany.csv.gz"
    if not listings.exists():
        real_data.skip("browser", f"real Inside Airbnb data not found at {listings} (set STAYS_SHARED_DATA)")
    real_data.ran("browser", ["Albany"])
    knowledge = load_knowledge()
    frame, _ = convert_listings(listings, "Albany", knowledge, currency="USD")
    write_catalog(frame, tmp_path / "albany.csv")
    engine = Engine(knowledge, load_catalog(tmp_path / "albany.csv", knowledge))
    shown = engine.search(build_query(location="Albany", guests=2), limit=2).results
    assert shown[0].picture_url, "the importer keeps each listing's picture_url"
    without = {**card(engine, 2, shown[1]), "picture_url": None}
    cards = [{"kind": "cards", "cards": [card(engine, 1, shown[0]), without]}]

    chat = Watched(browser, viewport={"width": 1024, "height": 900})
    page = chat.page
    try:
        chat.open()
        key = json.dumps(f"stays:{RASA}:transcript")
        page.evaluate(f"""cards => localStorage.setItem({key}, JSON.stringify(cards))""", cards)
        page.reload()
        chat.wait_connected()
        first, second = page.locator("#log .card").nth(0), page.locator("#log .card").nth(1)
        photo = first.locator("img.card-photo")
        assert photo.count() == 1
        assert photo.get_attribute("alt") == shown[0].title
        assert photo.get_attribute("src") == shown[0].picture_url
        assert photo.get_attribute("loading") == "lazy"
        assert second.locator("img").count() == 0, "a card without a photo keeps today's look"
        chat.shot("08_card_photo")
    finally:
        chat.close()
