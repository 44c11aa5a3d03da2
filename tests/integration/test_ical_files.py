"""`followup calendar` on the example workbook: a real .ics file, parsed back with icalendar."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from followup.calendar.ics import DONE_PREFIX, entry_uid
from followup.cli.commands import main
from followup.clock import parse_now
from support import EXAMPLE, EXAMPLE_NOW


def calendar_file(tmp_path, *args: str, data=EXAMPLE, now: str = EXAMPLE_NOW) -> Calendar:
    out = tmp_path / "followup.ics"
    assert main(["calendar", "--data", str(data), "--now", now, "--out", str(out), *args]) == 0
    return Calendar.from_ical(out.read_bytes())


def events_by_summary(calendar: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in calendar.events}


def test_the_example_calendar_has_an_entry_per_dated_step(tmp_path, capsys):
    calendar = calendar_file(tmp_path)
    assert "Wrote 26 entries" in capsys.readouterr().out
    events = events_by_summary(calendar)
    assert len(events) == len(calendar.events) == 26
    jorg = events["Thank-you notes for Onsite · Northwind Logistics"]
    assert jorg.start == datetime(2026, 11, 27, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert jorg.end == datetime(2026, 11, 27, 11, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert "Amélie Dubois" in str(jorg["DESCRIPTION"])
    harbor = events["Check in with the recruiter if there is no news · Harbor Bank"]
    assert harbor.start == date(2026, 11, 19)
    assert events["The recruiter's date · Harbor Bank"].start == date(2026, 11, 16)
    new_york = events[f"{DONE_PREFIX}Thank-you notes for Hiring manager · Harbor Bank"]
    assert new_york["DTSTART"].params["TZID"] == "America/New_York"
    assert events["Connect on LinkedIn · Quill & Co."].start == date(2026, 11, 24)
    assert events["Ask for feedback · Quill & Co."].start == date(2026, 12, 1)
    assert not [s for s in events if "LinkedIn" in s and "Quill" not in s]


def test_the_example_calendar_carries_every_time_zone_it_uses(tmp_path):
    calendar = calendar_file(tmp_path)
    zones = {tz.tz_name for tz in calendar.timezones}
    assert zones == {"Europe/Berlin", "Europe/Oslo", "Europe/London", "America/New_York"}
    assert calendar.get_missing_tzids() == set()
    for event in calendar.events:
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt
            assert not isinstance(value, datetime) or value.tzinfo is not None


def test_importing_again_later_updates_the_same_entries(tmp_path):
    first = calendar_file(tmp_path)
    # The next morning, before Lumen's next round (a round once held leaves the calendar).
    later = calendar_file(tmp_path, now="2026-11-27T09:00:00+01:00")
    uids = [str(e["UID"]) for e in first.events]
    assert len(set(uids)) == len(uids)
    assert set(uids) <= {str(e["UID"]) for e in later.events}
    assert entry_uid("northwind-data-analyst", "thank_you", "onsite") in uids
    stamps = {e.stamp for e in later.events}
    assert stamps == {parse_now("2026-11-27T09:00:00+01:00")}


def test_a_second_run_writes_the_same_bytes(tmp_path):
    out = tmp_path / "a.ics"
    args = ["calendar", "--data", str(EXAMPLE), "--now", EXAMPLE_NOW, "--out", str(out)]
    assert main(args) == 0
    first = out.read_bytes()
    assert main(args) == 0
    assert out.read_bytes() == first
    assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.ics"]


def test_without_out_the_calendar_goes_to_stdout_with_the_same_bytes_in_any_process(tmp_path):
    # Another hash seed changes set order: the file must not depend on it.
    result = subprocess.run(
        [sys.executable, "-m", "followup", "calendar", "--data", str(EXAMPLE), "--now",
         EXAMPLE_NOW],
        capture_output=True,
        check=False,
        timeout=60,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(result.stdout)
    assert len(calendar.events) == 26
    assert calendar.to_ical() == calendar_file(tmp_path).to_ical()


def test_a_broken_file_is_reported_and_the_rest_is_still_written(example_dir, tmp_path, capsys):
    (example_dir / "opportunities" / "broken.yaml").write_text("id: [", encoding="utf-8")
    out = tmp_path / "out.ics"
    code = main(["calendar", "--data", str(example_dir), "--now", EXAMPLE_NOW, "--out", str(out)])
    assert code == 1
    assert "broken.yaml" in capsys.readouterr().err
    assert len(Calendar.from_ical(out.read_bytes()).events) == 26


def test_imported_interviews_reach_the_calendar_with_alarms_both_readers_agree_on(tmp_path, capsys):
    """An invitation imported, then `followup calendar` with reminders from settings.yaml: icalendar
    and recurring-ical-events (an independent reader of occurrences and alarms) see the same."""
    import recurring_ical_events

    from support import ROOT

    book = tmp_path / "workbook"
    book.mkdir()
    (book / "settings.yaml").write_text(
        "timezone: Europe/Berlin\nreminders:\n  interview_minutes_before: 90\n", encoding="utf-8"
    )
    invite = ROOT / "tests" / "data" / "invites" / "teams-tokyo.ics"
    assert main(["import", str(invite), "--data", str(book), "--yes"]) == 0
    calendar = calendar_file(tmp_path, data=book, now="2026-11-28T12:00:00+01:00")
    (event,) = [e for e in calendar.events if str(e["SUMMARY"]).startswith("Interview:")]
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["DTSTART"].dt == datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert "Yuki Mori <yuki.mori@hoshi-games.example>" in str(event["DESCRIPTION"])
    ring = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # 09:00 JST less 90 minutes, in UTC
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [ring]

    reader = recurring_ical_events.of(calendar)
    (seen,) = reader.between(datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert seen["UID"] == event["UID"]
    assert seen["DTSTART"].dt.astimezone(UTC) == datetime(2026, 11, 30, 0, tzinfo=UTC)
    alarms = recurring_ical_events.of(calendar, components=["VALARM"])
    assert [str(e["UID"]) for e in alarms.between(ring - timedelta(minutes=1), ring)] == []
    rung = alarms.between(ring, ring + timedelta(minutes=1))
    assert [str(e["UID"]) for e in rung] == [str(event["UID"])]
