"""Checking candidate slot values against the knowledge base and common sense.

A typo is corrected and the correction said ("Lisbon, I assume"); an unknown
place or amenity gets the names it might have meant; an absurd number is
questioned instead of accepted (the slot stays empty, so the form asks
again). Each check is a plain function, so it is tested without Rasa.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from constraints import Engine, StayDates
from constraints.errors import UnknownValueError


@dataclass(frozen=True)
class Checked:
    """The value to store (None when rejected) and what to tell the traveller."""

    value: Any
    message: str | None = None


_ECHO_LIMIT = 40


def said(text: str) -> str:
    """The traveller's words, quoted back short: a 10 kB message must not come back whole."""
    text = " ".join(text.split())
    return text if len(text) <= _ECHO_LIMIT else f"{text[:_ECHO_LIMIT - 1].rstrip()}…"


def _did_you_mean(error: UnknownValueError, known: list[str], kind: str) -> str:
    """'Did you mean' when something is close; otherwise a sample of what `kind` the bot knows."""
    if error.suggestions:
        options = " or ".join(error.suggestions)
        return f"I don't know '{said(error.text)}'. Did you mean {options}?"
    sample = ", ".join(known[:8])
    return f"I don't know '{said(error.text)}'. {kind} I know include {sample}."


def check_location(raw: Any, engine: Engine, current: str | None = None) -> Checked:
    """A place, checked; an unknown one keeps the place the search already has (`current`).

    A region or country said after a destination in it ("the home in New South Wales" while
    searching Sydney) confirms the destination; said otherwise, the destinations there are offered.
    """
    if raw is None:
        return Checked(None)
    try:
        found = engine.normaliser.location(str(raw))
    except UnknownValueError as error:
        area, inside = engine.normaliser.destinations_in(str(raw))
        if current and current in inside:
            return Checked(current)
        if inside:
            return Checked(current, f"'{said(error.text)}' is in {area}, where I have stays in "
                                    f"{_and_list(inside)}. Which one would you like?")
        known = [d.name for d in engine.catalog.places.destinations]
        return Checked(current, _did_you_mean(error, known, "Places"))
    if found.elsewhere is not None:
        # kept by its name: the search then answers with the destinations nearest to it, as buttons
        return Checked(str(found.elsewhere))
    return Checked(found.value, f"{found.value}, I assume." if found.corrected else None)


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def check_neighbourhood(raw: Any, location: str | None, engine: Engine) -> Checked:
    if raw is None:
        return Checked(None)
    try:
        found = engine.normaliser.neighbourhood(str(raw), location)
    except UnknownValueError as error:
        where = f" in {location}" if location else ""
        known = [nb.name for d in engine.catalog.places.destinations if d.name == location for nb in d.neighbourhoods]
        hint = f" Neighbourhoods I know{where}: {', '.join(known)}." if known else ""
        suggestion = f" Did you mean {' or '.join(error.suggestions)}?" if error.suggestions else ""
        return Checked(None, f"I don't know the neighbourhood '{said(error.text)}'{where}.{suggestion}{hint}")
    if location and found.parent and found.parent != location:
        return Checked(None, f"{found.value} is in {found.parent}, not {location}.")
    return Checked(found.value, f"{found.value}, I assume." if found.corrected else None)


def check_guests(value: Any, engine: Engine) -> Checked:
    if value is None:
        return Checked(None)
    most = int(engine.knowledge.setting("limits", "max_guests"))
    guests = float(value)
    if guests < 1:
        return Checked(None, f"{guests:g} guests? Tell me how many people are travelling.")
    if guests != int(guests):
        return Checked(None, f"{guests:g} guests? Tell me how many people, as a whole number.")
    if guests > most:
        return Checked(None, f"{int(guests)} guests is more than the places I know can sleep ({most} at most). "
                             "How many of you are travelling?")
    return Checked(float(int(guests)))


def check_budget(value: Any, scope: str | None, nights: Any, engine: Engine, location: str | None = None) -> Checked:
    """A per-night budget between the limits of engine.yml (a stay budget per night), in the place's currency."""
    if value is None:
        return Checked(None)
    budget = float(value)
    known = location if location in engine.catalog.places.code_of else None
    prices, currency = engine.nightly_prices(known)

    def money(amount: float) -> str:
        return engine.wording.money(amount, currency)

    if budget <= 0:
        return Checked(None, f"A budget of {money(budget)}? Tell me what you'd like to spend, "
                             "e.g. \"under 150 a night\".")
    per_night = budget / float(nights) if scope == "stay" and nights else budget
    currencies = engine.catalog.currencies
    limits = engine.knowledge.setting
    low = currencies.convert(float(limits("limits", "min_budget_per_night")), currencies.base, currency)
    high = currencies.convert(float(limits("limits", "max_budget_per_night")), currencies.base, currency)
    if per_night < low:
        return Checked(None, f"{money(per_night)} a night is below anything I know (the cheapest place is "
                             f"{money(float(prices.min()))}). What's your budget per night?")
    if per_night > high:
        return Checked(None, f"{money(per_night)} a night? That's more than any place costs — did you mean "
                             f"{money(budget / 1000)}? What's your budget per night?")
    return Checked(budget)


def check_amenities(values: Any, engine: Engine) -> Checked:
    """Every item canonical; unknown ones dropped with a 'did you mean'."""
    if values is None:
        return Checked(None)
    kept: list[str] = []
    messages: list[str] = []
    for raw in values if isinstance(values, list) else [values]:
        try:
            found = engine.normaliser.amenity(str(raw))
        except UnknownValueError as error:
            messages.append(_did_you_mean(error, [a.label for a in engine.knowledge.amenities.values()], "Amenities"))
            continue
        if found.corrected:
            messages.append(f"{found.label}, I assume.")
        if found.value not in kept:
            kept.append(found.value)
    return Checked(kept, " ".join(messages) or None)


def check_property_type(raw: Any, engine: Engine) -> Checked:
    if raw is None:
        return Checked(None)
    try:
        found = engine.normaliser.property_type(str(raw))
    except UnknownValueError as error:
        return Checked(None, _did_you_mean(error, [t.label for t in engine.knowledge.property_types.values()],
                                            "Property types"))
    return Checked(found.value, f"A {found.label.lower()}, I assume." if found.corrected else None)


def check_room_type(raw: Any, engine: Engine) -> Checked:
    if raw is None:
        return Checked(None)
    try:
        return Checked(engine.normaliser.room_type(str(raw)).value)
    except UnknownValueError as error:
        labels = [r.label for r in engine.knowledge.room_types.values()]
        return Checked(None, _did_you_mean(error, labels, "Room types"))


def check_dates(check_in: Any, check_out: Any, engine: Engine, today: date) -> Checked:
    """Both dates or neither; in the future, in order, inside the calendar."""
    if not check_in or not check_out:
        return Checked(None)
    stay = StayDates(date.fromisoformat(check_in), date.fromisoformat(check_out))
    problem = engine.stay_problem(stay, today)
    if problem is not None:
        return Checked(None, f"{problem} Which dates did you mean?")
    return Checked(stay)


def check_nights(value: Any, engine: Engine) -> Checked:
    if value is None:
        return Checked(None)
    nights = float(value)
    most = int(engine.knowledge.setting("limits", "max_nights"))
    if nights < 1 or nights > most or nights != int(nights):
        return Checked(None, f"{nights:g} nights? Tell me how many nights you'd like to stay (1 to {most}).")
    return Checked(nights)


def check_rating(value: Any) -> Checked:
    if value is None:
        return Checked(None)
    rating = float(value)
    if not 0 < rating <= 5:
        return Checked(None, f"Ratings go from 1 to 5, so {rating:g} can't be the minimum. What rating would do?")
    return Checked(rating)


def check_bedrooms(value: Any, engine: Engine) -> Checked:
    if value is None:
        return Checked(None)
    bedrooms = float(value)
    most = int(engine.catalog.bedrooms.max())
    if bedrooms < 1 or bedrooms != int(bedrooms) or bedrooms > most:
        return Checked(None, f"{bedrooms:g} bedrooms? The places I know have 0 to {most}.")
    return Checked(bedrooms)


def check_centre_km(value: Any) -> Checked:
    """A distance from the centre the engine can search: more than nothing."""
    if value is None:
        return Checked(None)
    km = float(value)
    if not km > 0:
        return Checked(None, f"{km:g} km from the centre? How far from the centre would do (say, within 1 km)?")
    return Checked(km)


def validate_candidates(candidates: Mapping[str, Any], slots: Mapping[str, Any], engine: Engine,
                        today: date) -> tuple[dict[str, Any], list[str]]:
    """Check every candidate in a fixed order (place before neighbourhood, nights before budget)."""
    merged = {**slots, **candidates}
    values: dict[str, Any] = {}
    messages: list[str] = []

    def take(slot: str, checked: Checked) -> None:
        values[slot] = checked.value
        merged[slot] = checked.value
        if checked.message:
            messages.append(checked.message)

    checks: dict[str, Callable[[], Checked]] = {
        "location": lambda: check_location(candidates["location"], engine, slots.get("location")),
        "neighbourhood": lambda: check_neighbourhood(candidates["neighbourhood"], merged.get("location"), engine),
        "guests": lambda: check_guests(candidates["guests"], engine),
        "nights": lambda: check_nights(candidates["nights"], engine),
        "budget": lambda: check_budget(candidates["budget"], merged.get("budget_scope"), merged.get("nights"), engine,
                                       merged.get("location")),
        "budget_min": lambda: check_budget(candidates["budget_min"], "night", None, engine, merged.get("location")),
        "amenities": lambda: check_amenities(candidates["amenities"], engine),
        "nice_to_have": lambda: check_amenities(candidates["nice_to_have"], engine),
        "property_type": lambda: check_property_type(candidates["property_type"], engine),
        "room_type": lambda: check_room_type(candidates["room_type"], engine),
        "min_rating": lambda: check_rating(candidates["min_rating"]),
        "bedrooms": lambda: check_bedrooms(candidates["bedrooms"], engine),
        "centre_km": lambda: check_centre_km(candidates["centre_km"]),
    }
    for slot, check in checks.items():
        if slot in candidates:
            take(slot, check())
    if "check_in" in candidates or "check_out" in candidates:
        stay = check_dates(merged.get("check_in"), merged.get("check_out"), engine, today)
        if stay.value is None and (merged.get("check_in") or merged.get("check_out")):
            values.update({"check_in": None, "check_out": None})
            if stay.message:
                messages.append(stay.message)
            if "nights" in candidates and candidates.get("check_in"):
                values["nights"] = slots.get("nights")
        else:
            for slot in ("check_in", "check_out"):
                if slot in candidates:
                    values[slot] = candidates[slot]
    for slot, value in candidates.items():
        values.setdefault(slot, value)
    return values, messages
