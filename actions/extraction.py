"""Reading one traveller message into candidate slot values.

Travellers give several values at once, in any order, and change their mind
("actually Porto", "no pool needed", "make it 6 people"). This module reads a
message once: DIET's entity spans first, then the knowledge base's own names
found in the text (so a destination added to knowledge/ is understood even
before NLU retraining picks it up), then the rule-based parsers for numbers,
money and dates. It produces raw candidates; `validation.py` normalises and
questions them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from constraints import Engine, attributes
from constraints.errors import InvalidValueError, UnknownValueError
from constraints.text import fold
from constraints.trip_mentions import PLACE_WORD, trip_mentions

from . import parsing
from .offers import offered_instead_of_places
from .reading import joining, mentions, names_arrival
from .reading import priorities as priority_words
from .reading.distance import parse_centre_km
from .reading.vocab import PHRASES
from .reading.wishes import read_wishes

_BARE_NUMBER = re.compile(r"^\s*(?:about|around|roughly|maybe|max|up to)?\s*[€$£]?\s*(\d{1,7}(?:[.,]\d+)?)"
                          r"\s*[€$£]?\s*(?:please|pls)?\s*[.!]?\s*$", re.I)
#: a sentence mark with the next sentence glued on ("Francisco.and"): the tag ran past the name's end
_GLUED_SENTENCE = re.compile(r"[.;!?](?=[^\W\d_])")
# intents that are not an answer to "where would you like to stay?"
_NOT_AN_ANSWER = {"greet", "goodbye", "thanks", "affirm", "deny", "help", "bot_challenge", "start_over",
                  "show_more", "cheaper", "bigger", "more_like", "ask_details", "choose_offer"}
#: knowledge/phrases/offers.yml `affirm`, folded: the yes that accepts the first repair offered
AFFIRM_PHRASES = tuple(fold(w) for w in PHRASES.words("offers", "affirm"))
YES_WORDS = frozenset(p for p in AFFIRM_PHRASES if " " not in p)  # a message that begins with one of these
# what a message may set besides the place: any of them read means "2 of us" answered another question
_NOT_A_PLACE_ANSWER = ("guests", "budget", "budget_min", "check_in", "nights", "min_rating", "bedrooms", "amenities",
                       "property_type", "context", "pets", "centre_km", "partial_stay", "wishes")


@dataclass
class Reading:
    """Raw candidate slot values from one message, plus what to tell the traveller."""

    candidates: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class MessageReader:
    """Reads a message against the current slots; one instance per message."""

    def __init__(self, engine: Engine, text: str, intent: str | None, entities: list[Mapping[str, Any]],
                 slots: Mapping[str, Any], requested_slot: str | None, today: date) -> None:
        self.engine = engine
        self.text = text or ""
        self.folded = fold(self.text)
        self.intent = intent
        self.entities = entities
        self.slots = slots
        self.requested = requested_slot
        self.today = today
        self.reading = Reading()

    # --- entry point -------------------------------------------------------------------

    def read(self) -> Reading:
        if not self.folded and self.requested is None:
            return self.reading
        self._location()
        self._guests()
        self._budget()
        self._stay()
        self._amenities()
        self._property_type()
        self._rating()
        self._bedrooms()
        self._centre()
        self._context()
        self._wishes()
        self._answer_to_where()
        if self.intent == "remove_constraint":
            self._removals()
        if self.intent == "set_priority":
            self._priorities()
        if not self.reading.candidates:
            self._unknown_amenity_named()
        if (self.requested == "amenities" and self.intent in ("deny", "affirm")
                and "amenities" not in self.reading.candidates):
            self.reading.candidates["amenities"] = list(self.slots.get("amenities") or [])
        self._yes_to_the_first_repair()
        self._new_search_resets()
        return self.reading

    def _yes_to_the_first_repair(self) -> None:
        """"Yes please, and it's for 3 of us." after "Here's what would work: 1. A townhouse instead
        of a house": the yes takes the first repair, as a bare yes does (action_apply_offer), and the
        rest of the message is read as well. A new place is a new search, and only repairs offered instead
        of places are taken, never a critique nor the ideas beside places shown ("Yes that's great" is
        about the places); what the message itself sets wins over the repair."""
        offers = self.slots.get("offers") or []
        words = self.folded.split()
        if (self.intent not in ("inform", "affirm", "search") or not words or words[0] not in YES_WORDS
                or "location" in self.reading.candidates or not offered_instead_of_places(offers)):
            return
        for slot, value in (offers[0].get("updates") or {}).items():
            self.reading.candidates.setdefault(slot, value)

    # --- helpers -----------------------------------------------------------------------

    def _entity_values(self, name: str) -> list[str]:
        return [str(e.get("value")) for e in self.entities
                if e.get("entity") == name and e.get("value") not in (None, "")]

    def _entity_text(self, name: str) -> list[str]:
        """The surface text DIET tagged (before synonym mapping), for the parsers."""
        spans = []
        for e in self.entities:
            if e.get("entity") == name and e.get("start") is not None and e.get("end") is not None:
                spans.append(self.text[int(e["start"]):int(e["end"])])
        return spans

    def _set(self, slot: str, value: Any) -> None:
        self.reading.candidates[slot] = value

    def _bare_number(self) -> float | None:
        match = _BARE_NUMBER.match(self.text)
        if match:
            return float(match.group(1).replace(",", ""))
        number = parsing.words_to_number(self.folded) if self.folded else None
        return float(number) if number is not None else None

    # --- place -------------------------------------------------------------------------

    def _location(self) -> None:
        vocab = self.engine.normaliser.locations
        # DIET sometimes tags a month, a weekday or a common word ("So please...") as a place;
        # a place the knowledge base finds in the words beats a tag it does not know
        spans = [(self._grown_place(v, start), start) for v, start in self._entity_spans("location")]
        tagged = [v for v, start in spans
                  if self._knows_place(v) or self._clearly_meant(v, start, vocab.index, "location")]
        scanned = [m.matched for m in vocab.find_in(self.text, fuzzy=True)
                   if not (m.corrected and mentions.all_common_words(m.matched))]  # "higher" is no typo of a place
        found = tagged if any(self._knows_place(v) for v in tagged) or not scanned else scanned
        if not found and self.intent in ("search", "inform", "set_priority"):
            # "we r going to long beach, ca": no tag, no capital, but the gazetteer knows the words
            named = trip_mentions(self.text, self.engine.normaliser, mentions.PLACE_WORDS).places \
                if len(self.folded.split()) <= self._reading_setting("place_scan_max_words", 60) else ()
            found = [named[-1].text] if named else [self._grown_place(name, self.text.find(name))
                                                    for name in self._unknown_place_named()]
        found = [name for name in found if not self._turned_down(name)]
        if found:
            self._set("location", self._qualified(found))
        neighbourhoods = self._entity_values("neighbourhood")
        location = self._known_location()
        if not neighbourhoods:
            scope = self.engine.normaliser.neighbourhoods_in(location)
            neighbourhoods = [m.matched for m in scope.find_in(self.text)]
        if neighbourhoods:
            self._set("neighbourhood", neighbourhoods[-1])

    def _turned_down(self, name: str) -> bool:
        """"No, not Porto, we are 3" / "Lisbon rather than Porto": a negation right before the place (a
        place word may stand between) turns it down; "no pool in Porto" negates the pool, not Porto.
        A name not found as written (a corrected typo) is kept."""
        lowered = self.text.lower()
        at = lowered.rfind(name.lower())
        before = lowered[:at].rstrip() if at > 0 else ""
        if not before or not before[-1].isalnum():
            return False  # "hmm no, Porto then": the no is to something else, Porto is the answer
        words = fold(before).split()
        while words and words[-1] in mentions.PLACE_WORDS:
            words.pop()
        said = " ".join(words)
        return any(said == cue or said.endswith(" " + cue) for cue in _TURNING_DOWN)

    def _grown_place(self, value: str, start: int | None) -> str:
        """The place a tag cut short: "san" of "san fran", "Long" of "Long beach, ca"; or ran on past
        a full stop typed without a space: "San Francisco.and want to check in".

        The entity extractor sometimes tags part of a name; the longest span of at
        most one word before and two after the tag that names a place exactly wins.
        """
        if start is None or self._knows_place(value):
            return value
        head = _GLUED_SENTENCE.split(value, 1)[0]
        if head != value and self._knows_place(head):
            return head
        words = [(m.start(), m.end()) for m in PLACE_WORD.finditer(self.text)]
        inside = [k for k, (a, b) in enumerate(words) if a < start + len(value) and b > start]
        if not inside:
            return value
        best = value
        for first in range(max(0, inside[0] - 1), inside[0] + 1):
            for last in range(inside[-1], min(len(words), inside[-1] + 3)):
                candidate = self.text[words[first][0]:words[last][1]]
                if len(candidate) > len(best) and self._names_exactly(candidate):
                    best = candidate
        return best

    def _names_exactly(self, name: str) -> bool:
        try:
            return not self.engine.normaliser.location(name).corrected
        except UnknownValueError:
            return False

    def _qualified(self, found: list[str]) -> str:
        """The place meant by the names found, in order.

        "not Lisbon, Porto": the last one said wins, unless it only qualifies
        the one before: "Porto, in Portugal" is Porto, "Paris ... Texas" is
        Paris, Texas.
        """
        if len(found) > 1 and fold(found[-1]) not in self.engine.normaliser.locations.index:
            both = f"{found[-2]}, {found[-1]}"
            try:
                if not self.engine.normaliser.location(both).corrected:
                    return both
            except UnknownValueError:
                pass
        return found[-1]

    def _entity_spans(self, name: str) -> list[tuple[str, int | None]]:
        """(value, start) of each entity DIET tagged as `name`."""
        return [(str(e.get("value")), e.get("start")) for e in self.entities
                if e.get("entity") == name and e.get("value") not in (None, "")]

    def _clearly_meant(self, value: str, start: int | None, known: Mapping[str, str], slot: str) -> bool:
        """An unknown tagged name is questioned only when the traveller clearly meant it (see reading.mentions)."""
        if mentions.is_calendar_word(value) or mentions.all_common_words(value):
            return False
        if self.requested == slot or (slot == "location" and mentions.after_place_word(self.text, start)):
            return True
        minimum = self._reading_setting("did_you_mean_min", mentions.DID_YOU_MEAN_MIN)
        return mentions.similarity(value, known) >= minimum

    def _reading_setting(self, name: str, default: float) -> float:
        """engine.yml `reading:`, where a knowledge base may leave a setting to its default."""
        return float((self.engine.knowledge.settings.get("reading") or {}).get(name, default))

    def _answer_to_where(self) -> None:
        """A short answer to "where?" that set nothing else is the place, known or not.

        "2 of us" answered another question: it is read as the party (above), and
        the place is asked again instead of "I don't know '2 of us'".
        """
        if self.requested != "location" or "location" in self.reading.candidates or self.intent in _NOT_AN_ANSWER:
            return
        if any(slot in self.reading.candidates for slot in _NOT_A_PLACE_ANSWER):
            return
        if 0 < len(self.folded.split()) <= 4 and not mentions.all_common_words(self.text):
            self._set("location", self.text.strip())  # validation says if it is unknown

    def _knows_place(self, name: str) -> bool:
        try:
            self.engine.normaliser.location(name)
        except UnknownValueError:
            return False
        return True

    def _unknown_place_named(self) -> list[str]:
        """'a place in Atlantis': a capitalised name after 'in'/'to' that is nothing we know.

        Said back as "I don't know 'Atlantis'" rather than silently asking
        "where?" again. Months, weekdays, neighbourhoods and amenities are not
        places.
        """
        normaliser = self.engine.normaliser
        for name in mentions.capitalised_place_names(self.text):
            folded = fold(name)
            if mentions.is_calendar_word(name) or mentions.all_common_words(name) \
                    or folded in normaliser.neighbourhoods.index \
                    or folded in normaliser.amenities.index or folded in normaliser.property_types.index:
                continue
            return [name]
        return []

    def _known_location(self) -> str | None:
        """The destination this message leaves us in (new if given, else the slot)."""
        raw = self.reading.candidates.get("location")
        if raw:
            try:
                return self.engine.normaliser.location(raw).value
            except UnknownValueError:
                return None
        return self.slots.get("location")

    # --- people, money, time -------------------------------------------------------------

    def _guests(self) -> None:
        spans = self._entity_text("guests")
        parsed = None
        for span in spans:  # DIET says this span is a head count: a bare "4" counts
            parsed = parsing.parse_guests(span, expected=True) or parsed
        parsed = parsing.parse_guests(self.text, expected=self._party_asked) or parsed
        context = dict(self.slots.get("context") or {})
        added, so_far = joining(self.text), self.slots.get("guests")
        if parsed is not None and added is not None and so_far and parsed.total == added:
            parsed = replace(parsed, total=int(so_far) + added)  # "two more friends are coming": 4 + 2
        if parsed is not None:
            if parsed.total:
                self._set("guests", float(parsed.total))
            elif parsed.total == 0 and parsed.explicit:
                self._set("guests", 0.0)
            if parsed.children:
                context["children"] = parsed.children
            if parsed.infants:
                context["infants"] = True
            if context != (self.slots.get("context") or {}):
                self._set("context", context)
        elif self._party_asked:
            number = self._bare_number()
            if number is not None:
                self._set("guests", number)

    @property
    def _party_asked(self) -> bool:
        """The form asked for the party, or places were shown for any party: the results asked for one
        ("tell me how many of you are going"), so a bare "Two." is the party."""
        return self.requested == "guests" or (
            self.requested is None and bool(self.slots.get("shown")) and not self.slots.get("guests"))

    def _budget(self) -> None:
        parsed = None
        for span in self._entity_text("budget"):
            parsed = parsing.parse_budget(span) or parsed
        whole = parsing.parse_budget(self.text, expected=self.requested == "budget")
        if whole is not None and (parsed is None or whole.scope or whole.maximum is not None):
            parsed = _merge_budget(parsed, whole)
        if parsed is None:
            if self.requested == "budget":
                number = self._bare_number()
                if number is not None:
                    self._set("budget", number)
                    self._set("budget_flexible", False)
            return
        if parsed.unlimited:
            self._set("budget", None)
            self._set("budget_min", None)
            self._set("budget_flexible", True)
            return
        maximum, minimum = parsed.maximum, parsed.minimum
        if parsed.tier and maximum is None and minimum is None:
            minimum, maximum = self.engine.price_tier(parsed.tier, self._known_location())
        maximum, minimum = self._in_destination_currency(parsed.currency, maximum, minimum)
        if maximum is not None:
            self._set("budget", float(maximum))
            self._set("budget_flexible", False)
        if minimum is not None:
            self._set("budget_min", float(minimum))
        if parsed.scope:
            self._set("budget_scope", parsed.scope)
        elif maximum is not None:
            self._set("budget_scope", "night")

    def _in_destination_currency(self, currency: str | None, *amounts: float | None) -> list[float | None]:
        """A bare budget is in the destination's currency; "200 CAD" is converted, and the reply says so.

        A currency the engine has no rate for is not silently re-read: the
        budget is left unset and the note asks for it in the local currency.
        """
        location = self._known_location()
        read: list[float | None] = []
        for amount in amounts:
            if amount is None or not currency:
                read.append(amount)
                continue
            try:
                value, note = self.engine.budget_in(amount, currency, location)
            except InvalidValueError as problem:
                self.reading.notes.append(str(problem))
                return [None for _ in amounts]
            if note:
                self.reading.notes.append(f"{note}; I'll search with that.")
            read.append(value)
        return read

    def _stay(self) -> None:
        """Dates, or a length of stay; an arrival with a length makes dates too.

        Travellers often give the stay in halves ("I check in on the 2nd", later
        "I'll leave on March 12th"): a lone arrival or departure is kept in
        `partial_stay` and completed by the other half or by a length of stay.
        """
        dates = parsing.parse_dates(self.text, self.today)
        nights = None
        for span in self._entity_text("nights"):
            nights = parsing.parse_nights(span) or nights
        nights = parsing.parse_nights(self.text) or nights
        if isinstance(dates, parsing.DateProblem):
            dates = self._completed(dates, nights)
        if dates is not None:
            self._set("check_in", dates.check_in.isoformat())
            self._set("check_out", dates.check_out.isoformat())
            self._set("nights", float((dates.check_out - dates.check_in).days))
            if self.slots.get("partial_stay"):
                self._set("partial_stay", None)
            return
        if nights is None:
            return
        self._set("nights", float(nights))
        half = self.slots.get("partial_stay") or {}
        start = self.slots.get("check_in") or half.get("check_in")
        length = timedelta(days=int(nights))
        if start:
            self._set("check_in", start)
            self._set("check_out", (date.fromisoformat(start) + length).isoformat())
        elif half.get("check_out"):
            self._set("check_in", (date.fromisoformat(half["check_out"]) - length).isoformat())
            self._set("check_out", half["check_out"])
        if half:
            self._set("partial_stay", None)

    def _completed(self, problem: parsing.DateProblem, nights: int | None) -> parsing.StayDates | None:
        """Half a stay made whole by a length of stay or the half said before; else kept as the half."""
        half = self.slots.get("partial_stay") or {}
        known_nights = nights or self.slots.get("nights")
        if problem.kind == "unclear" and problem.check_in is not None:
            if nights:
                return parsing.StayDates(problem.check_in, problem.check_in + timedelta(days=int(nights)))
            if half.get("check_out") and date.fromisoformat(half["check_out"]) > problem.check_in:
                return parsing.StayDates(problem.check_in, date.fromisoformat(half["check_out"]))
            arrival = date.fromisoformat(half["check_in"]) if half.get("check_in") else None
            if arrival and arrival < problem.check_in and not names_arrival(self.text):
                return parsing.StayDates(arrival, problem.check_in)  # "On the 13th." after "On the 1st."
            self._set("partial_stay", {"check_in": problem.check_in.isoformat()})
        elif problem.kind == "unclear" and problem.check_out is not None:
            if half.get("check_in"):
                arrival = date.fromisoformat(half["check_in"])
                departure = self._departure_after(arrival, problem.check_out)
                if arrival < departure:
                    return parsing.StayDates(arrival, departure)
            if known_nights:
                return parsing.StayDates(problem.check_out - timedelta(days=int(known_nights)), problem.check_out)
            self._set("partial_stay", {"check_out": problem.check_out.isoformat()})
        self.reading.notes.append(problem.message)
        return None

    def _departure_after(self, arrival: date, departure: date) -> date:
        """"the 9th" said after "I check in on the 4th of March" is 9 March: read as after the arrival."""
        if departure > arrival:
            return departure
        again = parsing.parse_dates(self.text, arrival)
        return again.check_out if isinstance(again, parsing.DateProblem) and again.check_out else departure

    def _rating(self) -> None:
        good = float(self.engine.knowledge.setting("rating", "good"))
        rating = parsing.parse_rating(self.text, good)
        if rating is not None:
            self._set("min_rating", float(rating))

    def _centre(self) -> None:
        central = float(self.engine.knowledge.setting("distances", "central_km"))
        km = parse_centre_km(self.text, central)
        if km is not None:
            self._set("centre_km", float(km))

    def _bedrooms(self) -> None:
        bedrooms = parsing.parse_bedrooms(self.text)
        if bedrooms is not None:
            self._set("bedrooms", float(bedrooms))

    # --- what the place must have ------------------------------------------------------

    def _amenities(self) -> None:
        vocab = self.engine.normaliser.amenities
        tagged = [v for v, start in self._entity_spans("amenity")
                  if v in vocab or fold(v) in vocab.index or vocab.correct(v) is not None
                  or self._clearly_meant(v, start, vocab.index, "amenities")]
        mentioned = tagged + [m.matched for m in vocab.find_in(self.text)]
        if not mentioned:
            return
        must = list(self.slots.get("amenities") or [])
        nice = list(self.slots.get("nice_to_have") or [])
        soft = priority_words.is_soft(self.folded)
        changed = False
        for raw in dict.fromkeys(mentioned):
            try:
                canonical = vocab.resolve(raw).value
            except UnknownValueError:
                canonical = raw  # validation explains it, with suggestions
            if soft and self.intent != "remove_constraint":  # "the pool would be a bonus": wanted, not required
                must = [a for a in must if a != canonical]
                if canonical not in nice:
                    nice.append(canonical)
            elif self.intent == "remove_constraint" or parsing.is_negated(self.text, raw):
                must = [a for a in must if a != canonical]
                nice = [a for a in nice if a != canonical]
            elif canonical not in must:
                must.append(canonical)
                nice = [a for a in nice if a != canonical]
            changed = True
        if changed:
            self._set("amenities", must)
            if nice != list(self.slots.get("nice_to_have") or []):
                self._set("nice_to_have", nice)

    def _unknown_amenity_named(self) -> None:
        """'with a helipad': a short wish for something we have no word for.

        Read as an amenity so validation answers "I don't know 'helipad'" with
        the amenities it does know, instead of "didn't catch that". Only when
        the message said nothing else we could read.
        """
        if self.intent not in ("search", "inform", "set_priority"):
            return
        wish = mentions.unknown_wish(self.folded)
        if wish:
            self._set("amenities", [*(self.slots.get("amenities") or []), wish])

    def _property_type(self) -> None:
        normaliser = self.engine.normaliser
        found = self._entity_values("property_type") + [m.matched for m in normaliser.property_types.find_in(self.text)]
        if found:
            raw = found[-1]
            if self.intent == "remove_constraint" or parsing.is_negated(self.text, raw):
                self._set("property_type", None)
            else:
                self._set("property_type", raw)
        rooms = normaliser.room_types.find_in(self.text)
        if rooms:
            self._set("room_type", rooms[-1].value)

    def _context(self) -> None:
        """Traveller context from the phrases rules.yml lists (dog, baby, remote work...)."""
        context = dict(self.reading.candidates.get("context", self.slots.get("context") or {}))
        before = dict(context)
        for key, spec in self.engine.knowledge.context.items():
            if spec.type == "choice":
                for choice, phrases in spec.choices.items():
                    if _phrase_in(self.folded, phrases):
                        context[key] = choice
            elif spec.type == "bool" and _phrase_in(self.folded, spec.phrases):
                said = next(p for p in spec.phrases if _phrase_pattern((p,)).search(self.folded))
                value = not parsing.is_negated(self.text, said)
                if key == "pets":
                    self._set("pets", value)
                else:
                    context[key] = value
        if self._entity_values("pets") and "pets" not in self.reading.candidates:
            self._set("pets", True)
        if context != before:
            self._set("context", context)

    def _wishes(self) -> None:
        """Descriptive words nothing else read become wishes ("somewhere quiet"): see reading.wishes."""
        read = read_wishes(self.engine, self.text, self.intent, self.entities, self.slots.get("wishes") or [],
                           self.reading.candidates)
        if read is not None:
            self._set("wishes", read.wishes)
            self.reading.notes.append(read.note)

    # --- "forget the budget", "the pool is a must" ---------------------------------------

    def _removals(self) -> None:
        for attribute in priority_words.attributes_named(self.folded):
            for slot, value in attributes.of(attribute).forgotten().items():
                self._set(slot, value)
        if priority_words.names_pets(self.folded) and "amenities" not in self.reading.candidates:
            self._set("pets", False)

    def _priorities(self) -> None:
        priorities = dict(self.slots.get("priorities") or {})
        word = priority_words.priority_word(self.folded)
        if word is None:
            return
        targets = [f"amenities:{a}" for a in self._mentioned_amenity_ids()]
        for attribute in priority_words.attributes_named(self.folded):
            targets.extend(attributes.of(attribute).priority_names())
        for target in targets:
            priorities[target] = word
        if targets:
            self._set("priorities", priorities)

    def _mentioned_amenity_ids(self) -> list[str]:
        vocab = self.engine.normaliser.amenities
        ids = []
        for raw in self._entity_values("amenity") + [m.matched for m in vocab.find_in(self.text)]:
            try:
                ids.append(vocab.resolve(raw).value)
            except UnknownValueError:
                continue
        return list(dict.fromkeys(ids))

    # --- a changed search starts from the top ------------------------------------------

    def _new_search_resets(self) -> None:
        candidates = self.reading.candidates
        changed = [s for s, v in candidates.items() if v != self.slots.get(s)]
        if not changed:
            return
        candidates.setdefault("offset", 0.0)
        candidates.setdefault("reference_id", None)
        if "location" in changed:
            candidates.setdefault("excluded", [])
            if "neighbourhood" not in candidates:
                candidates["neighbourhood"] = None
                candidates["near_km"] = None
        if {"guests", "context", "pets"} & set(changed):
            candidates.setdefault("waived", [])  # new facts about the travellers: rules apply afresh


def _merge_budget(first: Any, second: Any) -> Any:
    if first is None:
        return second
    return replace(first, **{k: v for k, v in second.__dict__.items() if v not in (None, False)})


@lru_cache(maxsize=512)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(p)) for p in sorted(phrases, key=len, reverse=True) if fold(p))
    return re.compile(rf"\b(?:{alternatives})\b") if alternatives else re.compile(r"(?!x)x")


def _phrase_in(folded: str, phrases: tuple[str, ...]) -> bool:
    return bool(phrases) and bool(_phrase_pattern(tuple(phrases)).search(folded))


#: negation cues that turn a place down when they come right before it (knowledge/phrases/negation.yml)
_TURNING_DOWN = tuple(fold(c) for c in PHRASES.words("negation", "cues_before"))


def read_message(engine: Engine, text: str, intent: str | None, entities: list[Mapping[str, Any]],
                 slots: Mapping[str, Any], requested_slot: str | None, today: date) -> Reading:
    """Candidates for every slot this message sets or clears."""
    return MessageReader(engine, text, intent, entities, slots, requested_slot, today).read()
