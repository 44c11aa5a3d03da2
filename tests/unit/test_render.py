"""`followup status` as text: upcoming interviews first, times in your zone named once, a legend,
singulars, and no blocked LinkedIn step among the tasks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from followup.cli.render import legend, overview_text, status_header
from followup.core.model import Opportunity, Status
from followup.steps import overview

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 29, 12, tzinfo=BERLIN)


def acme(**fields) -> Opportunity:
    data = {
        "id": "acme",
        "company": "Acme",
        "role": "Analyst",
        "rounds": [
            {
                "name": "Onsite",
                "starts_at": "2026-11-26T10:00:00+01:00",
                "timezone": "Europe/Berlin",
                "interviewers": [{"name": "Kim Lee", "email": "kim@acme.example"}],
            },
            {
                "name": "Tokyo panel",
                "starts_at": "2026-11-30T09:00:00+09:00",
                "timezone": "Asia/Tokyo",
                "format": "video",
                "interviewers": [{"name": "Kenji Sato"}, {"name": "Yuki Mori"}],
            },
        ],
    }
    data.update(fields)
    return Opportunity.model_validate(data)


def test_upcoming_interviews_come_first_in_your_zone_with_their_own_time_beside():
    text = overview_text(overview([acme()], NOW), BERLIN)
    first = text.split("\n\n")[0].splitlines()
    assert first[0] == "Upcoming interviews (1)"
    assert first[1].strip() == (
        "Mon 30 Nov 2026 01:00 (09:00 there)  Acme · Analyst · Tokyo panel  "
        "(in 13 h, video, 2 interviewers)"
    )


def test_a_cancelled_or_past_round_is_not_upcoming():
    o = acme()
    o.rounds[1].cancelled = True
    assert "Upcoming interviews" not in overview_text(overview([o], NOW), BERLIN)


def test_due_times_are_in_your_zone_and_the_zone_is_named_only_in_the_header():
    text = overview_text(overview([acme()], datetime(2026, 11, 26, 18, tzinfo=BERLIN)), TOKYO)
    # 11:00 in Berlin is 19:00 in Tokyo: shown in your zone, with the hour there beside it
    assert "due Fri 27 Nov 2026 19:00 (11:00 there, in 17 h)" in text
    assert "JST" not in text.replace("JST there", "")
    header = status_header("data", NOW, TOKYO)
    assert "Times are in Asia/Tokyo (JST)." in header
    assert "now: Sun 29 Nov 2026 20:00" in header


def test_the_legend_explains_every_mark_shown():
    assert legend() == "Marks: !! overdue  ! due soon  - to do  .. waiting  x blocked  ok done"


def test_a_blocked_linkedin_step_is_not_in_the_task_list():
    text = overview_text(overview([acme()], NOW), BERLIN)
    assert "LinkedIn" not in text
    ended = acme(status=Status.REJECTED, outcome_on="2026-11-28")
    assert "Connect on LinkedIn [to do]" in overview_text(overview([ended], NOW), BERLIN)


def test_singulars_read_correctly():
    text = overview_text(overview([acme()], NOW, min_active=3), BERLIN)
    assert "Only 1 open process;" in text
    assert "Upcoming interviews (1)" in text
    assert "1 interviewers" not in text


def test_this_machines_zone_comes_from_tz_when_it_names_one(monkeypatch):
    from followup.clock import local_zone_name

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert local_zone_name() == "Asia/Tokyo"
    monkeypatch.setenv("TZ", ":America/Sao_Paulo")
    assert local_zone_name() == "America/Sao_Paulo"
    monkeypatch.setenv("TZ", "Mars/Olympus")
    assert local_zone_name() != "Mars/Olympus"  # not a zone: the system's own is used instead


def test_a_days_end_reads_as_that_day_in_any_zone():
    from followup.cli.render import when

    end_of_day = datetime(2026, 12, 5, 0, 0, tzinfo=ZoneInfo("Europe/London"))
    now = datetime(2026, 11, 26, 18, tzinfo=BERLIN)
    assert when(end_of_day, now, BERLIN).startswith("end of Fri 04 Dec 2026 (")
    assert when(end_of_day, now, TOKYO).startswith("end of Fri 04 Dec 2026 (")
    assert when(datetime(2026, 12, 5, 9, tzinfo=BERLIN), now, TOKYO).startswith(
        "Sat 05 Dec 2026 17:00 ("
    )
