"""A goal-driven simulated traveller that replays whole dialogues against the running bot.

Scripted conversations (tests/conversations/) check one behaviour each, in our
own words. This package asks a wider question: can travellers who write the
way real people do get from their first message to places that fit? Each
dialogue carries a goal (place, party size, budget, must-haves, dates); the
traveller says the dialogue's turns in order, answers the bot's questions from
the goal, accepts the nearest destination when the bot has no stays in the
place asked, and the checks then judge every reply and the final results.

Two sets of dialogues:
- the crowd-written Schema-Guided Dialogue turns in ../shared/data/dialogues/
  (evaluation only: read from there, never copied, never trained on);
- the corpus in tests/travellers/corpus/, written by us in other voices.

    python -m tests.travellers --set both          # metrics table (starts its own servers)
    pytest tests/test_travellers.py -m server      # the checks, on a seeded sample of the crowd set
"""
