"""Hypothesis strategies for opportunities and moments, shared by the property tests.

Times cover the hard edges: daylight-saving changes, half-hour and 45-minute zones, late-evening
rounds, and a `now` given in any zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from followup.core.model import Channel, Opportunity, Status
from support import in_ci

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "UTC",
]
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
LAST = datetime(2027, 12, 31, tzinfo=UTC)

#: Fixed budget for the property tests: derandomized in CI so a run there is repeatable.
PROPERTIES = settings(
    max_examples=150,
    deadline=None,
    derandomize=in_ci(),
    suppress_health_check=[HealthCheck.too_slow],
)

MINUTE = timedelta(minutes=1)
zones = st.sampled_from(ZONES)
days = st.dates(min_value=FIRST.date(), max_value=LAST.date())


def _clock_changes(zone: str) -> list[datetime]:
    """Midnights (UTC) just before each day on which `zone` changes its offset, 2025-2027."""
    tz = ZoneInfo(zone)
    found, day = [], FIRST
    while day < LAST:
        following = day + timedelta(days=1)
        if day.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            found.append(day)
        day = following
    return found


CLOCK_CHANGES = {zone: _clock_changes(zone) for zone in ZONES}


@st.composite
def moments(draw: st.DrawFn, zone: str | None = None) -> datetime:
    """An aware time between 2025 and 2027, minute precision, often near a clock change."""
    zone = zone or draw(zones)
    changes = CLOCK_CHANGES[zone]
    if changes and draw(st.booleans()):
        around = draw(st.sampled_from(changes))
        moment = around + timedelta(minutes=draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)))
    else:
        moment = FIRST + timedelta(minutes=draw(st.integers(0, int((LAST - FIRST) // MINUTE))))
    return moment.astimezone(ZoneInfo(zone))


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


@st.composite
def interviewers(draw: st.DrawFn, index: int) -> dict:
    person: dict = {"name": f"Person {index}"}
    if draw(st.booleans()):
        person["email"] = f"p{index}@x.example"
    if draw(st.booleans()):
        person["card_collected"] = True
    thank_you: dict = {}
    if draw(st.booleans()):
        thank_you["channel"] = draw(st.sampled_from(list(Channel))).value
    sent = draw(_maybe(moments()))
    if sent is not None:
        thank_you["sent_at"] = sent.isoformat()
    card = draw(_maybe(days))
    if card is not None:
        thank_you["card_sent_on"] = card.isoformat()
    if thank_you:
        person["thank_you"] = thank_you
    if draw(st.booleans()):
        person["linkedin_connected_on"] = draw(days).isoformat()
    return person


@st.composite
def rounds(draw: st.DrawFn, index: int) -> dict:
    result: dict = {"name": f"Round {index}"}
    zone = draw(zones)
    start = draw(_maybe(moments(zone)))
    if start is not None:
        result["starts_at"] = start.isoformat()
        if draw(st.booleans()):
            result["timezone"] = zone
    result["duration_minutes"] = draw(st.integers(1, 600))
    count = draw(st.integers(0, 3))
    result["interviewers"] = [draw(interviewers(index * 10 + k)) for k in range(count)]
    if draw(st.booleans()):
        result["cancelled"] = True
    return result


@st.composite
def held_rounds(draw: st.DrawFn) -> tuple[Opportunity, datetime]:
    """An open process with one round held in a named zone, often near a clock change, and a
    `now` after the round began."""
    zone = draw(zones)
    start = draw(moments(zone))
    opportunity = Opportunity.model_validate(
        {
            "id": "acme",
            "company": "Acme",
            "rounds": [
                {
                    "name": "Round 1",
                    "starts_at": start.isoformat(),
                    "timezone": zone,
                    "duration_minutes": draw(st.integers(1, 600)),
                    "interviewers": [{"name": "Kim Lee", "email": "kim@x.example"}],
                }
            ],
        }
    )
    now = start + timedelta(minutes=draw(st.integers(0, 4 * 24 * 60)))
    return opportunity, now.astimezone(ZoneInfo(draw(zones)))


@st.composite
def timelines(draw: st.DrawFn) -> dict | None:
    if draw(st.booleans()):
        return None
    given = draw(st.booleans())
    timeline: dict = {"given": given}
    if given and draw(st.booleans()):
        timeline["decision_by"] = draw(days).isoformat()
    if draw(st.booleans()):
        timeline["checked_in_on"] = draw(days).isoformat()
    return timeline


@st.composite
def opportunities(draw: st.DrawFn) -> Opportunity:
    """Any valid opportunity: any status, zero to three rounds, any mix of what is recorded."""
    data: dict = {
        "id": "acme-analyst",
        "company": draw(st.sampled_from(["Acme", "Jörg's Café", "Quill & Co."])),
        "status": draw(st.sampled_from(list(Status))).value,
        "rounds": [draw(rounds(i)) for i in range(draw(st.integers(0, 3)))],
    }
    timeline = draw(timelines())
    if timeline is not None:
        data["timeline"] = timeline
    if draw(st.booleans()):
        data["recruiter"] = {"name": "Rae Cruz", "email": "rae@x.example"}
    for field in ("outcome_on", "talent_community_joined_on"):
        if draw(st.booleans()):
            data[field] = draw(days).isoformat()
    if draw(st.booleans()):
        data["feedback"] = {"asked_on": draw(days).isoformat()}
    if draw(st.booleans()):
        data["talent_community_link"] = "https://careers.acme.example/community"
    if draw(st.booleans()):
        data["salary_range"] = {
            "currency": "EUR",
            "minimum": draw(st.integers(0, 50_000)),
            "target": draw(st.integers(50_000, 80_000)),
        }
    if draw(st.booleans()):
        data["offer"] = {
            "currency": "EUR",
            "base": draw(st.none() | st.integers(30_000, 90_000)),
            "answer_by": draw(st.none() | days.map(date.isoformat)),
            "countered_on": draw(st.none() | days.map(date.isoformat)),
        }
    return Opportunity.model_validate(data)


def latest_end_of_day(day: date) -> datetime:
    """The first instant at which `day` has ended everywhere on Earth (midnight at UTC-12)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=12
    )


def earliest_end_of_day(day: date) -> datetime:
    """The first instant at which `day` has ended somewhere (midnight at UTC+14)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC) - timedelta(
        hours=14
    )
