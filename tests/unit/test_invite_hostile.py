"""Invitations built to hurt: a property given twice, a start that is no date, a year no zone can
hold, a time zone whose rule never ends, and calendars too big to be one invitation. Each ends as a
correct import or one clear InvalidRecord, quickly."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.core.errors import InvalidRecord
from followup.imports.invite import (
    MAX_ATTENDEES,
    MAX_EVENTS,
    MAX_INVITE_BYTES,
    plan_invites,
    read_invites,
)

PATH = Path("invite.ics")
START = "DTSTART;TZID=Europe/Berlin:20261203T100000"
ORGANIZER = "ORGANIZER;CN=Ana Ruiz:mailto:ana.ruiz@acme.example"


def event(*lines: str, uid: str = "abc@acme.example") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"]


def calendar(*events: list[str], zones: tuple[str, ...] = ()) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "METHOD:REQUEST", *zones]
    for one in events:
        lines.extend(one)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def refused(data: bytes, zone: str = "Europe/Berlin") -> str:
    with pytest.raises(InvalidRecord) as caught:
        read_invites(data, PATH, zone=zone)
    message = str(caught.value)
    assert message.startswith(f"{PATH}: ") and "\n" not in message
    return message


@pytest.mark.parametrize(
    "twice",
    [
        ["DTSTART;TZID=Europe/Berlin:20261204T100000"],
        ["DTEND:20261203T100000Z", "DTEND:20261203T110000Z"],
        ["DURATION:PT1H", "DURATION:PT2H"],
        ["UID:other@acme.example"],
    ],
    ids=["DTSTART", "DTEND", "DURATION", "UID"],
)
def test_a_start_end_length_or_uid_given_twice_is_refused_naming_the_property(twice):
    name = twice[0].split(";")[0].split(":")[0]
    message = refused(calendar(event("SUMMARY:Tech", START, *twice, ORGANIZER)))
    assert f"gives {name} 2 times; expected it once" in message


def test_a_title_place_or_organizer_given_twice_is_read_from_the_first():
    data = calendar(
        event(
            "SUMMARY:Acme – Tech interview",
            "SUMMARY:Something else",
            START,
            "LOCATION:Room 4",
            "LOCATION:Room 9",
            ORGANIZER,
            "ORGANIZER;CN=Bo Lind:mailto:bo.lind@acme.example",
            "DESCRIPTION:first",
            "DESCRIPTION:second",
        )
    )
    (invite,) = read_invites(data, PATH, zone="Europe/Berlin")
    assert invite.summary == "Acme – Tech interview"
    assert invite.location == "Room 4"
    assert invite.description == "first"
    assert [(p.name, p.email) for p in invite.interviewers] == [
        ("Ana Ruiz", "ana.ruiz@acme.example")
    ]
    (plan,) = plan_invites([invite], [])
    (interview,) = plan.opportunity.rounds
    assert interview.name == "Tech interview" and interview.location == "Room 4"


def test_an_organizer_with_neither_name_nor_address_is_not_made_an_interviewer():
    data = calendar(event("SUMMARY:Tech", START, "ORGANIZER:mailto:@", "ORGANIZER:x"))
    (invite,) = read_invites(data, PATH, zone="Europe/Berlin")
    assert invite.interviewers == ()
    (plan,) = plan_invites([invite], [], company="Acme")
    assert plan.opportunity.rounds[0].interviewers == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("DTSTART:INVALID-DATE", "DTSTART is 'INVALID-DATE', which is not a readable date"),
        ("DTSTART:20261301T100000Z", "DTSTART is '20261301T100000Z', which is not a readable"),
    ],
)
def test_a_start_that_is_not_a_date_is_one_clear_line(line, expected):
    assert expected in refused(calendar(event("SUMMARY:Tech", line)))


def test_a_duration_too_long_for_any_calendar_is_one_clear_line():
    message = refused(calendar(event(START, "DURATION:P999999999W")))
    assert "DURATION is 'P999999999W', which is not a readable duration" in message


@pytest.mark.parametrize(
    ("line", "zone", "year"),
    [
        ("DTSTART:99991231T230000Z", "Europe/Berlin", 9999),
        ("DTSTART:00010101T000000Z", "America/New_York", 1),
        ("DTSTART;TZID=America/New_York:00010101T000000", "America/New_York", 1),
        ("DTSTART;TZID=Europe/Berlin:18991231T230000", "Europe/Berlin", 1899),
    ],
)
def test_a_start_outside_the_models_years_is_refused_before_any_zone_arithmetic(line, zone, year):
    message = refused(calendar(event(line)), zone=zone)
    assert f"DTSTART is in the year {year}; expected a year between 1900 and 2200" in message


def test_an_end_at_the_year_9999_is_refused_not_overflowed():
    message = refused(calendar(event(START, "DTEND:99991231T235959Z")))
    assert "DTEND is in the year 9999" in message


NEVER_ENDING_ZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Custom",
    "BEGIN:STANDARD",
    "DTSTART:16010101T000000",
    "RRULE:FREQ=SECONDLY",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010101T000000",
    "RRULE:FREQ=SECONDLY",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
)


def test_a_time_zone_whose_rule_changes_every_second_is_refused_not_followed():
    data = calendar(event("DTSTART;TZID=Custom:20261203T100000"), zones=NEVER_ENDING_ZONE)
    message = refused(data)
    assert "time zone 'Custom' changes by a rule no real zone uses (FREQ=SECONDLY)" in message


def test_a_yearly_rule_on_every_hour_of_the_day_is_refused_too():
    zone = tuple(
        line.replace("FREQ=SECONDLY", "FREQ=YEARLY;BYHOUR=0,1,2,3,4,5,6,7")
        for line in NEVER_ENDING_ZONE
    )
    data = calendar(event("DTSTART;TZID=Custom:20261203T100000"), zones=zone)
    assert "BYHOUR=0,1,2,3,4,5,6,7" in refused(data)


def test_a_never_ending_rule_under_an_iana_name_is_ignored_for_the_real_zone():
    zone = tuple(line.replace("TZID:Custom", "TZID:Europe/Berlin") for line in NEVER_ENDING_ZONE)
    data = calendar(event("DTSTART;TZID=Europe/Berlin:20261203T100000"), zones=zone)
    (invite,) = read_invites(data, PATH, zone="Europe/Berlin")
    assert invite.starts_at == datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Europe/Berlin"))


def test_a_custom_zone_with_yearly_rules_keeps_its_offset_with_a_note():
    zone = (
        "BEGIN:VTIMEZONE",
        "TZID:Head office",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",  # as Outlook writes it
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
    )
    data = calendar(event('DTSTART;TZID="Head office":20260703T100000'), zones=zone)
    (invite,) = read_invites(data, PATH, zone="Europe/Berlin")
    assert invite.starts_at.utcoffset().total_seconds() == 2 * 3600
    assert any("not a known name" in note for note in invite.notes)


def many_events(count: int, attendees: int = 1) -> bytes:
    return calendar(
        *(
            event(
                f"SUMMARY:Acme – Interview {i}",
                START.replace("20261203", f"202612{1 + i % 28:02d}"),
                ORGANIZER,
                *(f"ATTENDEE;CN=Person {j}:mailto:p{j}@acme.example" for j in range(attendees)),
                uid=f"round-{i}@acme.example",
            )
            for i in range(count)
        )
    )


def test_a_file_larger_than_any_invitation_is_refused_before_it_is_parsed():
    data = calendar(event(START, "DESCRIPTION:" + "x" * MAX_INVITE_BYTES))
    message = refused(data)
    assert f"{len(data):,} bytes; expected an invitation of at most {MAX_INVITE_BYTES:,}" in message


def test_a_file_of_more_events_than_an_invitation_has_is_refused_saying_how_many():
    message = refused(many_events(MAX_EVENTS + 1))
    assert f"{MAX_EVENTS + 1:,} events in one file; expected an invitation, with at most" in message
    assert len(read_invites(many_events(MAX_EVENTS), PATH, zone="Europe/Berlin")) == MAX_EVENTS


def test_an_event_with_more_attendees_than_a_panel_is_refused_saying_how_many():
    message = refused(many_events(1, attendees=5000))
    assert "lists 5,000 attendees; expected an interview with at most" in message
    (invite,) = read_invites(many_events(1, MAX_ATTENDEES), PATH, zone="Europe/Berlin")
    assert len(invite.interviewers) == MAX_ATTENDEES


def test_a_plan_whose_file_the_workbook_could_not_read_back_is_refused():
    invites = read_invites(
        many_events(MAX_EVENTS, attendees=MAX_ATTENDEES), PATH, zone="Europe/Berlin"
    )
    with pytest.raises(InvalidRecord) as caught:
        plan_invites(invites, [])
    message = str(caught.value)
    assert "importing it would make acme's file" in message
    assert "expected at most 262,144" in message and "\n" not in message


def test_two_thousand_events_planned_in_one_pass_land_in_one_opportunity_in_order():
    data = many_events(2000)
    invites = read_invites(data, PATH, zone="Europe/Berlin", max_events=2000)
    with pytest.raises(InvalidRecord, match="expected at most 262,144"):
        plan_invites(invites, [])
    (plan,) = plan_invites(invites[:300], [])
    rounds = plan.opportunity.rounds
    assert [r.uid for r in rounds] == [f"round-{i}@acme.example" for i in range(300)]
    assert len({r.key for r in rounds}) == 300
    assert plan.opportunity.recruiter.email == "ana.ruiz@acme.example"  # who sent them all
    assert sum(line.startswith("recruiter:") for line in plan.lines) == 1
    (again,) = plan_invites(invites[:300], [plan.opportunity])
    assert not again.changed and len(again.opportunity.rounds) == 300


TAME_ZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Custom",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
)


def test_a_never_ending_zone_read_once_does_not_hang_a_later_file_with_a_zone_of_that_name():
    # icalendar keeps every VTIMEZONE it has parsed for the whole process (the app's kernel)
    hostile = calendar(event("DTSTART;TZID=Custom:20261203T100000"), zones=NEVER_ENDING_ZONE)
    refused(hostile)
    tame = calendar(event("DTSTART;TZID=Custom:20261203T100000"), zones=TAME_ZONE)
    (invite,) = read_invites(tame, PATH, zone="Europe/Berlin")
    assert invite.starts_at.isoformat() == "2026-12-03T10:00:00+01:00"
    summer = calendar(event("DTSTART;TZID=Custom:20260703T100000"), zones=TAME_ZONE)
    (invite,) = read_invites(summer, PATH, zone="Europe/Berlin")
    assert invite.starts_at.isoformat() == "2026-07-03T10:00:00+02:00"
    alone = calendar(event("DTSTART;TZID=Custom:20261203T100000"))
    assert "unknown time zone name 'Custom'" in refused(alone)
