"""What the traveller sees: search results as text, buttons and (on the web) cards.

Text always names each property's title, place and price per night, so every
channel (REST, rasa shell, the web page) and every scripted test sees the
recommendation. On the socket.io channel the same results also go out as a
custom payload of cards the web page draws.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from constraints import Engine, Result, SearchResult
from constraints.text import counted

WEB_CHANNEL = "socketio"
MAX_WHY = 3


@dataclass
class Message:
    """One bot message: text, quick-reply buttons, optional custom payload."""

    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None


def button(title: str, intent: str, **entities: Any) -> dict[str, str]:
    """A quick reply whose payload triggers `intent` with entities, bypassing NLU."""
    if entities:
        pairs = ", ".join(f'"{k}": "{v}"' for k, v in entities.items())
        return {"title": title, "payload": f"/{intent}{{{pairs}}}"}
    return {"title": title, "payload": f"/{intent}"}


def price_text(engine: Engine, r: Result) -> str:
    text = f"{engine.wording.money(r.price_per_night, r.currency)} a night"
    if r.total_price is not None and r.nights:
        text += f" ({engine.wording.money(r.total_price, r.currency)} for {r.nights} nights)"
    return text


def rating_text(r: Result) -> str:
    if r.rating is None or r.review_count < 1:
        return "no reviews yet"
    return f"★ {r.rating:.2f} ({counted(r.review_count, 'review')})"


def why(r: Result) -> list[str]:
    """The reasons worth reading: not the place (the line says it), at most three."""
    reasons = [line.rstrip(".") for line in r.explanation if not line.startswith(f"In {r.location}")]
    return reasons[:MAX_WHY]


def result_line(engine: Engine, position: int, r: Result) -> str:
    where = f"{r.neighbourhood}, {r.location}" if r.neighbourhood else r.location
    line = f"{position}. {r.title} — {where} — {price_text(engine, r)} — {rating_text(r)}"
    reasons = why(r)
    if reasons:
        line += "\n   Why: " + "; ".join(reasons)
    return line


def card(engine: Engine, position: int, r: Result, offers: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    """One property card for the web page; the page escapes every field it shows."""
    return {
        "id": r.id,
        "position": position,
        "title": r.title,
        "location": r.location,
        "neighbourhood": r.neighbourhood,
        "price": price_text(engine, r),
        "rating": rating_text(r),
        "why": why(r),
        "picture_url": r.picture_url,
        "buttons": [
            button("Details", "ask_details", ordinal=position),
            button("Cheaper than this", "cheaper", ordinal=position),
            button("More like this", "more_like", ordinal=position),
            *offers,
        ],
    }


def results_messages(engine: Engine, result: SearchResult, heading: str, channel: str | None,
                     extra_buttons: Iterable[dict[str, str]] = ()) -> list[Message]:
    """Ranked results: a heading, the list (or cards), and what to do next."""
    shown = result.results
    first = result.offset + 1
    lines = [result_line(engine, first + k, r) for k, r in enumerate(shown)]
    buttons = []
    if result.offset + len(shown) < result.total_matches:
        buttons.append(button("Show more", "show_more"))
    buttons.append(button("Cheaper", "cheaper"))
    buttons.extend(extra_buttons)
    buttons.extend(button(f"Details {first + k}", "ask_details", ordinal=first + k) for k in range(len(shown)))
    if channel == WEB_CHANNEL:
        cards = [card(engine, first + k, r) for k, r in enumerate(shown)]
        return [
            Message(text=heading),
            Message(custom={"type": "property_cards", "cards": cards}),
            Message(text="What next?", buttons=buttons),
        ]
    return [Message(text=heading + "\n" + "\n".join(lines), buttons=buttons)]


def no_results_messages(engine: Engine, result: SearchResult, offers: list[dict[str, Any]]) -> list[Message]:
    """The conflict in one sentence, repairs as buttons with counts, and near misses."""
    lines = [result.conflict_text or "Nothing matches all of that."]
    if offers:
        lines.append("Here's what would work:")
        lines.extend(f"{k}. {offer['label']}" for k, offer in enumerate(offers, start=1))
    misses = list(zip(result.alternatives, result.alternative_results, strict=True))[:2]
    if misses:
        lines.append("Close, but not quite:")
        for alternative, shown in misses:
            lines.append(f"- {shown.title} ({shown.location}, {price_text(engine, shown)}): "
                         + "; ".join(alternative.misses))
    buttons = [button(offer_title(offer), "choose_offer", ordinal=k) for k, offer in enumerate(offers, start=1)]
    return [Message(text="\n".join(lines), buttons=buttons)]


# The refinements offered beside results while they are unset: (slot, button title).
_REFINEMENT_BUTTONS = (("budget", "Set a budget"), ("guests", "How many guests"), ("amenities", "Must-haves"))


def refinement_buttons(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    """'Set a budget', 'How many guests', 'Must-haves': what the search was made without.

    Must-haves are always offered (there can be one more); a budget and a
    party size only while unset, and no budget after "no limit".
    """
    missing = {
        "budget": slots.get("budget") is None and not slots.get("budget_flexible"),
        "guests": not slots.get("guests"),
        "amenities": True,
    }
    return [button(title, "refine", refinement=slot) for slot, title in _REFINEMENT_BUTTONS if missing[slot]]


def defaults_note(slots: Mapping[str, Any]) -> str | None:
    """'I searched without a budget; set one below.': the defaults a search used, said once."""
    no_budget = slots.get("budget") is None and not slots.get("budget_flexible")
    no_party = not slots.get("guests")
    if no_budget and no_party:
        return "I searched without a budget or a party size; set them below."
    if no_budget:
        return "I searched without a budget; set one below."
    if no_party:
        return "I searched for any party size; tell me how many of you are going."
    return None


def nearest_places_messages(asked: str, offers: list[dict[str, Any]]) -> list[Message]:
    """'No stays in Nairobi yet. The nearest I have: Cape Town, 4,100 km, 80 places; ...' as buttons."""
    nearest = "; ".join(place_choice(offer) for offer in offers)
    text = f"No stays in {asked} yet. The nearest I have: {nearest}."
    buttons = [button(place_choice(offer), "choose_offer", ordinal=k) for k, offer in enumerate(offers, start=1)]
    return [Message(text=text, buttons=buttons)]


def place_choice(offer: dict[str, Any]) -> str:
    """'Cape Town, 4,100 km away, 80 places': the engine's words for the place, and the count."""
    return f"{offer['label'].rsplit(':', 1)[0]}, {counted(offer['matches'], 'place')}"


def offer_title(offer: dict[str, Any]) -> str:
    """'Raise the budget to €180 a night — 5 places' for a button."""
    head = offer["label"].rsplit(":", 1)[0]
    return f"{head} — {counted(offer['matches'], 'place')}"


def lower_first(text: str) -> str:
    """'Try Deauville…' → 'try Deauville…': names keep their capitals."""
    return text[:1].lower() + text[1:]


def details_message(engine: Engine, record: dict[str, Any], position: int, answer: str | None) -> Message:
    wording = engine.wording
    amenities = [engine.knowledge.amenities[a].label for a in record["amenities"] if a in engine.knowledge.amenities]
    rating = (f"★ {record['rating']:.2f} from {record['review_count']} reviews" if record["rating"] is not None
              else "no rating yet")
    rooms = counted(record["bedrooms"], "bedroom") if record["bedrooms"] else "no separate bedroom"
    kind = engine.knowledge.property_types.get(record["property_type"])
    room = engine.knowledge.room_types.get(record["room_type"])
    parts = [
        f"{position}. {record['title']} — {record['neighbourhood']}, {record['location']}",
        f"{kind.label if kind else record['property_type']} ({room.label.lower() if room else record['room_type']}): "
        f"sleeps {record['accommodates']} · {rooms} · {counted(record['beds'], 'bed')} · "
        f"{counted(record['bathrooms'], 'bathroom')}.",
        f"{wording.money(record['price_per_night'], record['currency'])} a night, minimum "
        f"{counted(record['min_nights'], 'night')}; {rating}.",
        "Amenities: " + (", ".join(amenities) if amenities else "none listed") + ".",
    ]
    if record.get("description"):
        description = record["description"]
        parts.append(description if len(description) <= 300 else description[:297].rsplit(" ", 1)[0] + "…")
    if answer:
        parts.insert(0, answer)
    buttons = [button("More like this", "more_like", ordinal=position),
               button("Cheaper than this", "cheaper", ordinal=position)]
    return Message(text="\n".join(parts), buttons=buttons)
