"""How does reading and planning an invitation grow with the number of events in it?

`followup import` refuses a file of more than MAX_EVENTS events, but the reader and the planner
must stay linear underneath: a calendar of 2,000 events once took 26-36 s to plan, because each
event re-read and re-checked every round planned before it. Here, in this one process, on generated
calendars of N events (one interviewer each, all at one company): icalendar's own parse (the floor),
`read_invites` with the limit lifted, and `plan_invites` on the first 300 events (an opportunity
with more no longer fits in the 256 kB the workbook reads back, so planning all 2,000 stops at the
size check: timed too, as "plan, refused"). Prints times, ratios to the floor and the time per
event at each N; it asserts nothing (these machines are noisy). Linear: the time per event is flat.

    .venv/bin/python bench/invites.py [--events 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from store import median_of  # bench/store.py: the same timer

from followup.core.errors import InvalidRecord
from followup.imports.invite import plan_invites, read_invites

PATH = Path("calendar.ics")


def generate(events: int) -> bytes:
    """A calendar of `events` interviews at Acme, as an export of a whole calendar would be."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "METHOD:REQUEST"]
    for i in range(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:round-{i}@acme.example",
            f"SUMMARY:Acme – Interview {i}",
            f"DTSTART;TZID=Europe/Berlin:2026{1 + i % 12:02d}{1 + i % 28:02d}T{8 + i % 10:02d}0000",
            "DURATION:PT45M",
            "ORGANIZER;CN=Ana Ruiz:mailto:ana.ruiz@acme.example",
            f"ATTENDEE;CN=Person {i % 7}:mailto:p{i % 7}@acme.example",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def refused_plan(invites) -> None:
    with contextlib.suppress(InvalidRecord):
        plan_invites(invites, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from icalendar import Calendar

    print(
        f"{'events':>7} {'icalendar':>10} {'read':>8} {'ratio':>6} {'ms/event':>9}"
        f" {'plan 300':>9} {'plan, refused':>14} {'ms/event':>9}"
    )
    for events in sorted({args.events // 4, args.events // 2, args.events}):
        data = generate(events)
        floor = median_of(args.repeat, lambda d=data: Calendar.from_ical(d, multiple=True))
        read = median_of(
            args.repeat,
            lambda d=data, n=events: read_invites(d, PATH, zone="Europe/Berlin", max_events=n),
        )
        invites = read_invites(data, PATH, zone="Europe/Berlin", max_events=events)
        plan = median_of(args.repeat, lambda i=invites: plan_invites(i[:300], []))
        whole = median_of(args.repeat, lambda i=invites: refused_plan(i))
        print(
            f"{events:>7,} {floor:>9.3f}s {read:>7.3f}s {read / floor:>5.1f}x "
            f"{read / events * 1000:>8.3f} {plan:>8.3f}s {whole:>13.3f}s "
            f"{whole / events * 1000:>8.3f}"
        )


if __name__ == "__main__":
    main()
