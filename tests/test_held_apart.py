"""The conversation scripts and test stories are held apart from the NLU training data.

A scripted message that is also a training example only shows that the model
remembers it: the scripts (tests/conversations/*.yml), the travellers' corpus
(tests/travellers/corpus/*.yml) and Rasa's test stories (rasa_project/tests/*.yml)
are the held-apart set, so none of their user
messages may appear among the intent examples of rasa_project/data/nlu/*.yml.
Messages are compared after dropping entity markup, case, punctuation and
extra whitespace, so "Closer to Alfama!" clashes with "- closer to [Alfama](neighbourhood)".

Fast: plain YAML, nothing is trained.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = ROOT / "rasa_project" / "data" / "nlu"
STORIES_DIR = ROOT / "rasa_project" / "tests"
SCRIPTS_DIR = ROOT / "tests" / "conversations"
TRAVELLERS_DIR = ROOT / "tests" / "travellers" / "corpus"  # the simulated travellers' own corpus

# "[text](entity)", "[text]{"entity": ...}" -> "text"
_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_NOT_A_WORD = re.compile(r"[^\w\s]|_")


def normalise(text: str) -> str:
    """The words of a message, lower case, without markup, punctuation or extra spaces."""
    plain = _MARKUP.sub(r"\1", text).lower()
    return " ".join(_NOT_A_WORD.sub(" ", plain).split())


def training_examples(directory: Path = NLU_DIR) -> dict[str, str]:
    """normalised example -> "file: intent: example", for every intent example in the NLU data."""
    examples: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue  # lookups, synonyms and regexes are not sentences
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.setdefault(normalise(line[2:]), f"{path.name}: {block['intent']}: {line[2:]}")
    return examples


def scripted_messages() -> list[tuple[str, str]]:
    """(where, text) for every user message of the conversation scripts and the test stories."""
    messages: list[tuple[str, str]] = []
    for path in sorted(SCRIPTS_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, turn in enumerate(data["turns"], start=1):
            if "user" in turn:
                messages.append((f"{path.name} turn {number}", str(turn["user"])))
    for path in sorted(TRAVELLERS_DIR.glob("*.yml")):
        for dialogue in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("dialogues") or []:
            for number, turn in enumerate(dialogue.get("turns") or [], start=1):
                text = turn.get("chat") if isinstance(turn, dict) else turn
                messages.append((f"{path.name} {dialogue.get('id')} turn {number}", str(text)))
    for path in sorted(STORIES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for story in data.get("stories") or []:
            for step in story.get("steps") or []:
                if "user" in step:
                    messages.append((f"{path.name} story {story['story']!r}", str(step["user"]).strip()))
    return messages


def test_normalise_drops_markup_case_and_punctuation():
    assert normalise("Closer to [Alfama](neighbourhood)!") == "closer to alfama"
    assert normalise('a [flat]{"entity": "property_type"} in  PORTO, please') == "a flat in porto please"
    assert normalise("a/c") == "a c"


def test_there_are_scripted_messages_and_training_examples():
    # An empty side would make the test below pass without comparing anything.
    assert len(scripted_messages()) > 100
    assert len(training_examples()) > 300


def test_no_scripted_message_is_a_training_example():
    examples = training_examples()
    clashes = [f"{where}: {text!r} is {examples[normalise(text)]!r}"
               for where, text in scripted_messages() if normalise(text) in examples]
    if clashes:
        pytest.fail(f"{len(clashes)} scripted message(s) are NLU training examples; say them in new "
                    "words in the script, or move the sentence out of training:\n  " + "\n  ".join(clashes))
