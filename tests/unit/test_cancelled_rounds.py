"""A round called off (an invitation's METHOD:CANCEL) asks nothing of anyone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from followup.core.model import Opportunity, Settings
from followup.steps import StepKind, checklist

BERLIN = ZoneInfo("Europe/Berlin")


def opportunity(cancelled: bool) -> Opportunity:
    return Opportunity.model_validate(
        {
            "id": "kestrel",
            "company": "Kestrel",
            "rounds": [
                {
                    "name": "Panel",
                    "starts_at": "2026-11-26T10:00:00+01:00",
                    "timezone": "Europe/Berlin",
                    "cancelled": cancelled,
                    "link": "https://teams.example/l/meetup-join/1",
                    "uid": "040000008200E00074C5B7101A82E008",
                    "interviewers": [{"name": "Priya Raman", "email": "priya@kestrel.example"}],
                }
            ],
        }
    )


def test_a_cancelled_round_owes_no_thank_you_and_no_debrief():
    now = datetime(2026, 11, 26, 18, tzinfo=BERLIN)
    held = {s.kind for s in checklist(opportunity(False), now).steps}
    assert {StepKind.THANK_YOU, StepKind.DEBRIEF} <= held
    called_off = checklist(opportunity(True), now)
    assert {s.kind for s in called_off.steps}.isdisjoint(
        {StepKind.THANK_YOU, StepKind.DEBRIEF, StepKind.LINKEDIN}
    )
    assert called_off.opportunity.rounds[0].cancelled  # the record itself keeps the round


def test_a_round_link_must_be_a_web_address():
    with pytest.raises(ValueError, match="https://"):
        Opportunity.model_validate(
            {"id": "k", "company": "K", "rounds": [{"name": "R", "link": "javascript:alert(1)"}]}
        )


def test_settings_refuse_an_unknown_zone_and_keep_alarm_defaults():
    assert Settings().reminders.thank_you_hours_before == 3
    assert Settings().formal_greetings is False
    with pytest.raises(ValueError, match="Mars/Olympus"):
        Settings(timezone="Mars/Olympus")
