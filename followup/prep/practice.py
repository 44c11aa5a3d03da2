"""Spaced practice of interview answers, scheduled by FSRS (the `fsrs` package).

A card is one question to drill: by default every answer the question bank says to improve.
Each rating (again, hard, good, easy) goes to FSRS, which says when the card is due next: soon
after "again", further away after each "good". The deck is kept in `practice.yaml` at the
workbook's root (read and written by `followup.storage.stories`). Pure: `now` is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from followup.core import formats
from followup.core.errors import UsageError
from followup.core.stories import Deck, Grade, PracticeCard, Review, fsrs_card
from followup.prep.questions import WEAK, Asked

__all__ = ["Deck", "Grade", "PracticeCard", "add", "drop", "due", "rate", "scheduler"]


def scheduler() -> Any:
    """FSRS with its published defaults and no random fuzz (the same ratings give the same days)."""
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def _new_memory(number: int, now: datetime) -> dict[str, Any]:
    from fsrs import Card

    return Card(card_id=number, due=now.astimezone(UTC)).to_dict()


def add(deck: Deck, rows: Iterable[Asked], now: datetime) -> tuple[Deck, list[PracticeCard]]:
    """The deck with a card for each row not in it yet (due now), and the cards added.

    A row is in the deck when its card id is, or when the deck has the same question of the same
    opportunity: removing an earlier answer in a debrief renumbers the later ones, and their
    cards must not come back twice.
    """
    taken = {c.id for c in deck.cards}
    asked = {(c.id.split("/", 1)[0], c.question) for c in deck.cards}
    added = []
    for row in rows:
        if row.card in taken or (row.opportunity, row.question) in asked:
            continue
        taken.add(row.card)
        asked.add((row.opportunity, row.question))
        memory = _new_memory(len(deck.cards) + len(added) + 1, now)
        added.append(
            PracticeCard(id=row.card, question=row.question, note=row.improve, memory=memory)
        )
    return Deck(cards=[*deck.cards, *added]), added


def to_improve(rows: Iterable[Asked]) -> list[Asked]:
    """The answers practice drills by default: those that went weak or have a note to improve."""
    return [r for r in rows if r.landed == WEAK or r.improve]


def due(deck: Deck, now: datetime) -> list[PracticeCard]:
    """The cards due at `now`, the longest overdue first."""
    found = [c for c in deck.cards if c.due() <= now]
    return sorted(found, key=lambda c: (c.due(), c.id))


def when_due(moment: datetime | None, zone: tzinfo | None) -> str:
    """When a card is due, in the person's zone: FSRS keeps it in UTC, which is nobody's "there"."""
    if moment is None:
        return ""
    return formats.when(moment.astimezone(zone) if zone is not None else moment, zone)


def next_due(deck: Deck) -> datetime | None:
    return min((c.due() for c in deck.cards), default=None)


def rate(deck: Deck, card_id: str, grade: Grade | str, now: datetime) -> tuple[Deck, PracticeCard]:
    """The deck after rating one card at `now`, and the card as FSRS has rescheduled it."""
    from fsrs import Rating

    try:
        grade = Grade(str(grade).lower())
    except ValueError:
        choices = ", ".join(g.value for g in Grade)
        raise UsageError(f"--rate: expected one of {choices}, got {grade!r}") from None
    card = deck.card(card_id)
    memory = fsrs_card(card.memory)
    rating = {
        Grade.AGAIN: Rating.Again,
        Grade.HARD: Rating.Hard,
        Grade.GOOD: Rating.Good,
        Grade.EASY: Rating.Easy,
    }[grade]
    memory, _ = scheduler().review_card(memory, rating, now.astimezone(UTC))
    changed = card.model_copy(
        update={
            "memory": memory.to_dict(),
            "reviews": [*card.reviews, Review(at=now, grade=grade)],
        }
    )
    cards = [changed if c.id == card_id else c for c in deck.cards]
    return Deck(cards=cards), changed


def drop(deck: Deck, card_id: str) -> Deck:
    """The deck without one card."""
    deck.card(card_id)
    return Deck(cards=[c for c in deck.cards if c.id != card_id])
