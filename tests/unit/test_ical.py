"""The calendar: one entry per dated step, right time zones, UIDs that survive a re-import."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from followup.calendar.ics import (
    DEADLINE_SLOT,
    DONE_PREFIX,
    calendar_for,
    calendar_ics,
    entries_for,
    entry_uid,
)
from followup.core.model import Opportunity, Reminders, ResearchTopic
from followup.steps import thank_you_due

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
EVENING = datetime(2026, 11, 26, 18, tzinfo=BERLIN)


def opportunity(**fields) -> Opportunity:
    data = {
        "id": "acme",
        "company": "Acme",
        "recruiter": {"name": "Sam", "email": "sam@acme.example"},
        "timeline": {"decision_by": "2026-12-04"},
        "rounds": [
            {
                "name": "Onsite",
                "starts_at": "2026-11-26T10:00:00+01:00",
                "timezone": "Europe/Berlin",
                "duration_minutes": 90,
                "interviewers": [
                    {"name": "Kim Lee", "email": "kim@acme.example"},
                    {"name": "Ana Ruiz"},
                ],
            }
        ],
    }
    data.update(fields)
    return Opportunity.model_validate(data)


def by_step(entries) -> dict:
    return {e.step: e for e in entries}


def parsed(opportunities, now=EVENING) -> Calendar:
    return Calendar.from_ical(calendar_ics(opportunities, now))


def test_the_thank_you_deadline_is_one_timed_entry_per_round_in_the_rounds_zone():
    o = opportunity()
    entry = by_step(entries_for(o, EVENING))["thank_you"]
    due = thank_you_due(o.rounds[0])
    assert (entry.start, entry.end) == (due - DEADLINE_SLOT, due)
    assert entry.end == datetime(2026, 11, 27, 11, 30, tzinfo=BERLIN)
    assert entry.round == "onsite"
    assert "Kim Lee" in entry.description and "Ana Ruiz" in entry.description
    assert "followup drafts acme --kind thank-you" in entry.description
    assert not entry.done

    (event,) = [e for e in parsed([o]).events if "Thank-you" in str(e["SUMMARY"])]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == datetime(2026, 11, 27, 11, 0, tzinfo=BERLIN)
    assert event.start.tzinfo.key == "Europe/Berlin"


def test_every_tzid_used_has_its_vtimezone():
    tokyo_round = {
        "name": "Call",
        "starts_at": "2026-11-20T09:00:00+09:00",
        "timezone": "Asia/Tokyo",
        "interviewers": [{"name": "Yui"}],
    }
    o = opportunity(rounds=[tokyo_round, *opportunity().model_dump()["rounds"]])
    cal = parsed([o])
    used = {
        e[name].params["TZID"]
        for e in cal.events
        for name in ("DTSTART", "DTEND")
        if "TZID" in e[name].params
    }
    assert used == {"Europe/Berlin", "Asia/Tokyo"}
    assert {tz.tz_name for tz in cal.timezones} == used
    assert cal.get_missing_tzids() == set()


def test_a_round_recorded_with_only_an_offset_is_written_in_utc():
    rounds = opportunity().model_dump(mode="json")["rounds"]
    del rounds[0]["timezone"]
    o = opportunity(rounds=rounds)
    assert o.rounds[0].timezone is None
    event = next(e for e in parsed([o]).events if "Thank-you" in str(e["SUMMARY"]))
    assert "TZID" not in event["DTSTART"].params
    assert event.start == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert event.start.utcoffset() == timedelta(0)


def test_a_round_in_utc_needs_no_vtimezone():
    rounds = opportunity().model_dump(mode="json")["rounds"]
    rounds[0]["timezone"] = "UTC"
    cal = parsed([opportunity(rounds=rounds)])
    event = next(e for e in cal.events if "Thank-you" in str(e["SUMMARY"]))
    assert "TZID" not in event["DTSTART"].params
    assert event.start == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert cal.timezones == []


def test_an_end_of_day_deadline_is_an_all_day_entry_on_that_day():
    entries = by_step(entries_for(opportunity(), EVENING))
    debrief = entries["debrief"]
    assert (debrief.start, debrief.end) == (date(2026, 11, 26), date(2026, 11, 27))
    assert debrief.all_day
    recruiter = entries["recruiter_date"]
    assert (recruiter.start, recruiter.end) == (date(2026, 12, 4), date(2026, 12, 5))
    event = next(e for e in parsed([opportunity()]).events if "Debrief" in str(e["SUMMARY"]))
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.start == date(2026, 11, 26)


def test_the_check_in_after_the_recruiters_date_is_on_the_calendar_before_it_is_due():
    entry = by_step(entries_for(opportunity(), EVENING))["check_in"]
    # The day after the recruiter's date opens the check-in; the grace days close it.
    assert entry.start == date(2026, 12, 7)
    assert not entry.done
    later = by_step(entries_for(opportunity(), datetime(2026, 12, 6, tzinfo=BERLIN)))["check_in"]
    assert later.uid == entry.uid
    assert later.start == entry.start


def test_uids_are_stable_across_runs_times_and_zones_and_unique():
    o = opportunity()
    first = [e.uid for e in entries_for(o, EVENING)]
    again = [e.uid for e in entries_for(opportunity(), EVENING)]
    elsewhere = [e.uid for e in entries_for(o, EVENING.astimezone(TOKYO))]
    assert first == again == elsewhere
    assert len(set(first)) == len(first)
    assert entry_uid("acme", "debrief", "onsite") in first
    assert entry_uid("acme", "debrief", "onsite") != entry_uid("other", "debrief", "onsite")
    assert all(uid.endswith("@followup.invalid") for uid in first)


def test_done_steps_stay_marked_done_under_the_same_uid():
    o = opportunity()
    before = by_step(entries_for(o, EVENING))
    for person in o.rounds[0].interviewers:
        person.thank_you.sent_at = datetime(2026, 11, 26, 17, tzinfo=BERLIN)
    o.rounds[0].debrief.notes = "Went well."
    after = by_step(entries_for(o, EVENING))
    for step in ("thank_you", "debrief"):
        assert after[step].uid == before[step].uid
        assert after[step].done and not before[step].done
        assert after[step].summary.startswith(DONE_PREFIX)
        assert (after[step].start, after[step].end) == (before[step].start, before[step].end)
    events = {str(e["UID"]): e for e in parsed([o]).events}
    done = events[after["debrief"].uid]
    assert str(done["SUMMARY"]).startswith(DONE_PREFIX)
    assert done["SEQUENCE"] == 1
    assert events[after["check_in"].uid]["SEQUENCE"] == 0


def test_after_a_rejection_feedback_other_roles_and_linkedin_are_dated():
    o = opportunity(status="rejected", outcome_on="2026-11-27")
    entries = by_step(entries_for(o, EVENING))
    assert entries["feedback"].start == entries["other_roles"].start == date(2026, 12, 4)
    assert entries["linkedin"].start == date(2026, 11, 27)
    assert entries["recruiter_date"].done
    assert "check_in" not in entries
    assert "thank_you" not in entries  # nothing sent, nothing due any more: no date to show


def test_linkedin_is_not_on_the_calendar_while_the_process_is_open():
    assert "linkedin" not in by_step(entries_for(opportunity(), EVENING))


def test_an_asked_feedback_request_is_marked_done():
    o = opportunity(status="rejected", outcome_on="2026-11-27", feedback={"asked_on": "2026-11-28"})
    assert by_step(entries_for(o, EVENING))["feedback"].done


def test_the_calendar_is_the_same_bytes_on_every_run():
    assert calendar_ics([opportunity()], EVENING) == calendar_ics([opportunity()], EVENING)


def test_events_are_stamped_with_now_in_utc_and_do_not_block_time():
    cal = parsed([opportunity()])
    assert cal.events
    for event in cal.events:
        assert event.stamp == EVENING.astimezone(UTC)
        assert event["TRANSP"] == "TRANSPARENT"
    assert str(cal["PRODID"]).startswith("-//followup//")
    assert cal["METHOD"] == "PUBLISH"


def test_an_empty_workbook_gives_an_empty_but_valid_calendar():
    cal = Calendar.from_ical(calendar_ics([], EVENING))
    assert cal.events == [] and cal["VERSION"] == "2.0"


def test_the_calendar_needs_an_aware_now():
    with pytest.raises(ValueError, match="aware"):
        calendar_for([opportunity()], datetime(2026, 11, 26, 18))


# Interviews and alarms


MORNING_BEFORE = datetime(2026, 11, 25, 8, tzinfo=BERLIN)


def upcoming(**fields) -> Opportunity:
    """Acme's onsite still ahead (tomorrow), with research to do before it."""
    o = opportunity(**fields)
    o.rounds[0].link = "https://teams.microsoft.com/l/meetup-join/abc"
    o.rounds[0].location = "Acme HQ, Room 4"
    o.rounds[0].debrief.research = [ResearchTopic(topic="Acme's Series C")]
    return o


def alarms(event) -> list[datetime]:
    return [a["TRIGGER"].dt for a in event.walk("VALARM")]


def test_an_upcoming_interview_is_an_event_in_its_zone_with_people_place_and_link():
    entry = by_step(entries_for(upcoming(), MORNING_BEFORE))["interview"]
    assert entry.start == datetime(2026, 11, 26, 10, tzinfo=BERLIN)
    assert entry.end - entry.start == timedelta(minutes=90)
    assert entry.title == "Interview: Onsite · Acme"
    assert "- Kim Lee <kim@acme.example>" in entry.description and "- Ana Ruiz" in entry.description
    assert "Join: https://teams.microsoft.com/l/meetup-join/abc" in entry.description
    assert entry.url == "https://teams.microsoft.com/l/meetup-join/abc"
    (event,) = [
        e for e in parsed([upcoming()], MORNING_BEFORE).events if "Interview" in e["SUMMARY"]
    ]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(event["LOCATION"]) == "Acme HQ, Room 4"
    assert str(event["TRANSP"]) == "OPAQUE"  # an interview blocks the time; reminders do not


def test_the_default_alarms_ring_an_hour_before_and_the_evening_before_for_research():
    calendar = parsed([upcoming()], MORNING_BEFORE)
    events = {str(e["SUMMARY"]).split(" · ")[0]: e for e in calendar.events}
    assert alarms(events["Interview: Onsite"]) == [datetime(2026, 11, 26, 8, tzinfo=UTC)]
    assert alarms(events["Research topics"]) == [datetime(2026, 11, 25, 18, tzinfo=UTC)]


def test_the_thank_you_alarm_rings_three_hours_before_it_is_due():
    due = thank_you_due(opportunity().rounds[0])
    calendar = parsed([opportunity()], EVENING)
    (event,) = [e for e in calendar.events if str(e["SUMMARY"]).startswith("Thank-you")]
    assert alarms(event) == [(due - timedelta(hours=3)).astimezone(UTC)]


def test_the_check_in_alarm_rings_on_the_morning_of_its_day():
    o = opportunity()
    entry = by_step(entries_for(o, EVENING))["check_in"]
    assert entry.all_day
    assert entry.alarm == datetime.combine(entry.start, datetime.min.time(), tzinfo=BERLIN).replace(
        hour=9
    )


def test_alarms_follow_the_reminder_settings():
    reminders = Reminders(
        interview_minutes_before=30, research_evening_at="20:30", thank_you_hours_before=1
    )
    entries = by_step(entries_for(upcoming(), MORNING_BEFORE, reminders))
    assert entries["interview"].alarm == datetime(2026, 11, 26, 9, 30, tzinfo=BERLIN)
    assert entries["research"].alarm == datetime(2026, 11, 25, 20, 30, tzinfo=BERLIN)
    done = by_step(entries_for(opportunity(), EVENING, reminders))["thank_you"]
    assert done.alarm == thank_you_due(opportunity().rounds[0]) - timedelta(hours=1)


def test_no_alarm_rings_in_the_past_or_for_a_done_step():
    o = opportunity()
    for person in o.rounds[0].interviewers:
        person.thank_you.sent_at = datetime(2026, 11, 26, 15, tzinfo=BERLIN)
    calendar = parsed([o], EVENING)
    (done,) = [e for e in calendar.events if "Thank-you" in str(e["SUMMARY"])]
    assert str(done["SUMMARY"]).startswith(DONE_PREFIX)
    assert alarms(done) == []
    late = parsed([upcoming()], datetime(2026, 11, 26, 9, 30, tzinfo=BERLIN))
    (interview,) = [e for e in late.events if "Interview" in str(e["SUMMARY"])]
    assert alarms(interview) == []  # its alarm time (09:00) has passed


def test_a_past_or_cancelled_interview_is_not_on_the_calendar():
    assert "interview" not in by_step(entries_for(upcoming(), EVENING))
    called_off = upcoming()
    called_off.rounds[0].cancelled = True
    assert "interview" not in by_step(entries_for(called_off, MORNING_BEFORE))
    assert "thank_you" not in by_step(entries_for(called_off, EVENING))


def test_an_interview_keeps_its_uid_when_it_moves():
    before = by_step(entries_for(upcoming(), MORNING_BEFORE))["interview"]
    moved = upcoming()
    moved.rounds[0].starts_at = datetime(2026, 11, 27, 15, tzinfo=BERLIN)
    after = by_step(entries_for(moved, MORNING_BEFORE))["interview"]
    assert before.uid == after.uid == entry_uid("acme", "interview", "onsite")
    assert after.start != before.start


def test_a_round_with_no_interviewers_recorded_asks_who_you_met_in_its_entry():
    o = opportunity()
    o.rounds[0].interviewers = []
    entry = by_step(entries_for(o, EVENING))["thank_you"]
    assert entry.end == thank_you_due(o.rounds[0])
    assert entry.description.startswith("- Record who you met in Onsite, then thank each of them:")
    assert "None" not in entry.description
