"""Real invitations (Google, Outlook, Teams, Zoom in tests/data/invites/) mutated at random: lines
duplicated, dropped, cut short, swapped, values corrupted, hostile lines slipped in. Reading and
planning end as an import or as one clear line of the package's own errors, never anything else;
and `followup import` says so in one line, writing nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.core.errors import FollowupError
from followup.imports.invite import MAX_EVENTS, plan_invites, read_invites
from support import ROOT
from support import run_followup as run

INVITES = ROOT / "tests" / "data" / "invites"
SHAPES = {
    path.name: path.read_text(encoding="utf-8").splitlines()
    for path in sorted(INVITES.glob("*.ics"))
}
ME = "alex.morgan@example.org"

#: Values a sender (or an attacker) might put after a property's colon.
HOSTILE_VALUES = [
    "",
    "INVALID-DATE",
    "99991231T235959Z",
    "00010101T000000",
    "18991231T235959",
    "22001231T235959Z",
    "20261301T100000",
    "P999999999W",
    "P9999W",
    "-PT1H",
    "mailto:",
    "mailto:@",
    "x" * 400,
    "=?utf-8?q?Kim=0D=0ABcc:_x@example.com?=",
    ";;;",
    "\\n\\n",
    "CANCELLED",
]
#: Whole lines that do harm where they land.
HOSTILE_LINES = [
    "DTSTART:INVALID-DATE",
    "DTSTART:99991231T230000Z",
    "DTSTART;TZID=America/New_York:00010101T000000",
    "DTSTART;TZID=Custom:20261203T100000",
    "DTEND;TZID=Custom:20261203T110000",
    "DURATION:P999999999W",
    "BEGIN:VTIMEZONE",
    "TZID:Custom",
    "BEGIN:STANDARD",
    "DTSTART:16010101T000000",
    "RRULE:FREQ=SECONDLY",
    "RRULE:FREQ=YEARLY;BYHOUR=0,1,2,3",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "END:VCALENDAR",
    "UID:other@acme.example",
    "ORGANIZER:mailto:@",
    "ORGANIZER;CN=:x",
    "ATTENDEE;CN=\x07:mailto:a@b.example",
    "METHOD:CANCEL",
    "SEQUENCE:99999999999999999999",
    # whole zones of the file's own, one that never ends and one as real zones are
    "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
    "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE",
    "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """One of the real invitations with a few random changes."""
    name = draw(st.sampled_from(sorted(SHAPES)))
    lines = list(SHAPES[name])
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(["duplicate", "drop", "truncate", "swap", "corrupt", "insert", "cut"])
        )
        if kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "drop":
            del lines[i]
        elif kind == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "corrupt":
            head, sep, _ = lines[i].partition(":")
            value = draw(st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=20)))
            lines[i] = f"{head}{sep or ':'}{value}"
        elif kind == "insert":
            lines.insert(i, draw(st.sampled_from(HOSTILE_LINES)))
        else:
            lines = lines[:i]  # the file ends there, as a download cut short would
    text = "\r\n".join(lines) + "\r\n"
    return name, text.encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_real_invitation_is_read_or_refused_in_one_line_never_anything_else(case):
    name, data = case
    path = Path(name)
    try:
        invites = read_invites(data, path, me={ME}, zone="Europe/Berlin")
        plans = plan_invites(invites, [], company="Acme")
    except FollowupError as exc:
        message = str(exc)
        assert message and "\n" not in message
        return
    assert 1 <= len(invites) <= MAX_EVENTS
    for invite in invites:
        assert invite.starts_at.tzinfo is not None
        assert 1 <= invite.duration_minutes <= 24 * 60
        assert "vText" not in invite.summary + invite.uid + invite.location
    for plan in plans:
        for interview in plan.opportunity.rounds:
            assert 1900 <= interview.starts_at.year <= 2200
            assert all(p.name for p in interview.interviewers)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".locks" not in p.parts
    }


def events(count: int, attendees: int = 1) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:REQUEST"]
    for i in range(count):
        lines += [
            "BEGIN:VEVENT",
            f"UID:round-{i}@acme.example",
            f"SUMMARY:Acme – Interview {i}",
            "DTSTART;TZID=Europe/Berlin:20261203T100000",
            "DURATION:PT45M",
            "ORGANIZER;CN=Ana Ruiz:mailto:ana.ruiz@acme.example",
            *(f"ATTENDEE;CN=Person {j}:mailto:p{j}@acme.example" for j in range(attendees)),
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def zoom_with(*extra: str) -> str:
    lines = SHAPES["zoom.ics"]
    at = lines.index("BEGIN:VALARM")
    return "\r\n".join([*lines[:at], *extra, *lines[at:]]) + "\r\n"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (zoom_with("DTSTART;TZID=America/New_York:20261203T140000"), "gives DTSTART 2 times"),
        (events(1).replace("PT45M", "P999999999W"), "DURATION is 'P999999999W', which is not"),
        (events(1).replace("20261203T1", "99991203T1"), "DTSTART is in the year 9999"),
        (
            zoom_with("ORGANIZER;CN=Bo Lind:mailto:bo.lind@lumenhealth.example", "DTEND:bad"),
            "gives DTEND 2 times",
        ),
        (events(2000), "2,000 events in one file"),
        (events(1, attendees=5000), "lists 5,000 attendees"),
        (events(MAX_EVENTS, attendees=100), "expected at most 262,144"),
    ],
    ids=[
        "two-starts",
        "huge-duration",
        "year-9999",
        "two-ends",
        "2000-events",
        "5000-attendees",
        "size",
    ],
)
def test_a_hostile_invitation_is_one_line_from_followup_import_and_writes_nothing(
    tmp_path, text, says
):
    workbook = tmp_path / "workbook"
    workbook.mkdir()
    (workbook / "settings.yaml").write_text(f"your_email: {ME}\ntimezone: Europe/Berlin\n")
    invite = tmp_path / "invite.ics"
    invite.write_text(text, encoding="utf-8")
    before = snapshot(workbook)
    result = run("import", str(invite), "--data", str(workbook), "--yes", "--company", "Acme")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(workbook) == before
