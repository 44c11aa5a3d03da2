"""Calendar invitations in: an interview invite (.ics) read as a round, merged into the workbook.

Pure parsing and planning: bytes and values in, values out; no files, no clock, no prompts. The CLI
(`followup import invite.ics`) reads the file, shows the plan and writes only once it is accepted.

Read as Google Calendar, Outlook, Microsoft Teams and Zoom send them: one or more VEVENTs; DTSTART
with a TZID (an IANA name, or Outlook's Windows names such as "W. Europe Standard Time", mapped with
the CLDR table icalendar ships), in UTC, or floating (read in the person's own zone); ORGANIZER and
ATTENDEE with CN and mailto:; LOCATION, the conference link, DESCRIPTION. Interviewers are the
attendees, less the person's own address, rooms and other resources, and anyone who declined.
The same UID updates the round it made; METHOD:CANCEL (or STATUS:CANCELLED) marks it cancelled.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from followup.calendar.ics import UID_DOMAIN
from followup.core.errors import InvalidRecord
from followup.core.formats import moment, plural
from followup.core.model import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    Format,
    Interview,
    Interviewer,
    Opportunity,
    _check_email,
    slugify,
    unique_id,
)
from followup.core.zones import place_zone
from followup.storage.files import MAX_FILE_BYTES, dump_opportunity, explain, field_name

#: Hosts whose links are video calls, in the order they are looked for.
VIDEO_HOSTS = (
    "teams.microsoft.com",
    "teams.live.com",
    "zoom.us",
    "zoom.com",
    "meet.google.com",
    "webex.com",
    "whereby.com",
    "chime.aws",
    "gotomeeting.com",
    "meet.jit.si",
)
#: Properties some senders put the conference link in, before it is looked for in the text.
LINK_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGURL",
    "URL",
)
#: Mail domains that say nothing about the employer, so the company must be asked for.
PERSONAL_DOMAINS = frozenset(
    [
        *("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com"),
        *("yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com"),
        *("gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com", "fastmail.com"),
        *("calendly.com", "zoom.us", "google.com", "microsoft.com"),
    ]
)
#: Properties an event may give only once: given twice, nobody can tell which one is meant.
ONCE = ("UID", "DTSTART", "DTEND", "DURATION")
#: The most events one file may hold: an invitation has one or a few, not a whole calendar.
MAX_EVENTS = 100
#: The most attendees one event may list: an interview panel, not a company-wide meeting.
MAX_ATTENDEES = 100
#: The largest file read as an invitation: room for an attachment or two sent inside it, while
#: reading it stays a matter of seconds.
MAX_INVITE_BYTES = 4 * 1024 * 1024
#: The parts of a VTIMEZONE rule that real zones use, and how many values each may list. Any other
#: rule (FREQ=SECONDLY, BYHOUR=0,1,…) could make finding the offset walk millions of moments.
_TAME_RULE = {
    "FREQ": 1,
    "INTERVAL": 1,
    "BYMONTH": 1,
    "BYDAY": 1,
    "BYMONTHDAY": 7,
    "UNTIL": 1,
    "COUNT": 1,
    "WKST": 1,
}
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_PHONE_WORDS = re.compile(r"\b(phone|call you|dial|tel:)", re.IGNORECASE)


@dataclass(frozen=True)
class Attendee:
    """Someone on the invitation: a name and an address."""

    name: str
    email: str | None


@dataclass(frozen=True)
class Invite:
    """One VEVENT of an invitation, read into the terms of a round."""

    uid: str
    summary: str
    starts_at: datetime
    timezone: str | None
    duration_minutes: int
    format: Format | None
    location: str
    link: str | None
    organizer: Attendee | None
    interviewers: tuple[Attendee, ...]
    left_out: tuple[str, ...]
    description: str
    cancelled: bool
    sequence: int = 0
    notes: tuple[str, ...] = ()
    #: Everyone taking part (the organizer and you included; rooms and who declined left out):
    #: what a form offers to choose "me", the recruiter and the interviewers from.
    attendees: tuple[Attendee, ...] = ()
    #: Whether one of the attendees is one of your known addresses.
    me_known: bool = True
    #: When it is not: the attendee who is probably you, and why it seems so.
    probably_me: Attendee | None = None
    why_me: str = ""

    def domains(self) -> list[str]:
        """The employer's mail domains on the invitation (personal and calendar ones left out)."""
        found: list[str] = []
        for person in [self.organizer, *self.interviewers]:
            if person is None or not person.email:
                continue
            domain = person.email.rpartition("@")[2].lower()
            if domain not in PERSONAL_DOMAINS and domain not in found:
                found.append(domain)
        return found

    def company_guess(self) -> str | None:
        """The employer, from the organizer's or an interviewer's mail domain, when it says so;
        spelled as the title spells it when it is there ('lumenhealth' -> 'Lumen Health')."""
        for domain in self.domains():
            parts = domain.split(".")
            name = parts[-2] if len(parts) >= 2 else parts[0]
            if name in ("co", "com", "ac", "org") and len(parts) >= 3:
                name = parts[-3]
            in_title = loose_match(name.replace("-", "").replace("_", ""), self.summary)
            if in_title:
                return in_title
            return " ".join(w.capitalize() for w in re.split(r"[-_]", name) if w)
        return None


def _fail(path: Path, message: str, field_name: str | None = None) -> InvalidRecord:
    return InvalidRecord(f"{path}: {message}", path=path, field=field_name)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _line(value: Any) -> str:
    """One line of plain text: line breaks and control characters become single spaces."""
    return " ".join(_CONTROL.sub(" ", _text(value)).split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def iana_zone(tzid: str) -> str | None:
    """The IANA name for a TZID: an IANA name itself, a Windows name ('W. Europe Standard Time',
    through the CLDR table icalendar ships) or vendor-prefixed ('/mozilla.org/…/Europe/Rome');
    None when it is none of these."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    name = tzid.strip().strip('"')
    candidates = [name, WINDOWS_TO_OLSON.get(name, "")]
    if name.startswith("/"):
        candidates.append("/".join(name.split("/")[-2:]))
    for candidate in candidates:
        if candidate:
            try:
                return place_zone(candidate)  # 'Asia/Calcutta' as Asia/Kolkata; not 'EST'
            except ValueError:
                continue
    return None


def _zone_name(tz: tzinfo | None) -> str | None:
    """The zone's name when it names a place (today's name); None for an offset or 'EST'."""
    if isinstance(tz, ZoneInfo):
        try:
            return place_zone(tz.key)
        except ValueError:
            return None
    return None


def _address(value: Any) -> str | None:
    text = _text(value)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    try:
        return _check_email(text)  # the model's own rule: an address it would refuse is left out
    except ValueError:
        return None


def _name_from(email: str | None) -> str:
    local = (email or "").partition("@")[0]
    words = [w for w in re.split(r"[._\-+]", local) if w and not w.isdigit()]
    return " ".join(w.capitalize() for w in words) or (email or "")


def _person(prop: Any) -> Attendee:
    email = _address(prop)
    params = getattr(prop, "params", {}) or {}
    name = _line(params.get("CN")).strip('"') or _name_from(email)
    if email and name.lower() == email:
        name = _name_from(email)
    last, comma, first = name.partition(",")
    if comma and first.strip() and "," not in first and " " not in last.strip():
        name = f"{first.strip()} {last.strip()}"  # Outlook writes 'Dubois, Amélie'.
    return Attendee(name=" ".join(name.split()), email=email)


def _one(event: Any, name: str, path: Path, where: str) -> Any:
    """The property `name` of `event`: refused when one of ONCE is given twice, else the first."""
    value = event.get(name)
    if not isinstance(value, list):
        return value
    if name in ONCE:
        raise _fail(
            path,
            f"{where} gives {name} {len(value)} times; expected it once, so it is clear which "
            "one is meant",
            name,
        )
    return value[0] if value else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _link(event: Any, location: str, description: str) -> str | None:
    for name in LINK_PROPERTIES:
        value = event.get(name)
        text = _text(value[0] if isinstance(value, list) and value else value)
        if text.startswith(("https://", "http://")):
            return text
    for source in (location, description):
        for url in _URL.findall(source):
            if any(host in url.lower() for host in VIDEO_HOSTS):
                return url.rstrip(".,;")
    return None


def _format(link: str | None, location: str, description: str) -> Format | None:
    if link:
        return Format.VIDEO
    if _PHONE_WORDS.search(location):
        return Format.PHONE
    if location:
        return Format.ONSITE
    if _PHONE_WORDS.search(description):
        return Format.PHONE
    return None


def _value(prop: Any, name: str, path: Path, where: str) -> Any:
    """The date, time or duration a property holds, or one clear line when it holds none."""
    try:
        return prop.dt
    except (ValueError, TypeError, OverflowError, AttributeError):
        raise _fail(
            path,
            f"{where}: {name} is {_line(prop)[:40]!r}, which is not a readable "
            + (
                "duration; expected one such as PT45M"
                if name == "DURATION"
                else "date and time; expected one such as 20261203T100000"
            ),
            name,
        ) from None


def _tame_zone(zone: Any, tzid: str, path: Path, where: str, name: str) -> None:
    """Refuse a VTIMEZONE whose rules could take for ever to follow (FREQ=SECONDLY since 1601):
    real zones change their offset at most a few times a year."""
    parts = zone.walk() if zone is not None else []
    for part in parts[1:]:
        for rule in _as_list(part.get("RRULE")):
            for key, values in dict(rule).items():
                values = _as_list(values)
                if len(values) > _TAME_RULE.get(str(key).upper(), 0) or (
                    str(key).upper() == "FREQ" and _text(values[0]).upper() != "YEARLY"
                ):
                    raise _fail(
                        path,
                        f"{where}: the file's own time zone {tzid!r} changes by a rule no real "
                        f"zone uses ({key}={','.join(map(_text, values))[:40]}); expected a yearly "
                        "rule, or an IANA name such as 'Europe/Berlin'",
                        name,
                    )


def _moment(prop: Any, name: str, path: Path, where: str, zones: dict[str, Any]) -> tuple[Any, str]:
    """The value of DTSTART or DTEND, its time zone made safe to use: an IANA zone in place of
    the sender's rules when the TZID names one, the year within the model's years."""
    value = _value(prop, name, path, where)
    tzid = _text(prop.params.get("TZID")) if hasattr(prop, "params") else ""
    if not isinstance(value, datetime):
        return value, tzid
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise _fail(
            path,
            f"{where}: {name} is in the year {value.year}; expected a year between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}",
            name,
        )
    known = iana_zone(tzid) if tzid else None
    if known is not None and not isinstance(value.tzinfo, ZoneInfo):
        # A Windows name with the sender's own VTIMEZONE: the wall time, in the IANA zone.
        return value.replace(tzinfo=ZoneInfo(known)), tzid
    if value.tzinfo is not None and not isinstance(value.tzinfo, (ZoneInfo, timezone)):
        # The sender's own zone. icalendar keeps such zones for the whole process, so the rules
        # behind `value.tzinfo` may come from another file: read this file's own, bounded.
        wall = value.replace(tzinfo=None)
        zone = zones.get(tzid)
        if zone is None:
            return wall, tzid  # refused as an unknown zone
        _tame_zone(zone, tzid, path, where, name)
        return wall.replace(tzinfo=_offset_in(zone, wall, tzid, path, where, name)), tzid
    return value, tzid


def _offset_in(
    zone: Any, wall: datetime, tzid: str, path: Path, where: str, name: str
) -> timezone | None:
    """The UTC offset a VTIMEZONE (whose rules are yearly) gives the wall time `wall`: that of its
    STANDARD or DAYLIGHT part which began last before it. None when no part had begun."""
    from dateutil.rrule import rrulestr

    latest: tuple[datetime, timezone] | None = None
    try:
        for part in zone.walk()[1:]:
            if part.name not in ("STANDARD", "DAYLIGHT") or part.get("TZOFFSETTO") is None:
                continue
            first = part.get("DTSTART").dt.replace(tzinfo=None)
            offset = timezone(part.get("TZOFFSETTO").td)
            onsets = [first]
            for rule in _as_list(part.get("RRULE")):
                text = rule.to_ical().decode()
                onsets.append(rrulestr(text, dtstart=first, ignoretz=True).before(wall, inc=True))
            for dates in _as_list(part.get("RDATE"))[:MAX_EVENTS]:
                onsets.extend(d.dt.replace(tzinfo=None) for d in dates.dts[:MAX_EVENTS])
            began = [o for o in onsets if isinstance(o, datetime) and o <= wall]
            if began and (latest is None or max(began) > latest[0]):
                latest = (max(began), offset)
    except (AttributeError, TypeError, ValueError, OverflowError):
        raise _fail(
            path,
            f"{where}: the file's own time zone {tzid!r} cannot be read; expected its offsets "
            "and yearly rules, or an IANA name such as 'Europe/Berlin'",
            name,
        ) from None
    return latest[1] if latest is not None else None


def _start(
    event: Any, path: Path, where: str, default_zone: str | None, zones: dict[str, Any]
) -> tuple[datetime, str | None, list[str]]:
    prop = _one(event, "DTSTART", path, where)
    if prop is None:
        raise _fail(path, f"{where} has no start (DTSTART); expected the interview's date and time")
    value, tzid = _moment(prop, "DTSTART", path, where, zones)
    notes: list[str] = []
    if not isinstance(value, datetime):
        raise _fail(
            path,
            f"{where} starts on {value} with no time of day; expected a start time "
            "(an all-day event is not an interview)",
            "DTSTART",
        )
    if value.tzinfo is None:
        if tzid:
            raise _fail(
                path,
                f"{where}: unknown time zone name {tzid!r} in DTSTART; expected an IANA name such "
                "as 'Europe/Berlin' or a Windows name such as 'W. Europe Standard Time'",
                "DTSTART",
            )
        if not default_zone:
            raise _fail(
                path,
                f"{where} starts at {value:%Y-%m-%d %H:%M} with no time zone; set `timezone:` in "
                "settings.yaml to say which zone such times are in",
                "DTSTART",
            )
        notes.append(f"the start has no time zone: read as {default_zone} time")
        return value.replace(tzinfo=ZoneInfo(default_zone)), default_zone, notes
    name = _zone_name(value.tzinfo)
    if name in ("UTC", "Etc/UTC") or (name is None and value.utcoffset() == timedelta(0)):
        # A time sent in UTC says nothing of where the round is: use the person's own zone.
        zone = default_zone or "UTC"
        return value.astimezone(ZoneInfo(zone)), zone, notes
    if name is None:
        notes.append(
            f"the zone {tzid or value.tzname()!r} is not a known name: kept as the offset "
            f"{value:%z}; set the round's time zone by hand if it matters"
        )
    return value, name, notes


def _duration(event: Any, start: datetime, path: Path, where: str, zones: dict[str, Any]) -> int:
    end = _one(event, "DTEND", path, where)
    duration = _one(event, "DURATION", path, where)
    end_value = _moment(end, "DTEND", path, where, zones)[0] if end is not None else None
    if isinstance(end_value, datetime):
        if end_value.tzinfo is None:
            end_value = end_value.replace(tzinfo=start.tzinfo)
        minutes = round((end_value.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60)
    elif duration is not None:
        length = _value(duration, "DURATION", path, where)
        if not isinstance(length, timedelta):
            raise _fail(
                path,
                f"{where}: DURATION is not a length of time; expected one such as PT45M",
                "DURATION",
            )
        minutes = round(length.total_seconds() / 60)
    else:
        minutes = 60
    return min(max(minutes, 1), 24 * 60)


def _event_invite(
    event: Any,
    method: str,
    path: Path,
    index: int,
    me: set[str],
    default_zone: str | None,
    zones: dict[str, Any],
    owner: str | None = None,
) -> Invite:
    """One VEVENT as an Invite. A property that must be single (ONCE) and is given twice is
    refused; of any other given twice, the first is read."""
    summary = _line(_one(event, "SUMMARY", path, f"event {index}"))
    where = f"event {index} ({summary!r})" if summary else f"event {index}"
    uid = _line(_one(event, "UID", path, where))
    if not uid:
        raise _fail(path, f"{where} has no UID; expected the invitation's identifier", "UID")
    start, zone, notes = _start(event, path, where, default_zone, zones)
    for _, error in getattr(event, "errors", []) or []:
        line = _line(str(error).partition("'")[2].partition(":")[0])[:40]
        notes.append(f"a line it could not read was left out ({line or 'unknown'}…)")
    location = _line(_one(event, "LOCATION", path, where))
    description = _text(_one(event, "DESCRIPTION", path, where))
    link = _link(event, location, description)
    if link and location.startswith(("https://", "http://")):
        location = ""  # the location was only the link
    sender = _one(event, "ORGANIZER", path, where)
    organizer = _person(sender) if sender is not None else None
    people: list[Attendee] = []
    left_out: list[str] = []
    seen: set[str] = set()
    attendees = _as_list(event.get("ATTENDEE"))
    if len(attendees) > MAX_ATTENDEES:
        raise _fail(
            path,
            f"{where} lists {len(attendees):,} attendees; expected an interview with at most "
            f"{MAX_ATTENDEES}",
            "ATTENDEE",
        )
    everyone: list[Attendee] = []
    waiting: list[Attendee] = []  # invited and not answered yet: in a Google export, you
    me_known = False
    for prop in attendees:
        person = _person(prop)
        params = getattr(prop, "params", {}) or {}
        kind = _text(params.get("CUTYPE")).upper()
        label = person.name or person.email or "someone"
        key = person.email or person.name.lower()
        if kind in ("ROOM", "RESOURCE") or _text(params.get("ROLE")).upper() == "NON-PARTICIPANT":
            left_out.append(f"{label} (a room or resource)")
            continue
        if _text(params.get("PARTSTAT")).upper() == "DECLINED":
            left_out.append(f"{label} (declined)")
            continue
        if key in seen or not person.name:
            continue
        seen.add(key)
        everyone.append(person)
        if person.email and person.email in me:
            me_known = True
            left_out.append(f"{label} (you)")
            continue
        if _text(params.get("PARTSTAT")).upper() == "NEEDS-ACTION" and (
            organizer is None or person.email != organizer.email
        ):
            waiting.append(person)
        people.append(person)
    if organizer is not None and organizer.name and organizer.email not in me:
        if organizer.email not in {p.email for p in everyone if p.email}:
            everyone.insert(0, organizer)
        others = [p for p in people if p.email != organizer.email]
        if not others:
            people = [organizer]  # the only one on the other side: they interview
        elif not loose_match(organizer.name, summary):
            people = others  # who sent it is the recruiter, not an interviewer
    probably_me, why_me = (
        (None, "") if me_known else _probably_me(people, waiting, organizer, owner)
    )
    if probably_me is not None:
        people = [p for p in people if p != probably_me]
        left_out.append(f"{probably_me.name or probably_me.email} (probably you)")
    names = [p.name for p in people]
    for i, person in enumerate(people):  # the model wants distinct names in a round
        if names.count(person.name) > 1:
            people[i] = Attendee(f"{person.name} ({person.email})", person.email)
    status = _text(_one(event, "STATUS", path, where)).upper()
    try:
        sequence = int(_text(_one(event, "SEQUENCE", path, where)) or 0)
    except ValueError:
        sequence = 0
    return Invite(
        uid=uid,
        summary=summary,
        starts_at=start,
        timezone=zone,
        duration_minutes=_duration(event, start, path, where, zones),
        format=_format(link, location, description),
        location=location[:300],
        link=link,
        organizer=organizer,
        interviewers=tuple(people),
        left_out=tuple(left_out),
        description=description,
        cancelled=method == "CANCEL" or status == "CANCELLED",
        sequence=sequence,
        notes=tuple(notes),
        attendees=tuple(everyone),
        me_known=me_known or not attendees,
        probably_me=probably_me,
        why_me=why_me,
    )


def in_zone(invite: Invite, zone: str) -> Invite:
    """The invitation with its round in `zone`, as a person chose it: a start sent with no zone
    is that wall time in `zone`; any other keeps its moment, shown in `zone`."""
    name = place_zone(zone)
    if name == invite.timezone:
        return invite
    floating = any(n.startswith("the start has no time zone") for n in invite.notes)
    start = invite.starts_at
    start = start.replace(tzinfo=ZoneInfo(name)) if floating else start.astimezone(ZoneInfo(name))
    notes = tuple(n for n in invite.notes if not n.startswith("the start has no time zone"))
    return replace(invite, starts_at=start, timezone=name, notes=notes)


def _probably_me(
    people: list[Attendee],
    waiting: list[Attendee],
    organizer: Attendee | None,
    owner: str | None = None,
) -> tuple[Attendee | None, str]:
    """The attendee who is probably the person importing, when none of their addresses is on the
    invitation: the guest whose calendar it was saved from (X-WR-CALNAME, as Google names an
    export), else the one guest who has not answered yet (a Google invitation's own guest), else
    the one guest at a personal address (gmail, outlook…) among the employer's."""
    mine = next((p for p in people if owner and p.email == owner), None)
    if mine is not None:
        return mine, "the calendar it was saved from is theirs"
    if len(waiting) == 1 and (len(people) > 1 or organizer is not None):
        return waiting[0], "the one guest who has not answered the invitation yet"
    home = organizer.email.rpartition("@")[2] if organizer and organizer.email else ""
    personal = [
        p
        for p in people
        if p.email
        and p.email.rpartition("@")[2] in PERSONAL_DOMAINS
        and p.email.rpartition("@")[2] != home
    ]
    if len(personal) == 1:
        return personal[0], "the one guest at a personal address"
    return None, ""


def read_invites(
    data: bytes,
    path: Path,
    *,
    me: set[str] | frozenset[str] = frozenset(),
    zone: str | None = None,
    max_events: int = MAX_EVENTS,
) -> list[Invite]:
    """Every interview in an invitation file, one Invite per UID (the latest SEQUENCE wins).

    `me` is the person's own addresses (left out of the interviewers); `zone` is their IANA zone,
    for times sent in UTC or with no zone. Anything that is not a readable invitation raises
    InvalidRecord with one line naming the file and what was expected: so does a file of more than
    `max_events` events, an event of more than MAX_ATTENDEES attendees, a property that must be
    single given twice, and a year outside the model's.
    """
    from icalendar import Calendar

    path = Path(path)
    if len(data) > MAX_INVITE_BYTES:
        raise _fail(
            path,
            f"{len(data):,} bytes; expected an invitation of at most {MAX_INVITE_BYTES:,} bytes "
            "(save the interview's invitation alone, not a whole calendar)",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"byte {exc.start}: not UTF-8 text; expected a calendar file") from None
    if "BEGIN:VCALENDAR" not in text.upper():
        raise _fail(path, "not a calendar file: expected text starting with BEGIN:VCALENDAR (.ics)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, … on malformed text
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(path, f"not a readable calendar file: {first[:120]}") from None
    me = {m.lower() for m in me if m}
    calendars = [c for c in calendars if getattr(c, "name", "") == "VCALENDAR"]
    count = sum(len(c.walk("VEVENT")) for c in calendars)
    if count > max_events:
        raise _fail(
            path,
            f"{count:,} events in one file; expected an invitation, with at most {max_events} "
            "(save the interview's invitation alone, not a whole calendar)",
        )
    invites: dict[str, Invite] = {}
    index = own = 0
    for calendar in calendars:
        method = _text(_one(calendar, "METHOD", path, "the calendar")).upper()
        zones = {_text(z.get("TZID")): z for z in calendar.walk("VTIMEZONE")}
        owner = _address(_one(calendar, "X-WR-CALNAME", path, "the calendar"))
        for event in calendar.walk("VEVENT"):
            index += 1
            if _text(event.get("UID")).endswith(f"@{UID_DOMAIN}"):
                own += 1  # a reminder from `followup calendar`, not an invitation
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                invite = _event_invite(event, method, path, index, me, zone, zones, owner)
            known = invites.get(invite.uid)
            if known is None or invite.sequence >= known.sequence:
                invites[invite.uid] = invite
    if not invites and own:
        raise _fail(
            path,
            "this is followup's own calendar (from `followup calendar`), not an invitation; "
            "expected an .ics saved from the invitation email or your calendar",
        )
    if not invites:
        raise _fail(path, "the calendar has no event (VEVENT); expected an interview invitation")
    return list(invites.values())


# Planning: what importing would change in the workbook


@dataclass
class Planned:
    """One opportunity as it would be after the import, and what changed, in plain lines."""

    opportunity: Opportunity
    created: bool
    lines: list[str] = field(default_factory=list)
    changed: bool = True


def _domains_of(opportunity: Opportunity) -> set[str]:
    people = [opportunity.recruiter, *opportunity.interviewers()]
    return {p.email.rpartition("@")[2].lower() for p in people if p is not None and p.email}


class _Companies:
    """The open opportunities with their mail domains and company slugs, read once, so finding the
    opportunity of each invitation does not read every round of the workbook again."""

    def __init__(self, opportunities: list[Opportunity]):
        self.domains = {o.id: _domains_of(o) for o in opportunities if not o.status.ended}
        self.slugs = {o.id: slugify(o.company) for o in opportunities if not o.status.ended}

    def add(self, opportunity_id: str, company: str, domains: Iterable[str]) -> None:
        """Keep in step with an opportunity the import creates or adds people to."""
        self.slugs.setdefault(opportunity_id, slugify(company))
        self.domains.setdefault(opportunity_id, set()).update(domains)

    def find(self, company: str | None, domains: list[str]) -> str | None:
        """The one open opportunity whose people share the invitation's mail domain, else the
        one whose company has the same name (or starts with it: 'Northwind' finds 'Northwind
        Logistics')."""
        tests = [lambda i: bool(self.domains[i] & set(domains))]
        if company:
            slug = slugify(company)
            tests.append(lambda i: self.slugs[i] == slug)
            tests.append(lambda i: self.slugs[i].startswith(slug + "-"))
        for test in tests:
            same = [i for i in self.slugs if test(i)]
            if len(same) == 1:
                return same[0]
        return None


#: Words in an invitation's title that name the tool, not the round.
_TOOL_WORDS = re.compile(r"\((?:microsoft\s+)?(?:teams|zoom|google\s+meet|meet|webex)\)", re.I)


def loose_match(name: str, text: str) -> str | None:
    """`name` found in `text` whatever the case, spaces and punctuation between its letters:
    'lumenhealth' finds 'Lumen Health'. Returns the text as it is spelled there."""
    letters = [c for c in name if c.isalnum()]
    if not letters:
        return None
    found = re.search(r"[\s&.\-]*".join(map(re.escape, letters)), text, re.IGNORECASE)
    return found.group(0).strip() if found else None


def round_name(summary: str, company: str) -> str:
    """The round's name from the invitation's title, without the company or the tool:
    'Hoshi Games – Technical interview (Teams)' at Hoshi Games -> 'Technical interview'."""
    name = _TOOL_WORDS.sub("", summary)
    if company:
        spelled = loose_match(company, name)
        if spelled:
            name = name.replace(spelled, "")
    name = re.sub(r"\(\s*\)", "", name)
    name = re.sub(r"\s*[–—|·:-](?:\s*[–—|·:-])+\s*", " – ", name.strip())  # 'A: | B'
    name = re.sub(r"\s+([:,])", r"\1", name)
    name = " ".join(name.strip(" –—|·:-,").split())
    return name[:80] or "Interview"


#: Words that make a part of a title a round: 'Technical interview', 'Recruiter screen'.
_ROUND_WORDS = re.compile(
    r"\b(interview\w*|screen\w*|call|chat|round|panel|on-?site|meeting|conversation|"
    r"assessment|coding|pairing|system design|behaviou?ral|culture|take[- ]home|review|"
    r"presentation|intro\w*|debrief|loop|technical|final|first|second|third|meet|"
    r"hiring manager|catch-?up|sync|case study|deep dive|follow-?up)\b",
    re.IGNORECASE,
)
#: Words that make a part of a title a role: 'Data Engineer', 'Product Designer'.
_ROLE_WORDS = re.compile(
    r"\b(engineer\w*|developer|designer|analyst|scientist|researcher|architect|consultant|"
    r"specialist|intern|manager|director|lead|head|officer|administrator|accountant|writer|"
    r"marketer|programmer|devops|sre|swe|associate|coordinator|representative|vp|"
    r"product owner|strategist|economist|editor|teacher|nurse|counsel|lawyer)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*[:|·]\s+|\s+[–—-]\s+|\s*[–—]\s*")


@dataclass(frozen=True)
class TitleGuess:
    """What an invitation's title says: the company, the round and the role, each None when the
    title does not say it; `unsure` says, in plain words, what could not be told apart."""

    company: str | None
    round: str | None
    role: str | None
    unsure: tuple[str, ...] = ()


def _clean_part(text: str) -> str:
    return " ".join(text.strip(" –—|·:-,()").split())


def read_title(summary: str, domain_company: str | None = None) -> TitleGuess:
    """The company, round and role in a title of the shapes people use: 'Company: Round (Role)',
    'Company - Round - Role', 'Company | Role | Round', 'Round with Company', 'Interview: Role at
    Company'. `domain_company` is the employer the addresses name, which settles which part is
    the company; when two parts could be it, `unsure` says so rather than guess."""
    text = _TOOL_WORDS.sub("", summary)
    text = re.sub(r"^\s*(?:updated\s+)?invitation:\s*", "", text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    at = re.fullmatch(
        r"(?:(?P<round>[^:|–—]+?)\s*(?::|\s[|–—-])\s*)?(?P<role>.+?)\s+(?:at|@)\s+"
        r"(?P<company>[^:|–—()]+?)(?:\s*\((?P<paren>[^()]*)\))?",
        text,
    )
    if at:
        role, rnd = _clean_part(at["role"]), _clean_part(at["round"] or "")
        if not _ROLE_WORDS.search(role) and _ROUND_WORDS.search(role):
            role, rnd = "", role  # 'Technical interview at Acme'
        if at["paren"] and not rnd and _ROUND_WORDS.search(at["paren"]):
            rnd = _clean_part(at["paren"])
        return TitleGuess(_clean_part(at["company"]) or None, rnd or None, role or None)
    with_ = re.fullmatch(r"(?P<round>.+?)\s+with\s+(?P<company>[^:|–—()]+?)", text)
    if with_ and _ROUND_WORDS.search(with_["round"]):
        company = _clean_part(with_["company"])
        if domain_company and not loose_match(_squash(domain_company), company):
            return TitleGuess(None, _clean_part(text) or None, None)  # 'with Priya': a person
        return TitleGuess(company or None, _clean_part(with_["round"]) or None, None)
    paren = re.search(r"\(([^()]*)\)\s*$", text)
    parts = [_clean_part(p) for p in _SEPARATORS.split(text[: paren.start()] if paren else text)]
    parts = [p for p in parts if p]
    if paren and _clean_part(paren[1]):
        parts.append(_clean_part(paren[1]))
    if len(parts) <= 1:
        return _one_part(parts[0] if parts else "", domain_company)
    company = None
    if domain_company:
        company = next((p for p in parts if loose_match(_squash(domain_company), p)), None)
    rounds = [p for p in parts if p != company and _ROUND_WORDS.search(p)]
    roles = [p for p in parts if p != company and p not in rounds and _ROLE_WORDS.search(p)]
    others = [p for p in parts if p != company and p not in rounds and p not in roles]
    unsure: list[str] = []
    if company is None and others:
        company = others.pop(0) if parts.index(others[0]) == 0 or len(others) == 1 else None
        if company is None:
            unsure.append(f"which part of the title is the company ({', '.join(others)})")
    if company is None and not others and parts[0] not in rounds[:1]:
        company = parts[0]  # 'Acme | Data Engineer | Screen': the first part
        roles = [r for r in roles if r != company]
    rnd = rounds[0] if rounds else (others.pop(0) if others else None)
    if rnd is not None and not rounds:
        unsure.append(f"whether {rnd!r} is the round")
    role = roles[0] if roles else (others.pop(0) if len(others) == 1 else None)
    if role is not None and not roles:
        unsure.append(f"whether {role!r} is the role")
    if others:
        unsure.append(f"what {', '.join(repr(o) for o in others)} in the title is")
    return TitleGuess(company, rnd, role, tuple(unsure))


def _squash(name: str) -> str:
    return re.sub(r"[\s&.\-_]", "", name)


def _one_part(text: str, domain_company: str | None) -> TitleGuess:
    """A title of one part ('Lumen Health technical interview'): the company where the addresses
    name it, the rest the round."""
    company = (loose_match(_squash(domain_company), text) or None) if domain_company else None
    rest = _clean_part(text.replace(company, " ", 1)) if company else text
    if rest and not _ROUND_WORDS.search(rest) and _ROLE_WORDS.search(rest):
        return TitleGuess(company, None, rest)
    return TitleGuess(company, rest or None, None)


def _round_name(invite: Invite, company: str, keys: set[str], given: str | None = None) -> str:
    name = given or title_round(invite, company)
    candidate, n = name, 2
    while slugify(candidate, fallback="round") in keys:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def title_round(invite: Invite, company: str) -> str:
    """The round's name the invitation's title gives ('Technical interview'), else its title
    without the company or the tool."""
    guess = read_title(invite.summary, company or invite.company_guess())
    if guess.round:
        return guess.round[:80]
    if guess.company or guess.role:
        return "Interview"
    return round_name(invite.summary, company)


def _merge_people(existing: list[Interviewer], invite: Invite) -> list[Interviewer]:
    """Keep what was recorded about each person; add those new on the invitation."""
    people = list(existing)
    for person in invite.interviewers:
        match = next(
            (
                i
                for i, p in enumerate(people)
                if (person.email and p.email and p.email.lower() == person.email)
                or p.name.casefold() == person.name.casefold()
            ),
            None,
        )
        if match is None:
            people.append(
                _validated(Interviewer, {"name": person.name, "email": person.email}, invite)
            )
        elif not people[match].email and person.email:
            people[match] = people[match].model_copy(update={"email": person.email})
    return people


def plain_error(exc: ValidationError) -> tuple[str, str]:
    """The first problem of a validation error as (field, plain words), worded as the store words
    a broken file's (one home for those words)."""
    error = exc.errors()[0]
    return field_name(tuple(error.get("loc", ()))), explain(error)


def _validated(model: Any, data: dict[str, Any], invite: Invite) -> Any:
    """`model` from `data`, or one clear InvalidRecord naming the invitation and the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where, message = plain_error(exc)
        raise InvalidRecord(
            f"{invite.summary or invite.uid!r}: the invitation's {where} cannot be kept: {message}",
            field=where,
        ) from None


def describe_round(interview: Interview) -> list[str]:
    """The preview of one round, as the import would write it."""
    zone = f" ({interview.timezone})" if interview.timezone else ""
    fmt = f", {interview.format.value}" if interview.format else ""
    lines = [
        f"{moment(interview.starts_at)}{zone}, {interview.duration_minutes} min{fmt}"
        + (" — CANCELLED" if interview.cancelled else "")
    ]
    if interview.location:
        lines.append(f"where: {interview.location}")
    if interview.link:
        lines.append(f"link: {interview.link}")
    people = [f"{p.name} <{p.email}>" if p.email else p.name for p in interview.interviewers]
    lines.append(
        f"{plural(len(people), 'interviewer')}: {', '.join(people)}"
        if people
        else "no interviewers on the invitation: add them by hand"
    )
    return lines


@dataclass
class _Draft:
    """An opportunity being planned: its rounds are checked one by one as invitations come, the
    whole opportunity once at the end, so planning grows with the number of invitations, not
    with its square."""

    planned: Planned
    rounds: list[Interview]
    at: dict[str, int]
    keys: set[str]
    recruiter: dict[str, Any] | None = None
    last: Invite | None = None
    role: str | None = None


def plan_invites(
    invites: list[Invite],
    opportunities: list[Opportunity],
    *,
    opportunity_id: str | None = None,
    company: str | None = None,
    role: str | None = None,
    round_name: str | None = None,
    recruiter: str | None = None,
    interviewers: Iterable[str] | None = None,
) -> list[Planned]:
    """What importing `invites` would change: the opportunities as they would be saved.

    The round is found by the invitation's UID anywhere in the workbook; else it is added to
    `opportunity_id`, else to the one open opportunity at the (given or guessed) company, else to a
    new opportunity. The company, role and round's name are read from the title (`read_title`)
    unless given; `recruiter` (an address on the invitation) is recorded as the recruiter and left
    out of the interviewers ("" records none, where by default who sent it is the recruiter);
    `interviewers`, when given, are the only attendees (by address or name) kept as interviewers.
    Each plan's lines say what was guessed and which option of `followup import` changes it.
    Raises InvalidRecord when the company can be neither guessed nor was given, `opportunity_id`
    is unknown, or an opportunity would grow past what the workbook reads back (MAX_FILE_BYTES).
    """
    by_id = {o.id: o for o in opportunities}
    homes = {r.uid: o.id for o in opportunities for r in o.rounds if r.uid}
    companies = _Companies(opportunities)
    drafts: dict[str, _Draft] = {}
    chosen = {c.strip().lower() for c in interviewers} if interviewers is not None else None
    for invite in invites:
        invite = _chosen_people(invite, recruiter, chosen)
        target_id = homes.get(invite.uid)
        if target_id is None and opportunity_id:
            if opportunity_id not in by_id:
                known = ", ".join(sorted(by_id)) or "none yet"
                raise InvalidRecord(
                    f"--opportunity {opportunity_id!r}: no such opportunity (known: {known})",
                    field="opportunity",
                )
            target_id = opportunity_id
        title = read_title(invite.summary, invite.company_guess())
        guessed = company or title.company or invite.company_guess()
        if target_id is None:
            target_id = companies.find(guessed, invite.domains())
        if invite.cancelled and target_id is None:
            continue  # nothing was imported from it, so there is nothing to cancel
        if target_id is None:
            if not guessed:
                raise InvalidRecord(
                    f"{invite.summary or invite.uid!r}: cannot tell which company this interview "
                    "is with (neither the title nor a company mail domain says it); say it with "
                    "--company NAME or --opportunity ID",
                    field="company",
                )
            the_role = role or title.role or ""
            target_id = unique_id(
                slugify(f"{guessed} {the_role}", fallback="opportunity"), set(by_id)
            )
            by_id[target_id] = _validated(
                Opportunity, {"id": target_id, "company": guessed, "role": the_role}, invite
            )
            drafts[target_id] = _Draft(Planned(by_id[target_id], True), [], {}, set())
            drafts[target_id].planned.lines.extend(
                _new_lines(target_id, guessed, the_role, company, role, title, invite)
            )
        draft = drafts.get(target_id)
        if draft is None:
            opportunity = by_id[target_id]
            rounds = list(opportunity.rounds)
            draft = drafts[target_id] = _Draft(
                Planned(opportunity, False),
                rounds,
                {r.uid: i for i, r in enumerate(rounds) if r.uid},
                {r.key for r in rounds},
            )
            if role and not opportunity.role:
                draft.role = role
                draft.planned.lines.append(f"role: {role} (from --role)")
        if _plan_one(invite, draft, by_id[target_id], round_name, recruiter):
            homes[invite.uid] = target_id
            companies.add(target_id, by_id[target_id].company, invite.domains())
    planned = []
    for target_id, draft in drafts.items():
        entry = draft.planned
        if draft.last is not None:
            data = {
                **by_id[target_id].model_dump(),
                "rounds": [r.model_dump() for r in draft.rounds],
            }
            if draft.recruiter is not None:
                data["recruiter"] = draft.recruiter
            if draft.role:
                data["role"] = draft.role
            entry.opportunity = _validated(Opportunity, data, draft.last)
            _check_size(entry.opportunity, draft.last)
        entry.changed = entry.created or any(
            not line.endswith(": unchanged") for line in entry.lines
        )
        if entry.lines:
            planned.append(entry)
    return planned


def _new_lines(
    target_id: str,
    company: str,
    role: str,
    given_company: str | None,
    given_role: str | None,
    title: TitleGuess,
    invite: Invite,
) -> list[str]:
    """The preview's lines for a new opportunity: each guess, where it came from, and the option
    that changes it."""
    where = (
        "from --company"
        if given_company
        else ("from the title" if title.company == company else "from the organizer's mail domain")
    )
    lines = [
        f"new opportunity {target_id}",
        f"company: {company} ({where}; change it with --company NAME)",
        f"role: {role} ({'from --role' if given_role else 'from the title'}; change it with "
        "--role TEXT)"
        if role
        else "role: the invitation does not say it; give it with --role TEXT",
    ]
    domain = invite.company_guess()
    if (
        not given_company
        and title.company
        and domain
        and not loose_match(_squash(domain), title.company)
    ):
        lines.append(
            f"not sure: the title says {title.company!r}, the addresses say {domain!r}; "
            "say which with --company NAME"
        )
    lines.extend(f"not sure: {what} (check it)" for what in title.unsure)
    return lines


def _chosen_people(invite: Invite, recruiter: str | None, chosen: set[str] | None) -> Invite:
    """The invitation with the interviewers a person chose: the recruiter left out, and, when
    `chosen` is given, only those attendees (by address or name)."""
    if recruiter is None and chosen is None:
        return invite
    pool = list(invite.attendees) or list(invite.interviewers)
    if chosen is not None:
        people = tuple(p for p in pool if (p.email or "") in chosen or p.name.lower() in chosen)
    else:
        people = invite.interviewers
    if recruiter:
        people = tuple(p for p in people if p.email != recruiter.strip().lower())
    return replace(invite, interviewers=people)


def _plan_one(
    invite: Invite,
    draft: _Draft,
    opportunity: Opportunity,
    given_round: str | None = None,
    given_recruiter: str | None = None,
) -> bool:
    """Add or update the invitation's round in `draft`; False when a cancellation has nothing
    to cancel there."""
    entry = draft.planned
    index = draft.at.get(invite.uid)
    if invite.cancelled and index is None:
        return False
    if index is None:
        name = _round_name(invite, opportunity.company, draft.keys, given_round)
        base: dict[str, Any] = {"name": name, "interviewers": []}
        verb = "add round"
        how = "from --round-name" if given_round else "from the title"
    else:
        base = draft.rounds[index].model_dump()
        name = base["name"]
        verb = "cancel round" if invite.cancelled else "update round"
        how = ""
    old = draft.rounds[index] if index is not None else None
    if old is not None and invite.cancelled:
        values = {**base, "cancelled": True}  # a cancellation changes nothing else
    else:
        values = {
            **base,
            "starts_at": invite.starts_at,
            "timezone": invite.timezone,
            "duration_minutes": invite.duration_minutes,
            "format": invite.format or base.get("format"),
            "location": invite.location or base.get("location", ""),
            "link": invite.link or base.get("link"),
            "uid": invite.uid,
            "cancelled": invite.cancelled,
            "interviewers": _merge_people(old.interviewers if old is not None else [], invite),
        }
    interview = _validated(Interview, values, invite)
    if index is None:
        draft.at[invite.uid] = len(draft.rounds)
        draft.rounds.append(interview)
        draft.keys.add(interview.key)
    else:
        draft.rounds[index] = interview
    draft.last = invite
    organizer = invite.organizer
    named = None
    if given_recruiter:
        wanted = given_recruiter.strip().lower()
        named = next(
            (p for p in [organizer, *invite.attendees] if p is not None and p.email == wanted),
            Attendee(_name_from(wanted), wanted),
        )
    if (
        named is not None
        and draft.recruiter is None
        and (opportunity.recruiter is None or opportunity.recruiter.email != named.email)
    ):
        draft.recruiter = {"name": named.name, "email": named.email}
        entry.lines.append(f"recruiter: {named.name} <{named.email}> (from --recruiter)")
    elif (
        given_recruiter is None  # "" is "nobody": a form said no one on it is the recruiter
        and opportunity.recruiter is None
        and draft.recruiter is None
        and organizer is not None
        and organizer.email
        and organizer not in invite.interviewers
        and not invite.cancelled
    ):
        # Whoever sent the invitation, unless they are the one interviewing, is the recruiter.
        draft.recruiter = {"name": organizer.name, "email": organizer.email}
        entry.lines.append(
            f"recruiter: {organizer.name} <{organizer.email}> (who sent it; name another with "
            "--recruiter EMAIL)"
        )
    if old is not None and old == interview:
        entry.lines.append(f"round {name!r}: unchanged")
        return True
    entry.lines.append(
        f"{verb} {name!r}" + (f" ({how}; change it with --round-name TEXT)" if how else "") + ":"
    )
    entry.lines.extend(f"  {line}" for line in describe_round(interview))
    if invite.left_out:
        entry.lines.append(f"  left out: {', '.join(invite.left_out)}")
    if invite.probably_me is not None:
        who = invite.probably_me
        entry.lines.append(
            f"  not sure: {who.name} <{who.email}> is probably you ({invite.why_me}), so is not "
            "listed as an interviewer; if that is wrong, say who you are with --me EMAIL"
        )
    elif not invite.me_known:
        entry.lines.append(
            "  not sure: none of the attendees is one of your addresses; if one is you, say so "
            "with --me EMAIL (it is remembered in settings.yaml)"
        )
    entry.lines.extend(f"  note: {note}" for note in invite.notes)
    return True


def _check_size(opportunity: Opportunity, invite: Invite) -> None:
    """Refuse a plan whose file the workbook would refuse to read back."""
    size = len(dump_opportunity(opportunity).encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise InvalidRecord(
            f"{invite.summary or invite.uid!r}: importing it would make {opportunity.id}'s file "
            f"{size:,} bytes; expected at most {MAX_FILE_BYTES:,}, the most the workbook reads "
            "back; nothing was written",
            field="rounds",
        )
