"""What is in the workbook's trash, each with **Bring it back**: the app's way to undo a delete.

Someone using the app has no command line, so `followup restore ID` alone would leave a moved
opportunity out of reach: the dashboard and the interview page show this shelf instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from followup.core import formats
from followup.core.errors import FollowupError, InvalidRecord
from followup.forms.page import esc, status_html
from followup.storage.trash import Deleted
from followup.storage.workbook import Stored, Workbook


class TrashShelf:
    """The latest deleted copy of each opportunity in the trash (or of `only`), newest first."""

    def __init__(
        self,
        workbook: Workbook,
        *,
        only: str = "",
        on_restored: Callable[[Stored], Any] | None = None,
    ):
        self.workbook = workbook
        self.on_restored = on_restored
        latest: dict[str, Deleted] = {}
        for item in workbook.deleted():  # deleted longest ago first: the newest copy wins
            if not only or item.opportunity_id == only:
                latest[item.opportunity_id] = item
        self.titles = {oid: self._title(item) for oid, item in latest.items()}
        self.rows = {oid: self._row(item) for oid, item in reversed(latest.items())}
        self.status = w.HTML("")
        self.heading = w.HTML(
            "<b>In the trash</b> <span style='color:#666'>(nothing is removed for good until you "
            "say so)</span>"
            if latest
            else ""
        )
        self.widget = w.VBox([self.heading, *self.rows.values(), self.status])

    def _title(self, item: Deleted) -> str:
        try:
            return self.workbook.deleted_opportunity(item).title
        except InvalidRecord:
            return f"{item.opportunity_id} (its file cannot be read)"

    def _row(self, item: Deleted) -> w.HBox:
        when = formats.day(item.deleted_at.astimezone()) if item.deleted_at else "at some point"
        button = w.Button(description="Bring it back", icon="undo", layout=w.Layout(width="auto"))
        button.on_click(lambda _: self.bring_back(item.opportunity_id))
        label = w.HTML(
            f"{esc(self.titles[item.opportunity_id])} "
            f"<span style='color:#666'>· deleted {esc(when)}</span>"
        )
        return w.HBox([label, button], layout=w.Layout(align_items="center", grid_gap="0.6em"))

    def bring_back(self, opportunity_id: str) -> Stored | None:
        """Restore the latest deleted copy of the opportunity, with its history."""
        title = self.titles.get(opportunity_id, opportunity_id)
        try:
            stored = self.workbook.restore(opportunity_id)
        except FollowupError as exc:
            self.status.value = status_html(f"Not brought back: {exc}", "error")
            return None
        self.rows.pop(opportunity_id, None)
        if not self.rows:
            self.heading.value = ""
        self.widget.children = [self.heading, *self.rows.values(), self.status]
        self.status.value = status_html(f"Brought back {title}, with its history.", "ok")
        if self.on_restored is not None:
            self.on_restored(stored)
        return stored
