"""A drop for calendar invitations in the interview form: the same import as `followup import`.

Drop the .ics the invitation came with: the form shows what it would add (the round, its time in
its own zone, the interviewers) and writes only when "Add to the workbook" is pressed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from followup.core.errors import FollowupError, InvalidRecord
from followup.forms.page import status_html
from followup.forms.values import local_zone_name
from followup.imports.invite import Invite, Planned, plan_invites, read_invites
from followup.imports.plan import write_plans
from followup.storage.workbook import Workbook


class InviteDrop:
    """A file picker, a preview and one button; `on_imported(id)` is told what was written."""

    def __init__(self, workbook: Workbook, on_imported: Callable[[str], Any] | None = None):
        self.workbook = workbook
        self.on_imported = on_imported
        self.invites: list[Invite] = []
        self.plans: list[Planned] = []
        self.versions: dict[str, str] = {}
        self.upload = w.FileUpload(
            accept=".ics,text/calendar", multiple=False, description="Invitation (.ics)"
        )
        self.company = w.Text(description="Company", placeholder="who is the interview with?")
        self.company.layout.display = "none"
        self.preview = w.HTML("")
        self.add = w.Button(
            description="Add to the workbook", button_style="primary", layout=w.Layout(width="14em")
        )
        self.add.layout.display = "none"
        self.upload.observe(self._uploaded, names="value")
        self.company.observe(lambda _: self._plan(), names="value")
        self.add.on_click(lambda _: self.write())
        hint = w.HTML(
            "<span style='color:#555'>Or drop the calendar invitation (.ics) here: the round, "
            "its time and the people come from it.</span>"
        )
        self.widget = w.VBox([hint, self.upload, self.company, self.preview, self.add])

    def _uploaded(self, change: Any) -> None:
        for item in change["new"] or ():
            self.load(bytes(item["content"]), item["name"])

    def load(self, data: bytes, name: str) -> None:
        """Read an invitation and show what importing it would change; nothing is written."""
        try:
            settings = self.workbook.settings()
            me = {settings.your_email} if settings.your_email else set()
            zone = settings.timezone or local_zone_name()
            self.invites = read_invites(data, Path(name), me=me, zone=zone)
        except FollowupError as exc:
            self.invites = []
            self._say(str(exc), "error")
            return
        self._plan()

    def _plan(self) -> None:
        if not self.invites:
            return
        loaded = self.workbook.load()
        self.versions = {key: s.version for key, s in loaded.stored.items()}
        try:
            self.plans = plan_invites(
                self.invites, loaded.opportunities, company=self.company.value.strip() or None
            )
        except InvalidRecord as exc:
            if exc.field == "company":
                self.company.layout.display = None
            self._say(str(exc), "warn")
            return
        lines = []
        for plan in self.plans:
            lines.append(f"{plan.opportunity.title} ({plan.opportunity.id})")
            lines.extend(f"  {line}" for line in plan.lines)
        text = html.escape("\n".join(lines))
        self.preview.value = f"<pre style='white-space:pre-wrap;margin:4px 0'>{text}</pre>"
        changed = any(p.changed for p in self.plans)
        self.add.layout.display = None if changed else "none"
        if not changed:
            self.preview.value += status_html("The workbook already has all of it.", "info")

    def write(self) -> list[str]:
        """Write what the preview showed; returns the ids written."""
        try:
            written = write_plans(self.workbook, self.plans, self.versions)
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
