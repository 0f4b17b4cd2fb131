"""The figures of a replay: turn counts, failures by kind with examples, extra questions, reading shares."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from statistics import mean

from tests.travellers import judge
from tests.travellers.simulator import Played


@dataclass
class Share:
    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __str__(self) -> str:
        return f"{self.value:.2f} ({self.hits}/{self.total})" if self.total else "-"


@dataclass
class Metrics:
    name: str
    dialogues: int = 0
    traveller_turns: int = 0          # the dialogues' own turns (not the carried-over place)
    messages: int = 0                 # everything sent: turns, carried-over places, answers, clicks
    seconds_per_message: float = 0.0
    failures: Counter = field(default_factory=Counter)            # kind -> replies to trip-stating messages
    examples: dict[str, list[str]] = field(default_factory=dict)  # kind -> "said => reply"
    dialogues_fitting: Share = field(default_factory=Share)
    mean_extra_questions: float = 0.0
    place_read: Share = field(default_factory=Share)
    party_read: Share = field(default_factory=Share)
    not_fitting: list[str] = field(default_factory=list)           # "id: detail"

    @property
    def done_when_failures(self) -> int:
        return sum(self.failures[k] for k in judge.DONE_WHEN_KINDS)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["failures"] = dict(self.failures)  # asdict would rebuild the Counter from (kind, count) pairs
        for key in ("dialogues_fitting", "place_read", "party_read"):
            data[key] = {**data[key], "value": getattr(self, key).value}
        data["done_when_failures"] = self.done_when_failures
        return data


def measure(name: str, played: Iterable[Played], examples: int = 3) -> Metrics:
    played = list(played)
    m = Metrics(name=name, dialogues=len(played))
    exchanges = [e for p in played for e in p.exchanges]
    m.traveller_turns = sum(p.dialogue.traveller_turns for p in played)
    m.messages = len(exchanges)
    m.seconds_per_message = mean(e.seconds for e in exchanges) if exchanges else 0.0
    for e in exchanges:
        if e.failure and (e.turn is None or e.turn.states_trip):
            m.failures[e.failure] += 1
            shown = m.examples.setdefault(e.failure, [])
            if len(shown) < examples:
                reply = " / ".join(e.reply.splitlines()) or "(nothing)"
                shown.append(f"{e.said!r} => {reply[:220]!r}")
        if e.place_read is not None:
            m.place_read.total += 1
            m.place_read.hits += e.place_read
        if e.guests_read is not None:
            m.party_read.total += 1
            m.party_read.hits += e.guests_read
    for p in played:
        m.dialogues_fitting.total += 1
        if p.fit and p.fit.fits:
            m.dialogues_fitting.hits += 1
        else:
            m.not_fitting.append(f"{p.dialogue.id}: {p.fit.detail if p.fit else '-'}")
    m.mean_extra_questions = mean(p.extra_questions for p in played) if played else 0.0
    return m


def table(metrics: list[Metrics], examples: bool = True) -> str:
    """The metrics side by side, then the failure examples."""
    rows = [
        ("dialogues", lambda m: str(m.dialogues)),
        ("traveller turns", lambda m: str(m.traveller_turns)),
        ("messages sent (with answers, clicks)", lambda m: str(m.messages)),
        ("seconds per message", lambda m: f"{m.seconds_per_message:.2f}"),
        *[(f"failures: {kind}", (lambda k: lambda m: str(m.failures[k]))(kind))
          for kind in (*judge.DONE_WHEN_KINDS, "unknown_place")],
        ("Done-when failures (must be 0)", lambda m: str(m.done_when_failures)),
        ("dialogues ending with places that fit", lambda m: str(m.dialogues_fitting)),
        ("mean extra questions (<= 1.0)", lambda m: f"{m.mean_extra_questions:.2f}"),
        ("place-read share", lambda m: str(m.place_read)),
        ("party-read share", lambda m: str(m.party_read)),
    ]
    width = max(len(r[0]) for r in rows)
    cols = [max(len(m.name), 14) for m in metrics]
    lines = [" " * width + "  " + "  ".join(m.name.rjust(c) for m, c in zip(metrics, cols, strict=True))]
    for label, value in rows:
        cells = (value(m).rjust(c) for m, c in zip(metrics, cols, strict=True))
        lines.append(label.ljust(width) + "  " + "  ".join(cells))
    if examples:
        for m in metrics:
            for kind, shown in m.examples.items():
                lines.append(f"\n{m.name} {kind}:")
                lines.extend(f"  {s}" for s in shown)
            if m.not_fitting:
                lines.append(f"\n{m.name} dialogues not ending with places that fit ({len(m.not_fitting)}):")
                lines.extend(f"  {s}" for s in m.not_fitting[:5])
    return "\n".join(lines)


__all__ = ["Metrics", "Share", "measure", "table"]
