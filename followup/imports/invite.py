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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from followup.calendar.ics import UID_DOMAIN
from followup.core.errors import InvalidRecord
from followup.core.formats import moment, plural
from followup.core.model import (
    Format,
    Interview,
    Interviewer,
    Opportunity,
    _check_email,
    slugify,
    unique_id,
)
from followup.storage.files import explain, field_name

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
        if candidate and ("/" in candidate or candidate in ("UTC", "GMT")):
            try:
                ZoneInfo(candidate)
            except (ValueError, KeyError, OSError):
                continue
            return candidate
    return None


def _zone_name(tz: tzinfo | None) -> str | None:
    if isinstance(tz, ZoneInfo):
        return tz.key
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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _link(event: Any, location: str, description: str) -> str | None:
    for name in LINK_PROPERTIES:
        text = _text(event.get(name))
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


def _start(
    event: Any, path: Path, where: str, default_zone: str | None
) -> tuple[datetime, str | None, list[str]]:
    prop = event.get("DTSTART")
    if prop is None:
        raise _fail(path, f"{where} has no start (DTSTART); expected the interview's date and time")
    value = prop.dt
    notes: list[str] = []
    tzid = _text(prop.params.get("TZID")) if hasattr(prop, "params") else ""
    if not isinstance(value, datetime):
        raise _fail(
            path,
            f"{where} starts on {value} with no time of day; expected a start time "
            "(an all-day event is not an interview)",
            "DTSTART",
        )
    known = iana_zone(tzid) if tzid else None
    if known is not None and not isinstance(value.tzinfo, ZoneInfo):
        # A Windows name with the sender's own VTIMEZONE: the wall time, in the IANA zone.
        value = value.replace(tzinfo=ZoneInfo(known))
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


def _duration(event: Any, start: datetime) -> int:
    end = event.get("DTEND")
    if end is not None and isinstance(end.dt, datetime):
        minutes = round((end.dt.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60)
    elif event.get("DURATION") is not None:
        minutes = round(event.get("DURATION").dt.total_seconds() / 60)
    else:
        minutes = 60
    return min(max(minutes, 1), 24 * 60)


def _event_invite(
    event: Any, method: str, path: Path, index: int, me: set[str], default_zone: str | None
) -> Invite:
    summary = _line(event.get("SUMMARY"))
    where = f"event {index} ({summary!r})" if summary else f"event {index}"
    uid = _line(event.get("UID"))
    if not uid:
        raise _fail(path, f"{where} has no UID; expected the invitation's identifier", "UID")
    start, zone, notes = _start(event, path, where, default_zone)
    for _, error in getattr(event, "errors", []) or []:
        line = _line(str(error).partition("'")[2].partition(":")[0])[:40]
        notes.append(f"a line it could not read was left out ({line or 'unknown'}…)")
    location = _line(event.get("LOCATION"))
    description = _text(event.get("DESCRIPTION"))
    link = _link(event, location, description)
    if link and location.startswith(("https://", "http://")):
        location = ""  # the location was only the link
    organizer = _person(event.get("ORGANIZER")) if event.get("ORGANIZER") is not None else None
    people: list[Attendee] = []
    left_out: list[str] = []
    seen: set[str] = set()
    for prop in _as_list(event.get("ATTENDEE")):
        person = _person(prop)
        params = getattr(prop, "params", {}) or {}
        kind = _text(params.get("CUTYPE")).upper()
        label = person.name or person.email or "someone"
        if person.email and person.email in me:
            left_out.append(f"{label} (you)")
        elif kind in ("ROOM", "RESOURCE") or _text(params.get("ROLE")).upper() == "NON-PARTICIPANT":
            left_out.append(f"{label} (a room or resource)")
        elif _text(params.get("PARTSTAT")).upper() == "DECLINED":
            left_out.append(f"{label} (declined)")
        elif (person.email or person.name.lower()) in seen or not person.name:
            continue
        else:
            seen.add(person.email or person.name.lower())
            people.append(person)
    if not people and organizer is not None and organizer.email not in me:
        people.append(organizer)
    names = [p.name for p in people]
    for i, person in enumerate(people):  # the model wants distinct names in a round
        if names.count(person.name) > 1:
            people[i] = Attendee(f"{person.name} ({person.email})", person.email)
    status = _text(event.get("STATUS")).upper()
    try:
        sequence = int(_text(event.get("SEQUENCE")) or 0)
    except ValueError:
        sequence = 0
    return Invite(
        uid=uid,
        summary=summary,
        starts_at=start,
        timezone=zone,
        duration_minutes=_duration(event, start),
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
    )


def read_invites(
    data: bytes, path: Path, *, me: set[str] | frozenset[str] = frozenset(), zone: str | None = None
) -> list[Invite]:
    """Every interview in an invitation file, one Invite per UID (the latest SEQUENCE wins).

    `me` is the person's own addresses (left out of the interviewers); `zone` is their IANA zone,
    for times sent in UTC or with no zone. Anything that is not a readable invitation raises
    InvalidRecord with one line naming the file and what was expected.
    """
    from icalendar import Calendar

    path = Path(path)
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
    invites: dict[str, Invite] = {}
    index = own = 0
    for calendar in calendars:
        if getattr(calendar, "name", "") != "VCALENDAR":
            continue
        method = _text(calendar.get("METHOD")).upper()
        for event in calendar.walk("VEVENT"):
            index += 1
            if _text(event.get("UID")).endswith(f"@{UID_DOMAIN}"):
                own += 1  # a reminder from `followup calendar`, not an invitation
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                invite = _event_invite(event, method, path, index, me, zone)
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


def _find_by_uid(opportunities: list[Opportunity], uid: str) -> Opportunity | None:
    for opportunity in opportunities:
        if any(r.uid == uid for r in opportunity.rounds):
            return opportunity
    return None


def _domains_of(opportunity: Opportunity) -> set[str]:
    people = [opportunity.recruiter, *opportunity.interviewers()]
    return {p.email.rpartition("@")[2].lower() for p in people if p is not None and p.email}


def _find_by_company(
    opportunities: list[Opportunity], company: str | None, domains: list[str]
) -> Opportunity | None:
    """The one open opportunity whose people share the invitation's mail domain, else the one
    whose company has the same name (or starts with it: 'Northwind' finds 'Northwind Logistics')."""
    open_ones = [o for o in opportunities if not o.status.ended]
    tests = [lambda o: bool(_domains_of(o) & set(domains))]
    if company:
        slug = slugify(company)
        tests.append(lambda o: slugify(o.company) == slug)
        tests.append(lambda o: slugify(o.company).startswith(slug + "-"))
    for test in tests:
        same = [o for o in open_ones if test(o)]
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


def _round_name(invite: Invite, opportunity: Opportunity) -> str:
    name = round_name(invite.summary, opportunity.company)
    keys = {r.key for r in opportunity.rounds}
    candidate, n = name, 2
    while slugify(candidate, fallback="round") in keys:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


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
            people.append(Interviewer(name=person.name, email=person.email))
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


def plan_invites(
    invites: list[Invite],
    opportunities: list[Opportunity],
    *,
    opportunity_id: str | None = None,
    company: str | None = None,
) -> list[Planned]:
    """What importing `invites` would change: the opportunities as they would be saved.

    The round is found by the invitation's UID anywhere in the workbook; else it is added to
    `opportunity_id`, else to the one open opportunity at the (given or guessed) company, else to a
    new opportunity. Raises InvalidRecord when the company can be neither guessed nor was given,
    or `opportunity_id` is unknown.
    """
    by_id = {o.id: o.model_copy(deep=True) for o in opportunities}
    planned: dict[str, Planned] = {}
    for invite in invites:
        target = _find_by_uid(list(by_id.values()), invite.uid)
        if target is None and opportunity_id:
            target = by_id.get(opportunity_id)
            if target is None:
                known = ", ".join(sorted(by_id)) or "none yet"
                raise InvalidRecord(
                    f"--opportunity {opportunity_id!r}: no such opportunity (known: {known})",
                    field="opportunity",
                )
        guessed = company or invite.company_guess()
        if target is None:
            target = _find_by_company(list(by_id.values()), guessed, invite.domains())
        created = False
        if invite.cancelled and (target is None or _find_by_uid([target], invite.uid) is None):
            continue  # nothing was imported from it, so there is nothing to cancel
        if target is None:
            if not guessed:
                raise InvalidRecord(
                    f"{invite.summary or invite.uid!r}: cannot tell which company this interview "
                    "is with (no company mail domain on the invitation); say it with --company "
                    "NAME or --opportunity ID",
                    field="company",
                )
            new_id = unique_id(slugify(guessed, fallback="opportunity"), set(by_id))
            target = _validated(Opportunity, {"id": new_id, "company": guessed}, invite)
            created = True
        entry = planned.setdefault(target.id, Planned(target, created))
        if created:
            entry.lines.append(
                f"new opportunity {target.id} ({target.company}); the invitation does not say "
                "the role: add it in notebooks/01_interview.ipynb"
            )
        opportunity = entry.opportunity
        index = next((i for i, r in enumerate(opportunity.rounds) if r.uid == invite.uid), None)
        if index is None:
            name = _round_name(invite, opportunity)
            base: dict[str, Any] = {"name": name, "interviewers": []}
            verb = "add round"
        else:
            base = opportunity.rounds[index].model_dump()
            name = base["name"]
            verb = "cancel round" if invite.cancelled else "update round"
        old = opportunity.rounds[index] if index is not None else None
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
        rounds = list(opportunity.rounds)
        if index is None:
            rounds.append(interview)
        else:
            rounds[index] = interview
        data = {**opportunity.model_dump(), "rounds": [r.model_dump() for r in rounds]}
        organizer = invite.organizer
        recruiter = None
        if (
            opportunity.recruiter is None
            and organizer is not None
            and organizer.email
            and organizer not in invite.interviewers
            and not invite.cancelled
        ):
            # Whoever sent the invitation without taking part in it is most likely the recruiter.
            recruiter = {"name": organizer.name, "email": organizer.email}
            data["recruiter"] = recruiter
        entry.opportunity = _validated(Opportunity, data, invite)
        if recruiter is not None:
            entry.lines.append(f"recruiter: {organizer.name} <{organizer.email}> (who sent it)")
        if old is not None and old == interview:
            entry.lines.append(f"round {name!r}: unchanged")
            continue
        entry.lines.append(f"{verb} {name!r}:")
        entry.lines.extend(f"  {line}" for line in describe_round(interview))
        if invite.left_out:
            entry.lines.append(f"  left out: {', '.join(invite.left_out)}")
        entry.lines.extend(f"  note: {note}" for note in invite.notes)
        by_id[target.id] = entry.opportunity
    for entry in planned.values():
        entry.changed = entry.created or any(
            not line.endswith(": unchanged") for line in entry.lines
        )
    return list(planned.values())
