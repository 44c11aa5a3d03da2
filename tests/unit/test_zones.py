"""Time zones that name a place: the model, the form's picker and the invitation reader keep only
Area/Location names (or UTC), and read old names as today's."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from followup.core.model import Settings
from followup.core.zones import place_zone
from followup.forms.values import parse_zone, zone_choices
from followup.imports.invite import iana_zone, read_invites


@pytest.mark.parametrize("name", ["EST", "Factory", "CET", "EST5EDT", "Etc/GMT+5", "localtime"])
def test_a_zone_that_names_no_place_is_refused_by_the_model_and_the_form(name):
    with pytest.raises(ValidationError, match="names a place"):
        Settings.model_validate({"timezone": name})
    with pytest.raises(ValueError):
        parse_zone(name)
    assert name not in zone_choices()


@pytest.mark.parametrize(
    ("old", "today"),
    [
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("America/Indianapolis", "America/Indiana/Indianapolis"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_an_old_zone_name_is_read_from_a_file_as_todays_name_and_never_offered(old, today):
    assert Settings.model_validate({"timezone": old}).timezone == today
    assert place_zone(old) == today
    assert old not in zone_choices()
    assert today in zone_choices()


def test_a_countrys_own_zone_keeps_its_name_though_the_database_links_it_elsewhere():
    assert place_zone("Europe/Oslo") == "Europe/Oslo"
    assert "Europe/Oslo" in zone_choices()


def test_an_invitation_in_an_old_or_abbreviated_zone_is_read_as_a_place_or_an_offset():
    assert iana_zone("US/Eastern") == "America/New_York"
    assert iana_zone("EST") is None
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:z@x.example\r\n"
        b"DTSTART;TZID=Asia/Calcutta:20261201T100000\r\nSUMMARY:Acme: Screen\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (invite,) = read_invites(ics, Path("invite.ics"), zone="Europe/Berlin")
    assert invite.timezone == "Asia/Kolkata"
    assert invite.starts_at.utcoffset().total_seconds() == 5.5 * 3600
