"""Invitations read from bytes: zone names, who counts as an interviewer, and a loader that never
raises anything but its one clear error, whatever it is fed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.core.errors import InvalidRecord
from followup.imports.invite import iana_zone, plan_invites, read_invites, round_name

PATH = Path("invite.ics")


def calendar(*event_lines: str, method: str = "REQUEST") -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        "UID:abc@example.org",
        *event_lines,
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize(
    ("tzid", "iana"),
    [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Europe/Lisbon", "Europe/Lisbon"),
        ("/mozilla.org/20050126_1/Europe/Paris", "Europe/Paris"),
        ("Mars Standard Time", None),
        ("", None),
    ],
)
def test_zone_names_map_to_iana(tzid, iana):
    assert iana_zone(tzid) == iana


def test_a_panel_without_an_address_and_a_duplicate_attendee_are_handled():
    (invite,) = read_invites(
        calendar(
            "DTSTART;TZID=Europe/Berlin:20261201T100000",
            "DURATION:PT45M",
            "ATTENDEE;CN=Priya Raman:mailto:priya@kestrel.example",
            "ATTENDEE;CN=Priya Raman:mailto:PRIYA@kestrel.example",
            "ATTENDEE;CN=Room B;CUTYPE=ROOM:mailto:roomb@kestrel.example",
            "ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:me@example.org",
        ),
        PATH,
        me={"ME@example.org"},
    )
    assert [p.email for p in invite.interviewers] == ["priya@kestrel.example"]
    assert invite.duration_minutes == 45
    assert invite.left_out == ("Room B (a room or resource)", "Me (you)")


def test_method_cancel_or_status_cancelled_marks_the_invite_cancelled():
    start = "DTSTART:20261201T100000Z"
    assert read_invites(calendar(start, method="CANCEL"), PATH)[0].cancelled
    assert read_invites(calendar(start, "STATUS:CANCELLED"), PATH)[0].cancelled
    assert not read_invites(calendar(start), PATH)[0].cancelled


def test_the_latest_sequence_of_one_uid_wins():
    text = calendar("DTSTART:20261201T100000Z", "SEQUENCE:0").decode()
    later = text.replace("20261201T100000Z", "20261202T100000Z").replace("SEQUENCE:0", "SEQUENCE:3")
    body = later.split("BEGIN:VEVENT", 1)[1].split("END:VEVENT", 1)[0]
    both = text.replace("END:VCALENDAR", f"BEGIN:VEVENT{body}END:VEVENT\r\nEND:VCALENDAR")
    (invite,) = read_invites(both.encode(), PATH)
    assert invite.starts_at.day == 2


def test_a_floating_time_without_a_zone_of_yours_is_refused_clearly():
    with pytest.raises(InvalidRecord, match=r"set `timezone:` in settings\.yaml"):
        read_invites(calendar("DTSTART:20261201T100000"), PATH, zone=None)


pieces = st.sampled_from(
    [
        "BEGIN:VCALENDAR",
        "END:VCALENDAR",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "UID:x",
        "DTSTART:20261201T100000Z",
        "DTSTART;TZID=Nowhere:20261201T100000",
        "DTSTART;VALUE=DATE:20261301",
        "DTSTART:garbage",
        "DTEND:20261201T090000Z",
        "DURATION:P9999W",
        'ATTENDEE;CN="A, B":mailto:',
        "ATTENDEE:mailto:a@b.example",
        "ORGANIZER:mailto:@",
        "SEQUENCE:x",
        "METHOD:CANCEL",
        "BEGIN:VTIMEZONE",
        "TZID:Nowhere",
        "END:VTIMEZONE",
        "LOCATION:https://zoom.us/j/1",
        "X-GOOGLE-CONFERENCE:javascript:alert(1)",
        "SUMMARY:Panel\x07 with\x00 bells",
        "LOCATION:Room\x1b[31m 4",
        "ATTENDEE;CN=Kim\x0bLee:mailto:kim@acme.example",
        "ATTENDEE;CN=Kim Lee:mailto:kim@acme",
        "ORGANIZER;CN=Ana:mailto:ana@acme.example",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(pieces, st.text(max_size=30)), max_size=25))
def test_the_invite_loader_and_planner_never_raise_anything_but_their_clear_error(lines):
    data = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        invites = read_invites(data, PATH, zone="Europe/Berlin")
    except InvalidRecord as exc:
        assert str(exc).startswith(str(PATH))
        return
    for invite in invites:
        assert invite.starts_at.tzinfo is not None
        assert 1 <= invite.duration_minutes <= 24 * 60
    try:
        plans = plan_invites(invites, [], company="Acme")
    except InvalidRecord as exc:
        assert "\n" not in str(exc)
        return
    for plan in plans:
        for interview in plan.opportunity.rounds:
            assert "\x07" not in interview.name and "\x1b" not in interview.location


def test_control_characters_and_bad_addresses_on_an_invite_are_cleaned_not_fatal():
    (invite,) = read_invites(
        calendar(
            "DTSTART:20261201T100000Z",
            "SUMMARY:Panel\x07 with\x00 bells",
            "LOCATION:Room\x1b[31m 4",
            "ATTENDEE;CN=Kim\x0bLee:mailto:kim@acme.example",
            "ATTENDEE;CN=Ana Ruiz:mailto:ana@acme",
        ),
        PATH,
    )
    assert invite.summary == "Panel with bells"
    assert invite.location == "Room [31m 4"
    # icalendar cannot read a control character in a parameter: the line is left out, and said.
    assert [(p.name, p.email) for p in invite.interviewers] == [("Ana Ruiz", None)]
    assert invite.notes == ("a line it could not read was left out (ATTENDEE;CN=Kim Lee…)",)
    (plan,) = plan_invites([invite], [], company="Acme")
    assert plan.opportunity.rounds[0].name == "Panel with bells"


@pytest.mark.parametrize(
    ("summary", "company", "name"),
    [
        ("Hoshi Games – Technical interview (Teams)", "Hoshi Games", "Technical interview"),
        ("Recruiter screen – Lumen Health", "Lumen Health", "Recruiter screen"),
        ("Interview: Kestrel | Panel", "Kestrel", "Interview – Panel"),
        ("Follow-up call - Acme", "Acme", "Follow-up call"),
        ("Kestrel Robotics", "Kestrel Robotics", "Interview"),
    ],
)
def test_the_round_is_named_from_the_title_without_the_company_or_the_tool(summary, company, name):
    assert round_name(summary, company) == name
