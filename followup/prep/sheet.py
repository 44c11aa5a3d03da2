"""The prep sheet for an upcoming round: what to read the evening before, as one value.

Pure: the opportunity, the workbook's other opportunities, the story bank, `now` and the policy
in; a `PrepSheet` out. What it gathers:

- when and where (the one way a time reads: `formats.when`), the format and the length;
- who you will meet: each interviewer's title, what was noted about them, the rounds you met them;
- what you said you would research, open or done;
- the answers of earlier rounds of this process that went weak or have a note to improve;
- the questions asked for similar roles elsewhere (a role's words must overlap; a process for an
  unrelated role gives nothing), with how your answer went;
- the stories that fit those questions;
- the numbers: your salary range and every figure said earlier in this process, to stay
  consistent;
- questions to ask them, and the recruiter's timeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from followup.core import formats
from followup.core.errors import NotFound
from followup.core.model import (
    REFLECTION_AREAS,
    Interview,
    Opportunity,
    QuestionKind,
    SalaryRange,
)
from followup.core.policy import DEFAULT_POLICY, Policy
from followup.prep.questions import WEAK, Asked, bank, landed
from followup.prep.stories import Fit, Story, suggest
from followup.steps.base import held_or_planned, upcoming_interviews

#: Words of a role title that say nothing about the work ("Senior Data Analyst" ~ "Data Analyst").
_ROLE_NOISE_TEXT = """senior junior lead principal staff head chief associate assistant intern
graduate entry mid level i ii iii iv and of the for in at a an to remote hybrid contract"""
ROLE_NOISE = frozenset(_ROLE_NOISE_TEXT.split())
#: At most this many questions from other processes are listed (the most recent first).
MAX_LIKELY = 12


def role_words(role: str) -> set[str]:
    """The words of a role title that say what the work is."""
    return {w for w in re.findall(r"[a-z0-9]+", role.lower()) if w not in ROLE_NOISE}


def similar_roles(a: str, b: str) -> bool:
    """True when two role titles share a word about the work (UX Researcher ~ User Researcher)."""
    return bool(role_words(a) & role_words(b))


@dataclass(frozen=True)
class PersonToMeet:
    name: str
    title: str
    notes: tuple[str, ...]
    met_in: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    topic: str
    done: bool
    round_name: str


@dataclass(frozen=True)
class Said:
    """A figure said earlier in this process: where, the words, and the figures in them."""

    round_name: str
    text: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class PrepSheet:
    """Everything the prep sheet shows for one upcoming round."""

    opportunity: Opportunity
    interview: Interview
    now: datetime
    zone: tzinfo | None
    when: str
    zone_label: str
    where: str
    link: str
    format: str
    length: str
    people: list[PersonToMeet] = field(default_factory=list)
    research: list[Topic] = field(default_factory=list)
    improve: list[Asked] = field(default_factory=list)
    likely: list[Asked] = field(default_factory=list)
    stories: list[Fit] = field(default_factory=list)
    salary: SalaryRange | None = None
    said: list[Said] = field(default_factory=list)
    to_ask: list[str] = field(default_factory=list)
    timeline: str = ""

    @property
    def upcoming(self) -> bool:
        start = self.interview.starts_at
        return start is None or start > self.now

    def summary(self) -> dict[str, object]:
        """What a batch run records about the sheet (and the index shows)."""
        o, r = self.opportunity, self.interview
        return {
            "kind": "prep",
            "opportunity": o.id,
            "company": o.company,
            "role": o.role,
            "round": r.key,
            "round_name": r.name,
            "starts_at": r.starts_at.isoformat() if r.starts_at else None,
            "when": self.when,
            "people": len(self.people),
            "research_open": sum(1 for t in self.research if not t.done),
            "to_improve": len(self.improve),
            "likely": len(self.likely),
            "stories": len({f.story.id for f in self.stories}),
        }


def rounds_to_come(
    opportunities: Iterable[Opportunity], now: datetime
) -> list[tuple[Opportunity, Interview]]:
    """The rounds a prep sheet is made for: still to come, in a process still open; soonest
    first."""
    return [(o, r) for o, r in upcoming_interviews(opportunities, now) if not o.status.ended]


def pick_round(opportunity: Opportunity, now: datetime, name: str | None = None) -> Interview:
    """The round named (key, name or number), else the next one still to come; NotFound when
    there is none."""
    if name:
        return opportunity.round(name)
    planned = held_or_planned(opportunity)
    ahead = [r for r in planned.rounds if r.starts_at is not None and r.starts_at > now]
    if not ahead:
        undated = [r for r in planned.rounds if r.starts_at is None]
        if undated:
            return undated[-1]
        raise NotFound(
            f"{opportunity.id}: no round still to come; add the next round, or name one "
            "with --round"
        )
    return min(ahead, key=lambda r: r.starts_at)


def earlier_rounds(
    opportunity: Opportunity, interview: Interview, now: datetime
) -> list[Interview]:
    """The rounds of this process before `interview` (held ones, when it has no date)."""
    start = interview.starts_at or now
    return [
        r
        for r in held_or_planned(opportunity).rounds
        if r is not interview and r.key != interview.key and r.starts_at and r.starts_at < start
    ]


def _people(interview: Interview, before: Sequence[Interview]) -> list[PersonToMeet]:
    people = []
    for person in interview.interviewers:
        notes = [person.personal_note] if person.personal_note else []
        met = []
        for r in before:
            for other in r.interviewers:
                if other.name == person.name:
                    met.append(r.name)
                    if other.personal_note and other.personal_note not in notes:
                        notes.append(other.personal_note)
            for answer in r.debrief.answers:
                asker = r.interviewer_named(answer.asked_by)
                if asker is not None and asker.name == person.name and answer.question:
                    how = landed(answer)
                    note = f" ({answer.reaction_note})" if answer.reaction_note else ""
                    notes.append(
                        f"In {r.name} asked: {answer.question} Your answer went {how}.{note}"
                    )
        people.append(PersonToMeet(person.name, person.title, tuple(notes), tuple(met)))
    return people


#: A money figure: 55,000 / 55.000 / 55k / £55,000 / 55 000 EUR / 60-65k.
_FIGURE = re.compile(
    r"(?:[£$€¥]\s?)?\d{1,3}(?:[ ,.]\d{3})+(?:\s?(?:k|K))?(?:\s?[A-Z]{3})?"
    r"|(?:[£$€¥]\s?)?\d+(?:\.\d+)?\s?(?:k|K)\b(?:\s?[A-Z]{3})?"
    r"|[£$€¥]\s?\d+(?:\.\d+)?"
    r"|\b\d{4,7}\s?(?:[A-Z]{3})\b"
)
_MONEY_WORDS = ("salary", "pay", "compensation", "package", "expect", "offer", "range", "rate")


def figures(text: str) -> tuple[str, ...]:
    """The money-like figures in a text, as written."""
    return tuple(m.group(0).strip() for m in _FIGURE.finditer(text))


def _said(before: Sequence[Interview]) -> list[Said]:
    said = []
    for r in before:
        for answer in r.debrief.answers:
            kind = answer.kind if answer.kind is not None else None
            texts = (answer.my_answer, answer.reaction_note, answer.improve)
            about_money = kind is QuestionKind.SALARY or any(
                w in answer.question.lower() for w in _MONEY_WORDS
            )
            for text in texts:
                found = figures(text)
                if found and (about_money or any(w in text.lower() for w in _MONEY_WORDS)):
                    said.append(Said(r.name, text, found))
        for text in (r.debrief.notes, r.debrief.overall_feeling):
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                found = figures(sentence)
                if found and any(w in sentence.lower() for w in _MONEY_WORDS):
                    said.append(Said(r.name, sentence, found))
    return said


def _to_ask(opportunity: Opportunity, research: Sequence[Topic]) -> list[str]:
    asks = []
    reflection = opportunity.reflection
    for area in REFLECTION_AREAS:
        rating = getattr(reflection, area)
        if rating.score is None:
            asks.append(f"Something that tells you about {area}: you have not rated it yet.")
        elif rating.score <= 2:
            note = f" ({rating.note})" if rating.note else ""
            asks.append(f"Your doubt about {area}, rated {rating.score} of 5{note}.")
    for dealbreaker in reflection.dealbreakers:
        asks.append(f"Check your dealbreaker: {dealbreaker}.")
    if reflection.what_i_want:
        asks.append(f"Whether they offer what you want: {reflection.what_i_want}")
    for topic in research:
        if not topic.done:
            asks.append(f"What you still need to find out: {topic.topic}.")
    timeline = opportunity.timeline
    if timeline is None or not timeline.given or timeline.decision_by is None:
        asks.append("What happens after this round, and by when you will hear.")
    return asks


def _timeline(opportunity: Opportunity) -> str:
    t = opportunity.timeline
    if t is None:
        return "Not recorded yet: ask what happens next and by when."
    if not t.given:
        return "The recruiter gave no timeline: ask for one at the end of this round."
    parts = [t.next_step] if t.next_step else []
    if t.decision_by:
        parts.append(f"News by {formats.day(t.decision_by)}.")
    if t.notes:
        parts.append(t.notes)
    return " ".join(parts) or "A timeline was given, without details."


def _likely(
    opportunity: Opportunity, others: Iterable[Opportunity], interview: Interview
) -> list[Asked]:
    similar = [
        o for o in others if o.id != opportunity.id and similar_roles(o.role, opportunity.role)
    ]
    asked = [
        q
        for q in bank(similar)
        if interview.starts_at is None or not q.starts_at or q.starts_at < interview.starts_at
    ]
    return asked[:MAX_LIKELY]


def _length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes"
    text = formats.plural(hours, "hour")
    return f"{text} {rest} minutes" if rest else text


def prep_sheet(
    opportunity: Opportunity,
    others: Iterable[Opportunity],
    stories: Sequence[Story],
    now: datetime,
    policy: Policy = DEFAULT_POLICY,
    round: str | None = None,
) -> PrepSheet:
    """The prep sheet for `round` (default: the next round still to come) of `opportunity`."""
    interview = pick_round(opportunity, now, round)
    zone = policy.zone if policy.zone is not None else now.tzinfo
    before = earlier_rounds(opportunity, interview, now)
    research = [Topic(t.topic, t.done, r.name) for r in before for t in r.debrief.research]
    own = bank([opportunity.model_copy(update={"rounds": before})])
    improve = [q for q in own if q.landed == WEAK or q.improve]
    likely = _likely(opportunity, others, interview)
    questions = [q.question for q in improve] + [q.question for q in likely]
    return PrepSheet(
        opportunity=opportunity,
        interview=interview,
        now=now,
        zone=zone,
        when=formats.when(interview.starts_at, zone) if interview.starts_at else "not set",
        zone_label=formats.zone_label(zone, now),
        where=interview.location,
        link=interview.link or "",
        format=interview.format.value if interview.format else "",
        length=_length(interview.duration_minutes),
        people=_people(interview, before),
        research=research,
        improve=improve,
        likely=likely,
        stories=suggest(stories, questions),
        salary=opportunity.salary_range,
        said=_said(before),
        to_ask=_to_ask(opportunity, research),
        timeline=_timeline(opportunity),
    )
