"""The story bank: the examples you tell, in the situation–task–action–result shape, and which
of them fit the questions you may get.

`stories.yaml` at the workbook's root holds them (read and written by `followup.storage.stories`).
A story fits a question when it has answered that question before, when it has answered
questions of the same kind, and when they share words (a tag counts twice: it is the strength
the story shows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from followup.core.stories import Story, StoryBank
from followup.prep.questions import kind_of

__all__ = ["Fit", "Story", "StoryBank", "fit", "suggest", "words"]


#: Words that say nothing about what a question is about.
_STOP_TEXT = """a about after again all an and any are as at be been before being but by can
could did do does doing for from had has have how i if in into is it its just me more most my no
not of on once only or other our out over own same so some such than that the their them then
there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours tell describe give example time times walk
talk us"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> set[str]:
    """The meaningful words of a text, lower case, a plural's trailing s dropped."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        found.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return found


@dataclass(frozen=True)
class Fit:
    """A story that fits a question, and why."""

    story: Story
    question: str
    score: int
    reasons: tuple[str, ...]


#: What each reason a story fits is worth; a story needs MIN_SCORE to be suggested.
SAME_QUESTION = 6
SAME_KIND = 2
PER_WORD = 1
PER_TAG = 2
MIN_SCORE = 3


def fit(story: Story, question: str) -> Fit:
    """How well `story` fits `question`: its score and the reasons, in words."""
    asked = words(question)
    reasons = []
    score = 0
    told = [q for q in story.questions if q.strip()]
    if any(words(q) == asked and asked for q in told):
        score += SAME_QUESTION
        reasons.append("it answered this question before")
    kind = kind_of(question)
    if told and any(kind_of(q) is kind for q in told):
        score += SAME_KIND
        reasons.append(f"it answered {kind.value} questions")
    tags = {w for tag in story.tags for w in words(tag)} & asked
    if tags:
        score += PER_TAG * len(tags)
        shown = [tag for tag in story.tags if words(tag) & tags]
        reasons.append("it shows " + ", ".join(shown))
    body = words(" ".join((story.title, story.situation, story.task, story.action, story.result)))
    shared = (body & asked) - tags
    if shared:
        score += PER_WORD * len(shared)
        reasons.append("it speaks of " + ", ".join(sorted(shared)))
    return Fit(story, question, score, tuple(reasons))


def suggest(
    stories: Sequence[Story], questions: Iterable[str], *, per_question: int = 2
) -> list[Fit]:
    """The stories that fit each question best (at most `per_question`, each at least MIN_SCORE),
    in the questions' order."""
    found = []
    for question in dict.fromkeys(q for q in questions if q.strip()):
        fits = [f for f in (fit(s, question) for s in stories) if f.score >= MIN_SCORE]
        fits.sort(key=lambda f: (-f.score, f.story.title.lower()))
        found.extend(fits[:per_question])
    return found
