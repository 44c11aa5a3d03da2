"""A drop for calendar invitations in the interview form: the same import as `followup import`.

Drop the .ics the invitation came with: the form shows what it guessed, as fields a person can
correct (the company, the role, the round's name, which attendee is you, who is the recruiter, who
interviews, the time zone), the preview of what would be written below them, and writes only what
the form says when "Add to the workbook" is pressed. An address chosen as yours is remembered in
settings.yaml (`my_addresses`), so the next invitation knows it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from followup.core.errors import FollowupError, InvalidRecord
from followup.forms.page import status_html
from followup.forms.values import local_zone_name, zone_choices
from followup.imports.invite import Attendee, Invite, Planned, in_zone, plan_invites, read_invites
from followup.imports.plan import write_plans
from followup.storage.workbook import Workbook

#: The choice in "You are" and "Recruiter" that names nobody on the invitation.
NOBODY = ""
#: The preview's words for the command line's options, as the fields of this form.
FIELDS = {
    "--company NAME": "the Company field",
    "--role TEXT": "the Role field",
    "--round-name TEXT": "the Round name field",
    "--recruiter EMAIL": "the Recruiter field",
    "--me EMAIL": "the “You are” field",
    " (it is remembered in settings.yaml)": "",
    **{f"from --{name}": "as the form says" for name in ("company", "role", "round-name")},
    "from --recruiter": "as the form says",
}


def _label(person: Attendee) -> str:
    return f"{person.name} <{person.email}>" if person.email else person.name


def _key(person: Attendee) -> str:
    return (person.email or person.name).lower()


class InviteDrop:
    """A file picker, the guesses as fields, a preview and one button; `on_imported(id)` is told
    what was written."""

    def __init__(self, workbook: Workbook, on_imported: Callable[[str], Any] | None = None):
        self.workbook = workbook
        self.on_imported = on_imported
        self.data = b""
        self.name = ""
        self.invites: list[Invite] = []
        self.plans: list[Planned] = []
        self.versions: dict[str, str] = {}
        self.known_me: set[str] = set()
        self._filling = False
        self.upload = w.FileUpload(
            accept=".ics,text/calendar", multiple=False, description="Invitation (.ics)"
        )
        wide = w.Layout(width="32em")
        self.company = w.Text(
            description="Company", placeholder="who is the interview with?", layout=wide
        )
        self.role = w.Text(description="Role", placeholder="the job's title", layout=wide)
        self.round_name = w.Text(description="Round name", layout=wide)
        self.me = w.Dropdown(description="You are", options=[("not on it", NOBODY)], layout=wide)
        self.recruiter = w.Dropdown(
            description="Recruiter", options=[("nobody on it", NOBODY)], layout=wide
        )
        self.people_label = w.HTML("<b>Interviewers</b>")
        self.people = w.VBox([])
        self.zone = w.Dropdown(description="Time zone", options=zone_choices(), layout=wide)
        self.fields = w.VBox(
            [
                self.company,
                self.role,
                self.round_name,
                self.me,
                self.recruiter,
                self.people_label,
                self.people,
                self.zone,
            ]
        )
        self.fields.layout.display = "none"
        self.preview = w.HTML("")
        self.add = w.Button(
            description="Add to the workbook", button_style="primary", layout=w.Layout(width="14em")
        )
        self.add.layout.display = "none"
        self.upload.observe(self._uploaded, names="value")
        for field in (self.company, self.role, self.round_name, self.recruiter, self.zone):
            field.observe(self._changed, names="value")
        self.me.observe(self._me_changed, names="value")
        self.add.on_click(lambda _: self.write())
        hint = w.HTML(
            "<span style='color:#555'>Or drop the calendar invitation (.ics) here: the round, "
            "its time and the people come from it, and you can correct each guess.</span>"
        )
        self.widget = w.VBox([hint, self.upload, self.fields, self.preview, self.add])

    def _uploaded(self, change: Any) -> None:
        for item in change["new"] or ():
            self.load(bytes(item["content"]), item["name"])

    def load(self, data: bytes, name: str) -> None:
        """Read an invitation, fill the fields with its guesses and show what importing it would
        change; nothing is written."""
        try:
            settings = self.workbook.settings()
            self.known_me = {m for m in (settings.your_email, *settings.my_addresses) if m}
            self.default_zone = settings.timezone or local_zone_name()
            self.invites = read_invites(data, Path(name), me=self.known_me, zone=self.default_zone)
        except FollowupError as exc:
            self.invites = []
            self.fields.layout.display = "none"
            self._say(str(exc), "error")
            return
        self.data, self.name = data, name
        self._fill()
        self._plan()

    def _fill(self) -> None:
        """The fields as the invitation's guesses say."""
        self._filling = True
        try:
            first = self.invites[0]
            people: dict[str, Attendee] = {}
            for invite in self.invites:
                for person in [*invite.attendees, *invite.interviewers]:
                    people.setdefault(_key(person), person)
            choices = [(_label(p), _key(p)) for p in people.values()]
            mine = next((k for k in people if k in self.known_me), None)
            if mine is None and first.probably_me is not None:
                mine = _key(first.probably_me)
            self.me.options = [("not on it", NOBODY), *choices]
            self.me.value = mine or NOBODY
            self.recruiter.options = [("nobody on it", NOBODY), *choices]
            interviewing = {_key(p) for i in self.invites for p in i.interviewers}
            organizer = first.organizer
            sender = _key(organizer) if organizer is not None else None
            self.recruiter.value = (
                sender if sender in people and sender not in interviewing else NOBODY
            )
            self.boxes = {
                key: w.Checkbox(
                    value=key in interviewing and key != self.me.value,
                    description=_label(person),
                    indent=False,
                    layout=w.Layout(width="32em"),
                )
                for key, person in people.items()
            }
            for box in self.boxes.values():
                box.observe(self._changed, names="value")
            self.people.children = tuple(self.boxes.values())
            zone = first.timezone or self.default_zone
            options = list(zone_choices())
            if zone not in options:
                options.insert(0, zone)
                self.zone.options = options
            self.zone.value = zone
            try:
                plans = plan_invites(self.invites, self.workbook.load().opportunities)
            except InvalidRecord:
                plans = []
            new = next((p for p in plans if p.created), None)
            target = new or (plans[0] if plans else None)
            self.company.value = target.opportunity.company if target is not None else ""
            self.role.value = target.opportunity.role if target is not None else ""
            uids = {i.uid for i in self.invites}
            rounds = [r for p in plans for r in p.opportunity.rounds if r.uid in uids]
            self.round_name.value = rounds[0].name if len(self.invites) == 1 and rounds else ""
            self.round_name.placeholder = "as each invitation's title says"
            self.fields.layout.display = None
        finally:
            self._filling = False

    def _me_changed(self, change: Any) -> None:
        if self._filling:
            return
        box = getattr(self, "boxes", {}).get(change["new"])
        if box is not None:
            box.value = False  # you do not interview yourself
        self._plan()

    def _changed(self, _: Any = None) -> None:
        if not self._filling:
            self._plan()

    def _plan(self) -> None:
        if not self.invites:
            return
        loaded = self.workbook.load()
        self.versions = {key: s.version for key, s in loaded.stored.items()}
        chosen = [k for k, box in getattr(self, "boxes", {}).items() if box.value]
        invites = [in_zone(i, self.zone.value) if self.zone.value else i for i in self.invites]
        try:
            self.plans = plan_invites(
                invites,
                loaded.opportunities,
                company=self.company.value.strip() or None,
                role=self.role.value.strip() or None,
                round_name=self.round_name.value.strip() or None,
                recruiter=self.recruiter.value,
                interviewers=[k for k in chosen if k != self.me.value],
            )
        except InvalidRecord as exc:
            message = str(exc)
            for flag, field in FIELDS.items():
                message = message.replace(flag, field)
            self._say(message, "warn")
            return
        lines = []
        for plan in self.plans:
            lines.append(f"{plan.opportunity.title} ({plan.opportunity.id})")
            for line in plan.lines:
                if self.me.value and ("probably you" in line or "your addresses" in line):
                    continue  # said in the fields: "You are"
                for flag, field in FIELDS.items():
                    line = line.replace(flag, field)
                lines.append(f"  {line}")
        text = html.escape("\n".join(lines))
        self.preview.value = f"<pre style='white-space:pre-wrap;margin:4px 0'>{text}</pre>"
        if self.me.value == NOBODY:
            self.preview.value += status_html(
                "Which attendee is you? Choose it in “You are”, so you are not listed as an "
                "interviewer; it is remembered for the next invitation.",
                "warn",
            )
        changed = any(p.changed for p in self.plans)
        self.add.layout.display = None if changed else "none"
        if not changed:
            self.preview.value += status_html("The workbook already has all of it.", "info")

    def write(self) -> list[str]:
        """Write what the fields and the preview say; returns the ids written. An address chosen
        as yours is remembered in settings.yaml."""
        try:
            written = write_plans(self.workbook, self.plans, self.versions)
            mine = self.me.value
            if written and mine and "@" in mine and mine not in self.known_me:
                settings = self.workbook.settings()
                self.workbook.save_setting("my_addresses", [*settings.my_addresses, mine])
                self.known_me.add(mine)
        except FollowupError as exc:
            self._say(f"Nothing more was added: {exc}", "error")
            return []
        self._say(f"Added to the workbook: {', '.join(written)}.", "ok")
        self.plans = []
        if written and self.on_imported is not None:
            self.on_imported(written[0])
        return written

    def _say(self, message: str, tone: str) -> None:
        self.preview.value = status_html(message, tone)
        self.add.layout.display = "none"
