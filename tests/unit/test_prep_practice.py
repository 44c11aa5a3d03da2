"""Spaced practice with FSRS, on a fixed clock: intervals grow after good, shrink after again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followup.core.errors import NotFound, UsageError
from followup.core.model import Opportunity
from followup.core.stories import Deck
from followup.prep import practice, questions

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


def _rows() -> list[questions.Asked]:
    o = Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "rounds": [
                {
                    "name": "Round 1",
                    "starts_at": "2026-11-20T09:00:00Z",
                    "debrief": {
                        "answers": [
                            {"question": "Sample sizes?", "key_point_clear": 2},
                            {"question": "Why us?", "reaction": "positive"},
                            {"question": "Your biggest failure?", "improve": "Shorter."},
                        ]
                    },
                }
            ],
        }
    )
    return questions.bank([o])


def _deck() -> Deck:
    deck, _ = practice.add(Deck(), practice.to_improve(_rows()), NOW)
    return deck


def test_by_default_practice_drills_the_answers_to_improve_and_each_is_due_at_once():
    deck = _deck()
    assert [c.question for c in deck.cards] == ["Sample sizes?", "Your biggest failure?"]
    assert [c.id for c in practice.due(deck, NOW)] == ["acme/round-1/1", "acme/round-1/3"]
    bigger, added = practice.add(deck, _rows(), NOW)
    assert [c.question for c in added] == ["Why us?"]  # only what was not in the deck yet
    assert len(bigger.cards) == 3


def test_each_good_rating_pushes_the_next_review_further_away():
    deck, at, gaps = _deck(), NOW, []
    for _ in range(4):
        deck, card = practice.rate(deck, "acme/round-1/1", "good", at)
        gaps.append(card.due() - at)
        at = card.due()
    assert gaps == sorted(gaps) and len(set(gaps)) == len(gaps)
    assert gaps[-1] > timedelta(days=7)


def test_again_brings_a_card_back_sooner_than_good_would():
    deck, at = _deck(), NOW
    for _ in range(3):
        deck, card = practice.rate(deck, "acme/round-1/1", "good", at)
        at = card.due()
    _, good = practice.rate(deck, "acme/round-1/1", "good", at)
    _, again = practice.rate(deck, "acme/round-1/1", "again", at)
    assert again.due() - at < good.due() - at
    assert again.due() - at <= timedelta(days=1)
    assert [r.grade.value for r in again.reviews] == ["good", "good", "good", "again"]


def test_a_card_rated_is_no_longer_due_until_its_day_comes():
    deck, card = practice.rate(_deck(), "acme/round-1/3", "easy", NOW)
    assert "acme/round-1/3" not in {c.id for c in practice.due(deck, NOW)}
    assert "acme/round-1/3" in {c.id for c in practice.due(deck, card.due())}


def test_an_unknown_card_or_grade_is_one_clear_error():
    with pytest.raises(NotFound, match="no card 'nope'"):
        practice.rate(_deck(), "nope", "good", NOW)
    with pytest.raises(UsageError, match="expected one of again, hard, good, easy"):
        practice.rate(_deck(), "acme/round-1/1", "great", NOW)


def test_a_renumbered_answer_does_not_come_back_as_a_second_card():
    deck = _deck()
    renumbered = [r for r in _rows() if r.question == "Your biggest failure?"]
    moved = [questions.Asked(**{**vars(renumbered[0]), "card": "acme/round-1/2"})]
    assert practice.add(deck, moved, NOW)[1] == []
