"""The question bank: every question from every debrief in the workbook, with how it went.

A question's kind (behavioural, technical, case, motivation, salary, other) is the one recorded
with the answer, else guessed from its words by the plain rules in `KIND_WORDS`: nothing is sent
anywhere to decide it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from followup.core.model import AnswerReview, Opportunity, QuestionKind, Reaction

#: The words that make a question of each kind, tried in this order (the first that matches
#: wins): a salary question often also says "why", a case question often says "how would you".
KIND_WORDS: tuple[tuple[QuestionKind, tuple[str, ...]], ...] = (
    (
        QuestionKind.SALARY,
        (
            "salary",
            "compensation",
            "pay ",
            "paid",
            "expectations",
            "package",
            "day rate",
            "notice period",
            "equity",
            "bonus",
        ),
    ),
    (
        QuestionKind.MOTIVATION,
        (
            "why do you want",
            "why us",
            "why this",
            "why are you",
            "why did you",
            "why leave",
            "why our",
            "why the",
            "what attracts",
            "what interests",
            "interested in",
            "motivat",
            "where do you see yourself",
            "five years",
            "passion",
        ),
    ),
    (
        QuestionKind.BEHAVIOURAL,
        (
            "tell me about a time",
            "tell us about a time",
            "describe a time",
            "describe a situation",
            "give an example",
            "give me an example",
            "a time when",
            "a time you",
            "describe research",
            "describe a project",
            "conflict",
            "disagree",
            "failure",
            "mistake",
            "feedback",
            "stakeholder",
            "weakness",
            "strength",
            "proud",
            "difficult",
            "challenge",
        ),
    ),
    (
        QuestionKind.CASE,
        (
            "case",
            "estimate",
            "how many",
            "market size",
            "suppose",
            "imagine",
            "what would you do",
            "how would you",
            "walk me through how",
            "prioriti",
            "a client",
            "brain teaser",
        ),
    ),
    (
        QuestionKind.TECHNICAL,
        (
            "sql",
            "python",
            "code",
            "coding",
            "algorithm",
            "complexity",
            "statistic",
            "sample size",
            "significance",
            "regression",
            "model",
            "database",
            "system design",
            "design a",
            "architecture",
            "api",
            "test",
            "method",
            "query",
            "data structure",
            "how do you decide",
            "how does",
            "what is the difference",
            "explain",
        ),
    ),
)

#: How an answer landed, from worst to best.
WEAK = "weak"
MIXED = "mixed"
GOOD = "good"
NOT_RATED = "not rated"


def kind_of(question: str) -> QuestionKind:
    """The kind a question's words say (OTHER when no rule matches)."""
    text = f" {question.lower()} "
    for kind, words in KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return QuestionKind.OTHER


def answer_kind(answer: AnswerReview) -> QuestionKind:
    """The kind recorded with the answer, else the one its question's words say."""
    return answer.kind if answer.kind is not None else kind_of(answer.question)


def landed(answer: AnswerReview) -> str:
    """How the answer went, in one word: weak (a rating of 2 or less, or a negative reaction),
    good (positive, or every rating 4 or more), mixed otherwise; 'not rated' with nothing to go by.
    """
    scores = [s for s in (answer.example_compelling, answer.key_point_clear) if s is not None]
    if answer.reaction is Reaction.NEGATIVE or any(s <= 2 for s in scores):
        return WEAK
    if answer.reaction is None and not scores:
        return NOT_RATED
    if answer.reaction is Reaction.POSITIVE and all(s >= 4 for s in scores):
        return GOOD
    if answer.reaction is None and all(s >= 4 for s in scores):
        return GOOD
    return MIXED


def to_improve(answer: AnswerReview) -> bool:
    """An answer worth working on: it went weak, or the debrief says what to do better."""
    return landed(answer) == WEAK or bool(answer.improve)


@dataclass(frozen=True)
class Asked:
    """One question as the bank lists it: where and when it was asked, and how the answer went."""

    opportunity: str
    company: str
    role: str
    round: str
    round_name: str
    starts_at: datetime | None
    question: str
    kind: QuestionKind
    asked_by: str
    my_answer: str
    reaction: str
    landed: str
    improve: str
    notes: str
    #: The question's name for practice: `<opportunity>/<round>/<number in the debrief>`.
    card: str

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["starts_at"] = self.starts_at.isoformat() if self.starts_at else None
        return data


def _asked(o: Opportunity, round_index: int, answer_index: int, answer: AnswerReview) -> Asked:
    interview = o.rounds[round_index]
    return Asked(
        opportunity=o.id,
        company=o.company,
        role=o.role,
        round=interview.key,
        round_name=interview.name,
        starts_at=interview.starts_at,
        question=answer.question,
        kind=answer_kind(answer),
        asked_by=answer.asked_by,
        my_answer=answer.my_answer,
        reaction=answer.reaction.value if answer.reaction else "",
        landed=landed(answer),
        improve=answer.improve,
        notes=answer.reaction_note,
        card=card_id(o.id, interview.key, answer_index),
    )


def card_id(opportunity_id: str, round_key: str, answer_index: int) -> str:
    """The name practice gives one answer: `<opportunity>/<round>/<its number, from 1>`."""
    return f"{opportunity_id}/{round_key}/{answer_index + 1}"


def bank(opportunities: Iterable[Opportunity]) -> list[Asked]:
    """Every question with words in every debrief, most recent round first (then by company)."""
    rows = [
        _asked(o, r, a, answer)
        for o in opportunities
        for r, interview in enumerate(o.rounds)
        for a, answer in enumerate(interview.debrief.answers)
        if answer.question
    ]
    rows.sort(key=lambda q: (q.company.lower(), q.opportunity, q.round_name))
    rows.sort(key=lambda q: q.starts_at.timestamp() if q.starts_at else float("-inf"), reverse=True)
    return rows


def search(
    rows: Iterable[Asked], text: str | None = None, kind: QuestionKind | str | None = None
) -> list[Asked]:
    """The rows whose words hold every word of `text` (any case), of `kind` when given."""
    words = re.findall(r"\w+", (text or "").lower())
    wanted = QuestionKind(kind) if kind else None
    found = []
    for row in rows:
        if wanted is not None and row.kind is not wanted:
            continue
        haystack = " ".join(
            (row.question, row.my_answer, row.improve, row.notes, row.company, row.role)
        ).lower()
        if all(word in haystack for word in words):
            found.append(row)
    return found


# Rendering

_HEADERS = ("Company", "Round", "Day", "Kind", "Landed", "Question", "To improve")


def _day(row: Asked) -> str:
    return row.starts_at.date().isoformat() if row.starts_at else ""


def _cells(row: Asked) -> list[str]:
    return [
        row.company,
        row.round_name,
        _day(row),
        row.kind.value,
        row.landed,
        row.question,
        row.improve,
    ]


def to_csv(rows: Iterable[Asked]) -> str:
    """The bank as CSV, every cell guarded against formula injection (as `followup compare`)."""
    from followup.compare.tables import csv_text

    columns = [*_HEADERS, "Asked by", "My answer", "Reaction", "Notes", "Card"]
    return csv_text(
        columns,
        ([*_cells(r), r.asked_by, r.my_answer, r.reaction, r.notes, r.card] for r in rows),
    )


def to_json(rows: Iterable[Asked]) -> str:
    return json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(rows: Iterable[Asked]) -> str:
    """The bank for a terminal: one line per question, then its note to improve beneath."""
    rows = list(rows)
    if not rows:
        return "No questions found.\n"
    lines = []
    for row in rows:
        head = f"{_day(row) or '—':<10}  {row.kind.value:<11} {row.landed:<9}"
        lines.append(f"{head} {row.company} · {row.round_name}")
        lines.append(f"            {_clip(row.question, 100)}")
        if row.improve:
            lines.append(f"            to improve: {_clip(row.improve, 88)}")
    count = len(rows)
    lines.append(f"\n{count} question{'s' if count != 1 else ''}.")
    return "\n".join(lines) + "\n"
