"""What repeats across rounds and companies: ratings over time, weak spots, repeated questions and
research still open.

Pure Python, rows of plain values: `followup compare` prints them without loading pandas, and
`compare.py` makes its DataFrames from the same rows for the notebooks, HTML and JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from followup.core import formats
from followup.core.model import (
    REFLECTION_AREAS,
    AnswerReview,
    Interview,
    Opportunity,
    ResearchTopic,
)

#: A rating at or below this is low; an area is a weak spot once rated low more than once.
LOW_RATING = 2

ANSWER_AREAS: dict[str, str] = {
    "example_compelling": "Examples compelling",
    "key_point_clear": "Key point clear",
}

#: One row of a table: column name to a plain value (None when there is nothing).
Row = dict[str, Any]

ROUND_COLUMNS = [
    "opportunity",
    "company",
    "status",
    "round",
    "round_name",
    "starts_at",
    "format",
    "interviewers",
    "thank_yous_sent",
    "answers",
    "answer_score",
    "overall_rating",
    "research_open",
]
ANSWER_COLUMNS = [
    "opportunity",
    "company",
    "round",
    "starts_at",
    "question",
    "reaction",
    "example_compelling",
    "key_point_clear",
    "improve",
]
RATINGS_OVER_TIME_COLUMNS = [
    "starts_at",
    "company",
    "round_name",
    "answer_score",
    "overall_rating",
    "running_answer_score",
]
WEAK_SPOT_COLUMNS = [
    "kind",
    "area",
    "average",
    "ratings",
    "rated_low",
    "lowest_rated",
    "to_improve",
]
REPEATED_QUESTION_COLUMNS = ["question", "times", "companies"]
OPEN_RESEARCH_COLUMNS = ["company", "status", "round", "topic", "process_open"]


Answered = list[tuple[Opportunity, Interview, str, list[AnswerReview]]]


def answered(opportunities: Iterable[Opportunity]) -> Answered:
    """Each round with its key and its reviewed answers, worked out once for all the tables."""
    return [(o, r, r.key, r.debrief.reviewed_answers()) for o in opportunities for r in o.rounds]


def round_rows(rounds: Answered) -> list[Row]:
    """One row per round: when (None or aware), how it went, thank-yous and open research."""
    rows = []
    for o, r, key, answers in rounds:
        rows.append(
            {
                "opportunity": o.id,
                "company": o.company,
                "status": o.status.value,
                "round": key,
                "round_name": r.name,
                "starts_at": r.starts_at,
                "format": r.format.value if r.format else "",
                "interviewers": len(r.interviewers),
                "thank_yous_sent": sum(1 for p in r.interviewers if p.thank_you.sent_at),
                "answers": len(answers),
                "answer_score": answer_score(answers),
                "overall_rating": r.debrief.overall_rating,
                "research_open": len(r.debrief.open_topics()),
            }
        )
    return rows


def answer_score(answers: list[AnswerReview]) -> float | None:
    """How a round's answers went: the mean of all their ratings (None when none is rated)."""
    scores = [s for a in answers for k in ANSWER_AREAS if (s := getattr(a, k)) is not None]
    return sum(scores) / len(scores) if scores else None


def answer_rows(rounds: Answered) -> list[Row]:
    """One row per answer review, across every round of every opportunity."""
    return [_answer_row(o, r, key, a) for o, r, key, answers in rounds for a in answers]


def _answer_row(o: Opportunity, r: Interview, key: str, a: AnswerReview) -> Row:
    return {
        "opportunity": o.id,
        "company": o.company,
        "round": key,
        "starts_at": r.starts_at,
        "question": a.question,
        "reaction": a.reaction.value if a.reaction else "",
        "example_compelling": a.example_compelling,
        "key_point_clear": a.key_point_clear,
        "improve": a.improve,
    }


@dataclass(frozen=True)
class TrendRows:
    """What repeats across rounds and companies, as rows (columns in the *_COLUMNS lists)."""

    ratings_over_time: list[Row]
    weak_spots: list[Row]
    repeated_questions: list[Row]
    open_research: list[Row]


def trend_rows(opportunities: Iterable[Opportunity], *, over_time: bool = True) -> TrendRows:
    """Average ratings over time, lowest-rated areas, repeated questions, open research topics.

    `over_time=False` leaves the ratings over time out (empty), for a face that does not show them.
    """
    gathered = Gathered()
    for o in opportunities:
        gathered.add(o)
    return gathered.rows(over_time=over_time)


class Gathered:
    """What the trend tables need from each opportunity, gathered in one pass over the workbook.

    All of it is taken from an opportunity while its objects are at hand: thousands of
    opportunities do not fit in the processor's cache, and a pass per table took a quarter longer.
    """

    def __init__(self) -> None:
        self.reviewed: Answered = []
        self.answers: list[Row] = []
        self.overall: list[int | None] = []
        self.reflected: dict[str, list[tuple[int, str]]] = {area: [] for area in REFLECTION_AREAS}
        self.research: list[Row] = []

    def add(self, o: Opportunity) -> None:
        for r in o.rounds:
            key, debrief = r.key, r.debrief
            kept = debrief.reviewed_answers()
            self.reviewed.append((o, r, key, kept))
            self.answers.extend(_answer_row(o, r, key, a) for a in kept)
            self.overall.append(debrief.overall_rating)
            self.research.extend(_research_row(o, r, t) for t in debrief.open_topics())
        for area, rating in o.reflection.ratings().items():
            if rating.score is not None:
                self.reflected[area].append((rating.score, o.company))

    def passing(self, opportunities: Iterable[Opportunity]) -> Iterator[Opportunity]:
        """Each opportunity, gathered on its way to another pass (the ranking's), so that the
        workbook is walked once for both."""
        for o in opportunities:
            self.add(o)
            yield o

    def rows(self, *, over_time: bool = True) -> TrendRows:
        return TrendRows(
            ratings_over_time(self.reviewed) if over_time else [],
            weak_spots(self.answers, self.overall, self.reflected),
            repeated_questions(self.answers),
            _open_first(self.research),
        )


def ratings_over_time(rounds: Answered) -> list[Row]:
    """The dated rounds in time order, with the running average of the answer scores."""
    dated = sorted((x for x in rounds if x[1].starts_at is not None), key=_instant)
    scores = [answer_score(answers) for _, _, _, answers in dated]
    return [
        {
            "starts_at": r.starts_at,
            "company": o.company,
            "round_name": r.name,
            "answer_score": score,
            "overall_rating": r.debrief.overall_rating,
            "running_answer_score": None if mean is None else formats.rounded(mean, 2),
        }
        for (o, r, _, _), score, mean in zip(dated, scores, running_mean(scores), strict=True)
    ]


def _instant(round_: tuple[Opportunity, Interview, str, list[AnswerReview]]) -> float:
    return round_[1].starts_at.timestamp()  # as exact as microseconds, and quicker to compare


def running_mean(values: list[float | None]) -> list[float | None]:
    """The mean of the values so far (None ones left out), summed with Kahan's compensation and
    an unchanged run kept exact, as pandas' `expanding().mean()` does, so both agree to the bit."""
    out: list[float | None] = []
    count, total, compensation = 0, 0.0, 0.0
    same, previous = 0, float("nan")
    for value in values:
        if value is not None:
            count += 1
            y = value - compensation
            t = total + y
            compensation = t - total - y
            total = t
            same = same + 1 if value == previous else 1
            previous = value
        if not count:
            out.append(None)
        elif same >= count:
            out.append(float(previous))
        else:
            out.append(total / count)
    return out


def weak_spots(
    answers: list[Row], overall: list[int | None], reflected: dict[str, list[tuple[int, str]]]
) -> list[Row]:
    """Areas rated low (1 or 2) more than once, lowest average first: in your answers
    (`answer_rows`), in the rounds' overall ratings, and in your reflection on the opportunities
    (each area's scores, with the company rated, in workbook order)."""
    rows = []
    for column, label in ANSWER_AREAS.items():
        ratings = [a[column] for a in answers]
        values = [v for v in ratings if v is not None]
        if not values:
            continue
        worst = answers[ratings.index(min(values))]  # the first of the lowest
        rows.append(_weak_row("your answers", label, values, worst["question"], worst["improve"]))
    overall = [rating for rating in overall if rating is not None]
    if overall:
        rows.append(_weak_row("your rounds", "Overall round rating", overall, "", ""))
    for area, pairs in reflected.items():
        if pairs:
            lowest = min(pairs)
            rows.append(_weak_row("the opportunities", area, [s for s, _ in pairs], lowest[1], ""))
    # A weak spot is an area rated low more than once, not a single bad moment.
    weak = [r for r in rows if r["rated_low"] > 1]
    return sorted(weak, key=lambda r: (r["average"], r["area"]))


def _weak_row(kind: str, area: str, values: list[int], lowest: str, improve: str) -> Row:
    return {
        "kind": kind,
        "area": area,
        "average": round(sum(values) / len(values), 2),
        "ratings": len(values),
        "rated_low": sum(1 for v in values if v <= LOW_RATING),
        "lowest_rated": lowest,
        "to_improve": improve,
    }


def normalise_question(text: str) -> str:
    """A question without case, punctuation or extra spaces: how two askings are matched."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def repeated_questions(answers: list[Row]) -> list[Row]:
    """Questions asked at more than one company, most asked first (worded as first asked)."""
    groups: dict[str, list[Row]] = {}
    keys: dict[str, str] = {}  # the same wording comes back often: normalise it once
    for a in answers:
        question = a["question"]
        if question:
            key = keys.get(question)
            if key is None:
                key = keys[question] = normalise_question(question)
            groups.setdefault(key, []).append(a)
    rows = []
    for group in groups.values():
        companies = sorted({a["company"] for a in group})
        if len(companies) < 2:
            continue
        rows.append(
            {
                "question": group[0]["question"],
                "times": len(group),
                "companies": ", ".join(companies),
            }
        )
    return sorted(rows, key=lambda r: (-r["times"], r["question"]))


def _research_row(o: Opportunity, r: Interview, topic: ResearchTopic) -> Row:
    return {
        "company": o.company,
        "status": o.status.value,
        "round": r.name,
        "topic": topic.topic,
        "process_open": not o.status.ended,
    }


def _open_first(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: not r["process_open"])
