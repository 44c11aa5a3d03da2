"""The story bank and the practice deck as records: what `stories.yaml` and `practice.yaml` hold.

Pure values, like the rest of the model; `followup.storage.stories` reads and writes them and
`followup.prep` works with them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from followup.core.errors import NotFound
from followup.core.model import Moment, Record, SingleLine, slugify, unique_id


class Story(Record):
    """One example to tell: what happened, what you did, what came of it."""

    id: str = Field("", description="Its short name; blank: made from the title.")
    title: SingleLine = Field(min_length=1, description="A few words you recognise it by.")
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    tags: list[SingleLine] = Field(
        default_factory=list, description="The strengths it shows: 'influence', 'rigour'…"
    )
    questions: list[str] = Field(
        default_factory=list, description="Questions it has answered, in your words."
    )


class StoryBank(Record):
    """Everything in `stories.yaml`."""

    stories: list[Story] = Field(default_factory=list)

    @model_validator(mode="after")
    def _named(self) -> StoryBank:
        taken: set[str] = set()
        for story in self.stories:
            name = story.id or slugify(story.title, fallback="story")
            if story.id and story.id in taken:
                raise ValueError(f"two stories have the id {story.id!r}: expected each once")
            name = unique_id(name, frozenset(taken)) if not story.id else name
            object.__setattr__(story, "id", name)
            taken.add(name)
        return self


class Grade(StrEnum):
    """How recalling the answer went, as FSRS reads it."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


class Review(Record):
    at: Moment
    grade: Grade


class PracticeCard(Record):
    """One question to drill, with FSRS's memory of it."""

    id: str = Field(min_length=1, description="The bank's card name: opportunity/round/number.")
    question: str = Field(min_length=1)
    note: str = Field("", description="What to do better, from the debrief.")
    memory: dict[str, Any] = Field(
        default_factory=dict, description="FSRS's state of the card (written by followup)."
    )
    reviews: list[Review] = Field(default_factory=list)

    @field_validator("memory")
    @classmethod
    def _readable(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value:
            try:
                fsrs_card(value)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(
                    f"expected FSRS card state as followup writes it ({exc})"
                ) from None
        return value

    def due(self) -> datetime:
        return fsrs_card(self.memory).due


class Deck(Record):
    """Everything in `practice.yaml`."""

    cards: list[PracticeCard] = Field(default_factory=list)

    def card(self, card_id: str) -> PracticeCard:
        for card in self.cards:
            if card.id == card_id:
                return card
        known = ", ".join(c.id for c in self.cards) or "none yet"
        raise NotFound(f"practice.yaml: no card {card_id!r} (cards: {known})")


def fsrs_card(memory: dict[str, Any]) -> Any:
    from fsrs import Card

    return Card.from_dict(memory)  # type: ignore[arg-type]
