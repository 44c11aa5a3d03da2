"""The data model: what a person records about an opportunity, its rounds and the people met.

Pure values: no files, no widgets, no clock. Everything except what identifies a record is optional,
so a half-done debrief is a valid record.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from followup.core.formats import number
from followup.core.zones import place_zone

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MAX_LENGTH = 64
_ID_RE = re.compile(ID_PATTERN)


def is_valid_id(value: str) -> bool:
    """True for a safe slug: lowercase letters, digits and single '-' between them, not too long."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= ID_MAX_LENGTH
        and _ID_RE.fullmatch(value) is not None
    )


def slugify(text: str, *, fallback: str = "item") -> str:
    """A safe slug from free text: 'Jörg's Café, Round 2' -> 'jorgs-cafe-round-2'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:ID_MAX_LENGTH].rstrip("-")
    return slug or fallback


@functools.lru_cache(maxsize=4096)
def _round_key(name: str) -> str:
    """A round's key from its name, remembered: the name is the only input, so a renamed round
    simply looks up its new name (nothing to invalidate)."""
    return slugify(name, fallback="round")


def unique_id(base: str, taken: set[str] | frozenset[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first not in `taken` (kept within the id length)."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: ID_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        min_length=1,
        max_length=ID_MAX_LENGTH,
        description="A safe slug of lowercase letters, digits and '-', e.g. 'acme-data-analyst'.",
    ),
]
Score = Annotated[int, Field(ge=1, le=5, description="1 (poor) to 5 (excellent).")]
SingleLine = Annotated[str, Field(pattern=r"^[^\r\n\x00-\x1f\x7f]*$")]

#: Dates outside these years are typos (or hostile files): refused, so that date arithmetic in the
#: rules (a day later, two weeks later, another time zone) can never overflow.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def within_years(value: date) -> date:
    """`value` when its year is between EARLIEST_YEAR and LATEST_YEAR, else a ValueError."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            f"expected a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}, "
            f"got {value.isoformat()}"
        )
    return value


Day = Annotated[date, AfterValidator(within_years)]
Moment = Annotated[datetime, AfterValidator(within_years)]
#: A salary figure or a count of hours: zero or more, and a real number (not .inf or .nan).
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Record(BaseModel):
    """Common configuration: unknown fields are errors, assignments are validated."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        use_enum_values=False,
    )


class Status(StrEnum):
    """Where the hiring process stands for one opportunity."""

    ACTIVE = "active"
    OFFER = "offer"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no response"

    @property
    def ended(self) -> bool:
        """True when the hiring process is over (see ENDED_STATUSES)."""
        return self in ENDED_STATUSES


#: The one place that says which states end a hiring process. An offer is still open: it is
#: negotiated, then accepted or declined.
ENDED_STATUSES: frozenset[Status] = frozenset(
    {Status.ACCEPTED, Status.DECLINED, Status.REJECTED, Status.WITHDRAWN, Status.NO_RESPONSE}
)


class Stage(StrEnum):
    """A step of an application's way through a hiring process, as kept in its stage history.

    `applied` and `interviewing` are both the `active` status: the stage says which.
    """

    APPLIED = "applied"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no response"


class Source(StrEnum):
    """Where an application came from, to see which way in works best."""

    REFERRAL = "referral"
    JOB_BOARD = "job board"
    COMPANY_SITE = "company site"
    RECRUITER = "recruiter"
    OTHER = "other"


class Reaction(StrEnum):
    """How the interviewer seemed to take an answer."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    UNCLEAR = "unclear"


class Format(StrEnum):
    """How a round was held."""

    PHONE = "phone"
    VIDEO = "video"
    ONSITE = "onsite"
    PANEL = "panel"
    TECHNICAL = "technical"
    CASE = "case"
    OTHER = "other"


class Channel(StrEnum):
    """How a thank-you reaches an interviewer."""

    EMAIL = "email"
    CARD = "card"


class Period(StrEnum):
    """What a salary figure is paid per."""

    YEAR = "year"
    MONTH = "month"
    HOUR = "hour"


def _check_email(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not re.fullmatch(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+", value):
        raise ValueError(f"expected an email address like name@example.com, got {value!r}")
    return value


def _check_url(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not re.fullmatch(r"https?://[^\s]+", value):
        raise ValueError(f"expected a web address starting with https://, got {value!r}")
    return value


def _check_zone(value: str | None) -> str | None:
    """A zone that names a place (or UTC); an old name is kept as today's ('US/Eastern' ->
    'America/New_York'). See `followup.core.zones`."""
    if not value:
        return None
    return place_zone(value)


class Person(Record):
    """Someone met during the process: an interviewer or the recruiter."""

    name: SingleLine = Field(min_length=1, description="Their name as they write it.")
    title: SingleLine = ""
    email: str | None = Field(None, description="From their business card or the invitation.")
    phone: SingleLine = ""
    linkedin: str | None = Field(None, description="Their LinkedIn profile address.")
    card_collected: bool = Field(False, description="You have their business card.")
    personal_note: str = Field(
        "", description="Something personal from the conversation to mention in the thank-you."
    )
    linkedin_connected_on: Day | None = Field(
        None, description="When you connected on LinkedIn (only once the process has ended)."
    )

    _email = field_validator("email")(_check_email)
    _linkedin = field_validator("linkedin")(_check_url)


class ThankYou(Record):
    """The thank-you to one interviewer: an email note, and a handwritten card beside it if wanted.

    `sent_at` is when the note went out by `channel` (an email unless it says card, as earlier
    files record a card); `card_sent_on` is when a card went in the mail beside the email.
    """

    channel: Channel = Channel.EMAIL
    drafted_at: Moment | None = None
    sent_at: Moment | None = None
    card_sent_on: Day | None = Field(
        None, description="When a handwritten card went in the mail, beside the email note."
    )


class Interviewer(Person):
    """A person who interviewed you in a round, with the thank-you owed to them."""

    thank_you: ThankYou = Field(default_factory=ThankYou)


class QuestionKind(StrEnum):
    """What sort of question it was, for the question bank (`followup questions`)."""

    BEHAVIOURAL = "behavioural"
    TECHNICAL = "technical"
    CASE = "case"
    MOTIVATION = "motivation"
    SALARY = "salary"
    OTHER = "other"


class AnswerReview(Record):
    """One question from the round and how your answer landed."""

    question: str = ""
    kind: QuestionKind | None = Field(
        None, description="What sort of question (blank: guessed from its words)."
    )
    my_answer: str = Field("", description="What you said, in a line or two.")
    reaction: Reaction | None = Field(None, description="How the interviewer seemed to take it.")
    reaction_note: str = ""
    example_compelling: Score | None = Field(None, description="Was your example compelling? 1-5")
    key_point_clear: Score | None = Field(None, description="Was your key point clear? 1-5")
    improve: str = Field("", description="What you would do better next time.")
    asked_by: SingleLine = Field(
        "", description="Which interviewer asked it (their name), so their thank-you can recall it."
    )

    def is_empty(self) -> bool:
        # Most reviews name their question: then there is no need to compare every field.
        return not self.question and self == _empty_answer()


@functools.cache
def _empty_answer() -> AnswerReview:
    """The blank review, made once: `is_empty` runs for every answer of every round."""
    return AnswerReview()


class ResearchTopic(Record):
    """Something that came up and needs looking into before the next round."""

    topic: str = Field(min_length=1)
    done: bool = False


class Debrief(Record):
    """Your own review of a round, written while it is fresh."""

    answers: list[AnswerReview] = Field(default_factory=list)
    overall_feeling: str = ""
    overall_rating: Score | None = None
    research: list[ResearchTopic] = Field(default_factory=list)
    notes: str = ""

    def reviewed_answers(self) -> list[AnswerReview]:
        """The answers with something written or rated (an empty row left in a form is not)."""
        return [a for a in self.answers if not a.is_empty()]

    def is_recorded(self) -> bool:
        """A debrief counts as recorded once anything beyond research topics is written."""
        return bool(
            any(not a.is_empty() for a in self.answers)
            or self.overall_feeling
            or self.overall_rating
            or self.notes
        )

    def open_topics(self) -> list[ResearchTopic]:
        return [t for t in self.research if not t.done]


class Interview(Record):
    """One round of interviews."""

    name: SingleLine = Field(min_length=1, description="'Round 1', 'Phone screen', 'Onsite'…")
    starts_at: Moment | None = Field(
        None, description="When the round started, with its UTC offset (ISO 8601)."
    )
    timezone: str | None = Field(
        None, description="The round's IANA time zone, for example 'Europe/Berlin'."
    )
    duration_minutes: int = Field(60, ge=1, le=24 * 60)
    format: Format | None = None
    location: SingleLine = Field("", description="Where it takes place: an address or a room.")
    link: str | None = Field(None, description="The video call's address (Teams, Zoom, Meet…).")
    uid: SingleLine | None = Field(
        None, description="The calendar invitation's UID, so importing it again updates the round."
    )
    cancelled: bool = Field(False, description="The round was called off (METHOD:CANCEL).")
    interviewers: list[Interviewer] = Field(default_factory=list)
    debrief: Debrief = Field(default_factory=Debrief)

    _link = field_validator("link")(_check_url)

    _known_zone = field_validator("timezone")(_check_zone)

    @model_validator(mode="after")
    def _distinct_interviewers(self) -> Self:
        names = [i.name for i in self.interviewers]
        if len(names) != len(set(names)):
            raise ValueError(
                f"two interviewers in this round are named {_first_duplicate(names)!r}: "
                "expected each person once"
            )
        return self

    @model_validator(mode="after")
    def _aware_start(self) -> Self:
        start = self.starts_at
        if start is None:
            return self
        if start.tzinfo is None or start.utcoffset() is None:
            if not self.timezone:
                raise ValueError(
                    "starts_at has no time zone: add an offset such as +01:00 or set 'timezone'"
                )
            object.__setattr__(self, "starts_at", start.replace(tzinfo=ZoneInfo(self.timezone)))
        elif self.timezone:
            object.__setattr__(self, "starts_at", start.astimezone(ZoneInfo(self.timezone)))
        return self

    @property
    def key(self) -> str:
        """A slug of the round's name, used for file names and the `round` parameter."""
        return _round_key(self.name)

    @property
    def zone(self) -> Any:
        """The round's time zone: the named zone, else the fixed offset it was recorded with."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        return self.starts_at.tzinfo if self.starts_at else None

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None:
            return None
        # Elapsed time is added in UTC: wall-clock arithmetic would be wrong across a clock change.
        end = self.starts_at.astimezone(UTC) + timedelta(minutes=self.duration_minutes)
        return end.astimezone(self.zone)

    def interviewer_named(self, text: str) -> Interviewer | None:
        """The interviewer `text` names: their full name, or a first name only one of them has
        (any case); None when it names nobody, or more than one."""
        wanted = " ".join(text.split()).casefold()
        if not wanted:
            return None
        for person in self.interviewers:
            if " ".join(person.name.split()).casefold() == wanted:
                return person
        firsts = [
            p
            for p in self.interviewers
            if p.name.split() and p.name.split()[0].casefold() == wanted
        ]
        return firsts[0] if len(firsts) == 1 else None


class Timeline(Record):
    """What the recruiter said happens next. `given: false` records that nothing was said."""

    given: bool = Field(True, description="False when the recruiter gave no timeline.")
    next_step: str = Field("", description="What they said happens next.")
    decision_by: Day | None = Field(None, description="The date they gave for news.")
    checked_in_on: Day | None = Field(None, description="When you last checked in politely.")
    notes: str = ""

    @model_validator(mode="after")
    def _no_date_without_timeline(self) -> Self:
        if not self.given and self.decision_by is not None:
            raise ValueError("decision_by is set but given is false: a date means a timeline")
        return self


class Rating(Record):
    """A 1-5 rating with a note."""

    score: Score | None = None
    note: str = ""


REFLECTION_AREAS: tuple[str, ...] = ("people", "culture", "fit", "growth", "alignment")


class Reflection(Record):
    """Your own view of the opportunity: the interview is a chance to evaluate them too."""

    people: Rating = Field(default_factory=Rating, description="How you felt about the people.")
    culture: Rating = Field(default_factory=Rating, description="The culture, as you saw it.")
    fit: Rating = Field(default_factory=Rating, description="Whether you would fit in.")
    growth: Rating = Field(default_factory=Rating, description="Room to grow there.")
    alignment: Rating = Field(
        default_factory=Rating, description="How the role aligns with your career goals."
    )
    what_i_want: str = ""
    dealbreakers: list[str] = Field(default_factory=list)

    def ratings(self) -> dict[str, Rating]:
        return {area: getattr(self, area) for area in REFLECTION_AREAS}

    def is_recorded(self) -> bool:
        return any(r.score is not None for r in self.ratings().values()) or bool(self.what_i_want)


def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


_CURRENCIES: frozenset[str] | None = None


def is_currency(code: str) -> bool:
    """True for an ISO 4217 currency code such as EUR, USD or GBP."""
    global _CURRENCIES
    if _CURRENCIES is None:
        _CURRENCIES = _currency_codes()
    return code in _CURRENCIES


class SalaryRange(Record):
    """What you would accept, aim for and stretch to: ready before any negotiation."""

    currency: str = Field(description="ISO 4217 code, for example EUR, USD, GBP.")
    period: Period = Period.YEAR
    minimum: Amount | None = Field(None, description="Your walk-away minimum.")
    target: Amount | None = Field(None, description="What you aim for.")
    stretch: Amount | None = Field(None, description="Your ambitious ask.")
    posted_minimum: Amount | None = Field(None, description="Employer's posted range.")
    posted_maximum: Amount | None = None
    notes: str = ""

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper()
            if not is_currency(value):
                raise ValueError(f"expected an ISO 4217 currency code such as EUR, got {value!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        for problem in salary_problems(self):
            raise ValueError(problem)
        return self

    def is_recorded(self) -> bool:
        return self.target is not None or self.minimum is not None


def salary_problems(salary: SalaryRange | Any) -> list[str]:
    """The broken salary invariants, in plain words (empty when all hold)."""
    problems = []
    lo, mid, hi = salary.minimum, salary.target, salary.stretch
    if lo is not None and mid is not None and lo > mid:
        problems.append(f"the minimum ({number(lo)}) is above the target ({number(mid)})")
    if mid is not None and hi is not None and mid > hi:
        problems.append(f"the target ({number(mid)}) is above the stretch ({number(hi)})")
    if lo is not None and hi is not None and lo > hi:
        problems.append(f"the minimum ({number(lo)}) is above the stretch ({number(hi)})")
    pmin, pmax = salary.posted_minimum, salary.posted_maximum
    if pmin is not None and pmax is not None and pmin > pmax:
        problems.append(
            f"the posted minimum ({number(pmin)}) is above the posted maximum ({number(pmax)})"
        )
    return problems


class Feedback(Record):
    """Feedback asked for after a decision, and what they said."""

    asked_on: Day | None = None
    received_on: Day | None = None
    what_they_said: str = ""


class OtherRolesInquiry(Record):
    """Asking the recruiter about similar roles after a no."""

    asked_on: Day | None = None
    answer: str = ""


class StageChange(Record):
    """One change of stage and the day it happened (None when an import did not say)."""

    stage: Stage
    #: Not called `on`: YAML 1.1 reads an unquoted `on:` key as true.
    day: Day | None = Field(None, description="The day the application reached this stage.")


#: A share of something in percent: zero to a hundred, a real number.
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
#: Months, for a vesting cliff, a vesting step or a clawback: up to twenty years.
Months = Annotated[int, Field(ge=0, le=240)]
#: How many years a grant vests over, and how many years an offer is looked at.
MAX_VESTING_YEARS = 10
#: How far the percentages of a vesting schedule may add up away from 100 (rounding in a letter).
SCHEDULE_TOLERANCE = 0.01
#: The largest amount an offer may name (a trillion in any currency): with it, every sum a valuation
#: makes stays a real number, never an endless one.
MAX_OFFER_AMOUNT = 1e12
OfferAmount = Annotated[float, Field(ge=0, le=MAX_OFFER_AMOUNT, allow_inf_nan=False)]


def _check_currency(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().upper()
        if not is_currency(value):
            raise ValueError(f"expected an ISO 4217 currency code such as EUR, got {value!r}")
    return value


class EquityKind(StrEnum):
    """What an equity grant gives: shares as they vest, or options to buy them at a strike price."""

    RSU = "rsu"
    OPTIONS = "options"


class Bonus(Record):
    """The yearly bonus: a percentage of base at target, or a fixed amount."""

    target_percent: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)] | None = Field(
        None, description="The bonus at target, in percent of base."
    )
    amount: OfferAmount | None = Field(
        None, description="The bonus at target, as an amount a year."
    )
    guaranteed: bool = Field(False, description="True when the bonus is paid whatever happens.")

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.target_percent is not None and self.amount is not None:
            raise ValueError(
                "bonus has both target_percent and amount: expected one of them, not both"
            )
        return self


class SignOn(Record):
    """A one-off payment for signing, perhaps to be paid back if you leave early."""

    amount: OfferAmount = Field(description="Paid once, in the first year.")
    clawback_months: Months | None = Field(
        None, description="Paid back if you leave within this many months."
    )


class Vesting(Record):
    """How a grant vests: over `years` with a cliff and a step, or by a yearly `schedule`."""

    years: int | None = Field(
        None,
        ge=1,
        le=MAX_VESTING_YEARS,
        description="Years until all of it has vested (default 4, or the schedule's length).",
    )
    cliff_months: Months = Field(0, description="Nothing vests before this many months.")
    every_months: int = Field(
        12, ge=1, le=12 * MAX_VESTING_YEARS, description="After the cliff, it vests this often."
    )
    schedule: list[Percent] | None = Field(
        None, description="Percent vesting each year instead, e.g. [5, 15, 40, 40]."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.schedule is not None:
            if not self.schedule:
                raise ValueError("vesting schedule is empty: expected a percentage for each year")
            if len(self.schedule) > MAX_VESTING_YEARS:
                raise ValueError(
                    f"vesting schedule has {len(self.schedule)} years: expected at most "
                    f"{MAX_VESTING_YEARS}"
                )
            total = sum(self.schedule)
            if abs(total - 100) > SCHEDULE_TOLERANCE:
                raise ValueError(
                    f"vesting schedule adds up to {number(round(total, 4))}%: expected 100%"
                )
            if self.years is not None and self.years != len(self.schedule):
                raise ValueError(
                    f"vesting years is {self.years} but the schedule lists "
                    f"{len(self.schedule)} years: expected the same number"
                )
        if self.cliff_months > self.total_years * 12:
            raise ValueError(
                f"vesting cliff_months is {self.cliff_months}, after the last of its "
                f"{self.total_years} years: expected at most {self.total_years * 12}"
            )
        return self

    @property
    def total_years(self) -> int:
        """The years it vests over: `years`, else the schedule's length, else 4."""
        if self.years is not None:
            return self.years
        return len(self.schedule) if self.schedule else 4


class Grant(Record):
    """One equity grant: its worth at grant (`value`, or `shares` at `price`), and how it vests."""

    kind: EquityKind = EquityKind.RSU
    value: OfferAmount | None = Field(None, description="Worth at grant, in the offer's currency.")
    shares: OfferAmount | None = Field(None, description="How many shares (or options).")
    price: OfferAmount | None = Field(None, description="A share's price at grant.")
    strike: OfferAmount | None = Field(None, description="What an option costs to use, per share.")
    vesting: Vesting = Field(default_factory=Vesting)

    @model_validator(mode="after")
    def _priced(self) -> Self:
        if self.kind is EquityKind.OPTIONS:
            missing = [n for n in ("shares", "price", "strike") if getattr(self, n) is None]
            if missing:
                raise ValueError(
                    f"an options grant needs shares, price and strike: {', '.join(missing)} missing"
                )
            if self.value is not None:
                raise ValueError(
                    "an options grant is worth what shares × (price − strike) gives: "
                    "expected shares, price and strike, not value"
                )
            return self
        if self.strike is not None:
            raise ValueError("strike is set on an rsu grant: expected it only for options")
        if self.value is not None and self.shares is not None:
            raise ValueError("grant has both value and shares: expected one of them")
        if self.value is None and (self.shares is None or self.price is None):
            raise ValueError("grant has no worth: expected value, or shares with price")
        return self

    @property
    def worth(self) -> float:
        """What the whole grant is worth at grant (for options: shares × (price − strike), or 0)."""
        if self.kind is EquityKind.OPTIONS:
            return (self.shares or 0) * max(0.0, (self.price or 0) - (self.strike or 0))
        if self.value is not None:
            return self.value
        return (self.shares or 0) * (self.price or 0)


class Benefits(Record):
    """What the employer pays beside the salary, as far as it can be given a number."""

    retirement_percent: Percent | None = Field(
        None, description="The employer's pension contribution, in percent of base."
    )
    yearly_value: OfferAmount | None = Field(
        None, description="Other benefits (insurance, meals, travel…) as an amount a year."
    )
    notes: str = ""


class Offer(Record):
    """An offer as written in the letter: pay, bonus, sign-on, equity, benefits and time.

    Money is in `currency`, per year. A revised offer (after a counter) is a new save: the store's
    history keeps the earlier versions.
    """

    received_on: Day | None = Field(None, description="When the offer reached you.")
    answer_by: Day | None = Field(None, description="When they expect your answer.")
    currency: str = Field(description="ISO 4217 code of every amount in the offer, e.g. EUR.")
    base: OfferAmount | None = Field(None, description="The base salary, per year.")
    bonus: Bonus | None = None
    sign_on: SignOn | None = None
    equity: list[Grant] = Field(default_factory=list)
    refresh_per_year: OfferAmount | None = Field(
        None, description="New equity expected each year from the second, worth at grant."
    )
    benefits: Benefits = Field(default_factory=Benefits)
    pto_days: Annotated[float, Field(ge=0, le=366, allow_inf_nan=False)] | None = Field(
        None, description="Paid days off a year."
    )
    hours_per_week: Annotated[float, Field(gt=0, le=168, allow_inf_nan=False)] | None = Field(
        None, description="Hours worked in a usual week."
    )
    start_on: Day | None = Field(None, description="The first day of work.")
    remote: SingleLine = Field("", description="Where the work is done: remote, hybrid, office…")
    countered_on: Day | None = Field(None, description="When you sent a counter-offer.")
    notes: str = ""

    _currency = field_validator("currency", mode="before")(_check_currency)

    @model_validator(mode="after")
    def _answer_after_receipt(self) -> Self:
        if self.received_on and self.answer_by and self.answer_by < self.received_on:
            raise ValueError(
                f"answer_by ({self.answer_by.isoformat()}) is before received_on "
                f"({self.received_on.isoformat()}): expected the answer after the offer"
            )
        return self


class Opportunity(Record):
    """One role at one company, from the first round to the outcome."""

    id: Id
    company: SingleLine = Field(min_length=1)
    role: SingleLine = ""
    location: SingleLine = ""
    link: str | None = None
    applied_on: date | None = Field(None, description="When you applied (from a tracker's export).")
    source: Source | None = Field(
        None, description="Where the application came from: referral, job board, company site…"
    )
    status: Status = Status.ACTIVE
    outcome_on: Day | None = Field(None, description="When the final decision reached you.")
    stages: list[StageChange] = Field(
        default_factory=list,
        description="Each change of stage with its day, oldest first (see followup.core.stages).",
    )
    recruiter: Person | None = None
    timeline: Timeline | None = Field(
        None, description="What the recruiter said happens next; absent until recorded."
    )
    reflection: Reflection = Field(default_factory=Reflection)
    salary_range: SalaryRange | None = None
    offer: Offer | None = Field(
        None, description="The offer, once there is one: pay, bonus, equity, benefits and time."
    )
    rounds: list[Interview] = Field(default_factory=list)
    feedback: Feedback = Field(default_factory=Feedback)
    other_roles: OtherRolesInquiry = Field(default_factory=OtherRolesInquiry)
    talent_community_link: str | None = Field(
        None, description="Where to join their talent community or job alerts, when known."
    )
    talent_community_joined_on: Day | None = Field(
        None, description="When you joined their talent community or job alerts."
    )
    notes: str = ""

    _link = field_validator("link", "talent_community_link")(_check_url)

    @model_validator(mode="after")
    def _unique_rounds(self) -> Self:
        keys = [r.key for r in self.rounds]
        if len(keys) != len(set(keys)):
            raise ValueError(f"two rounds share the name {_first_duplicate(keys)!r}")
        return self

    @property
    def title(self) -> str:
        return f"{self.company} · {self.role}" if self.role else self.company

    def round(self, key: str) -> Interview:
        """The round named by its key, its name or its 1-based number."""
        for index, interview in enumerate(self.rounds, start=1):
            if key in (interview.key, interview.name, str(index)):
                return interview
        from followup.core.errors import NotFound

        known = ", ".join(r.key for r in self.rounds) or "none yet"
        raise NotFound(f"{self.id}: no round {key!r} (rounds: {known})")

    def interviewers(self) -> list[Interviewer]:
        """Everyone who interviewed you across rounds, once each (by name)."""
        seen: dict[str, Interviewer] = {}
        for interview in self.rounds:
            for person in interview.interviewers:
                seen.setdefault(person.name, person)
        return list(seen.values())


def _first_duplicate(items: list[str]) -> str:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return ""


class Reminders(Record):
    """When the calendar's alarms ring, for each kind of deadline (see `followup calendar`)."""

    thank_you_hours_before: Amount = Field(3, description="Hours before a thank-you note is due.")
    check_in_at: time = Field(
        time(9), description="The time of day, on the day a check-in is due, to be reminded."
    )
    interview_minutes_before: int = Field(60, ge=0, le=7 * 24 * 60)
    research_evening_at: time = Field(
        time(19), description="The time, the evening before a round, to finish its research."
    )
    prepare_evening_at: time = Field(
        time(20), description="The time, the evening before a round, to read its prep sheet."
    )


class Settings(Record):
    """Workbook-wide settings, kept in `<data dir>/settings.yaml`."""

    min_active: int = Field(3, ge=0, le=100, description="Warn below this many open processes.")
    no_response_after_days: int = Field(
        21,
        ge=1,
        le=365,
        description="Days of silence after a check-in before suggesting 'no response'.",
    )
    your_name: SingleLine = Field("", description="Your name, to sign the drafted notes.")
    your_email: str | None = Field(None, description="Your address, the From of drafted emails.")
    my_addresses: list[str] = Field(
        default_factory=list,
        description="Your other addresses, left out of an invitation's interviewers; "
        "`followup import --me` remembers them here.",
    )
    timezone: str | None = Field(
        None, description="Your IANA time zone: `followup status` shows times in it."
    )
    formal_greetings: bool = Field(
        False, description="Greet with 'Dear Priya Raman,' instead of 'Hi Priya,'."
    )
    reminders: Reminders = Field(default_factory=Reminders)
    home_currency: str | None = Field(
        None, description="The currency to compare salaries in, for example EUR."
    )
    rates: dict[str, float] = Field(
        default_factory=dict,
        description="What one unit of another currency is worth in home_currency, e.g. USD: 0.92.",
    )
    weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "How much each reflection area counts when opportunities are compared, from 0 to "
            "100 (unnamed areas count 1), e.g. growth: 3. The comparison page keeps its weights "
            "here."
        ),
    )

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        for area, weight in value.items():
            if area not in REFLECTION_AREAS:
                raise ValueError(
                    f"unknown area {area!r}; expected one of {', '.join(REFLECTION_AREAS)}"
                )
            if not math.isfinite(weight) or not 0 <= weight <= 100:
                raise ValueError(f"{area} must be a number from 0 to 100, got {weight!r}")
        return value

    _your_email = field_validator("your_email")(_check_email)

    @field_validator("my_addresses")
    @classmethod
    def _my_addresses(cls, value: list[str]) -> list[str]:
        return [checked for v in value if (checked := _check_email(v.strip().lower()))]

    _timezone = field_validator("timezone")(_check_zone)

    @field_validator("home_currency", mode="before")
    @classmethod
    def _home_currency(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            value = value.strip().upper()
            if not is_currency(value):
                raise ValueError(f"expected an ISO 4217 currency code such as EUR, got {value!r}")
        return value or None

    @field_validator("rates", mode="before")
    @classmethod
    def _rates(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        checked = {}
        for code, rate in value.items():
            name = str(code).strip().upper()
            if not is_currency(name):
                raise ValueError(f"expected ISO 4217 currency codes such as USD, got {code!r}")
            if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate < 1e12:
                raise ValueError(f"the rate for {name} must be a number above zero, got {rate!r}")
            checked[name] = rate
        return checked

    @model_validator(mode="after")
    def _rates_need_home(self) -> Self:
        if self.rates and not self.home_currency:
            raise ValueError(
                "rates are set but home_currency is not: say which currency they convert to"
            )
        return self

    @property
    def no_response_after(self) -> timedelta:
        """`no_response_after_days` as a duration, for the checklist's rules."""
        return timedelta(days=self.no_response_after_days)
