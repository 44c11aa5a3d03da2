"""Two writers on one opportunity: what another notebook or program saved meanwhile.

A form that finds the file changed merges on save; a value changed both here and elsewhere waits
beside its field with "Keep mine" and "Take theirs" while the rest is saved, and a field whose
shown value another writer changed is marked "changed elsewhere".
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from followup.core import formats
from followup.core.errors import FollowupError, MergeConflict
from followup.core.merge import Conflict
from followup.core.model import Opportunity
from followup.forms.fields import Collector, Field
from followup.forms.page import now_text, status_html
from followup.storage.files import dump_yaml, version_of
from followup.storage.workbook import Stored, Workbook


class TwoWriters:
    """The part of a form (`editor.Editor`) that deals with other writers of the same file.

    It keeps the conflicts waiting for the person's choice and the marks of values changed
    elsewhere; the form supplies the saving (`save`, `saved`, `load`, `where`, `mark_tabs`) and
    the state named below.
    """

    workbook: Workbook
    stored: Stored
    lock: threading.RLock
    #: The fields the form watches for changes.
    watched: list[Field]
    touched: set[Field]
    bad: dict[Field, str]
    dirty: bool
    collector: Collector | None
    status: w.HTML
    problems: w.HTML

    def __init__(self) -> None:
        #: True after the file changed in a way that cannot be merged: only Reload helps.
        self.conflict = False
        #: The person's answers to conflicts: path → "mine" or "theirs", for the next save.
        self.resolutions: dict[tuple, str] = {}
        #: Conflicts waiting for an answer, with the field each is shown beside (None: below).
        self.conflicts: list[tuple[Conflict, Field | None]] = []
        #: The paths of the conflicts above that are saved around: the file keeps the value
        #: saved elsewhere, the field keeps the person's text until they choose, the rest saves.
        self.waiting: set[tuple] = set()
        #: The row beside its field that asks about each conflict, by the conflict's path.
        self._conflict_rows: dict[tuple, w.Widget] = {}
        #: "Changed elsewhere" beside each field whose value another writer changed, until the
        #: person edits it or the next change from elsewhere arrives.
        self._marks: dict[Field, w.Widget] = {}
        self.reload_button = w.Button(
            description="Reload from disk",
            icon="refresh",
            button_style="warning",
            layout=w.Layout(width="auto"),
        )
        self.reload_button.layout.display = "none"
        self.reload_button.on_click(lambda _: self.reload())
        self.refresh_button = w.Button(
            description="Show changes made elsewhere",
            icon="refresh",
            tooltip="Show what another notebook or program saved since (your edits stay)",
            layout=w.Layout(width="auto"),
        )
        self.refresh_button.on_click(lambda _: self.check_disk())
        self.other_conflicts = w.VBox([])
        self.unsaved_copy = w.HTML("")

    def to_choose(self) -> str:
        """'1 field changed here and elsewhere (Next steps › What happens next): choose …'."""
        held = self.held_fields()
        places = ", ".join(self.where(f) for f in held[:3]) + (", …" if len(held) > 3 else "")
        return (
            f"{formats.plural(len(held), 'field')} changed here and elsewhere ({places}): "
            f"choose beside {'it' if len(held) == 1 else 'each'}; until then the file keeps "
            "theirs and yours is only on this page"
        )

    def held_fields(self) -> list[Field]:
        """The fields whose conflict is saved around: they show the person's text, the file
        keeps theirs."""
        return [f for c, f in self.conflicts if f is not None and tuple(c.path) in self.waiting]

    def save_around(self, candidate: Opportunity, exc: MergeConflict, *, auto: bool) -> bool:
        """Save everything but the conflicting values (the file keeps theirs there), and ask
        about those beside their fields, which keep the person's text until they choose.

        False, with nothing saved, when a conflict has no field of its own to wait beside (an
        item deleted on one side and changed on the other): then the whole save waits.
        """
        conflicts = exc.conflicts
        collector = self.collector or Collector()
        fields = [collector.owner(tuple(c.path)) for c in conflicts]
        if any(f is None for f in fields) or any(
            c.mine is None or c.theirs is None for c in conflicts
        ):
            return False
        keep_theirs = {tuple(c.path): "theirs" for c in conflicts}
        try:
            stored = self.workbook.save(
                candidate,
                base_version=self.stored.version,
                base=self.opportunity,
                resolutions={**self.resolutions, **keep_theirs},
            )
        except FollowupError:
            return False
        self.clear_conflicts(keep_waiting=True)
        self.stored = stored
        self.resolutions = {}
        for conflict, field in zip(conflicts, fields, strict=True):
            self._show_choice(conflict, field)
            self.waiting.add(tuple(conflict.path))
            self.touched.add(field)
        self.mark_tabs()
        self.saved(auto=auto, merged=True)
        if exc.theirs is not None and stored.version == exc.theirs.version:  # nothing of ours
            self.status.value = status_html(f"Not saved yet: {self.to_choose()}.", "warn")
        return True

    # Other writers

    def disk_changed(self) -> bool:
        """True when the file on disk is no longer the version this form loaded."""
        try:
            data = self.workbook.path_for(self.opportunity.id).read_bytes()
        except OSError:
            return False
        return version_of(data) != self.stored.version

    def check_disk(self) -> bool:
        """Bring in what was saved elsewhere: the fields the person has not touched show it, the
        ones being edited keep their text (and are merged when saved). True when the file had
        changed."""
        with self.lock:
            if not self.disk_changed():
                if not self.dirty:
                    self.status.value = status_html(
                        f"No changes made elsewhere (checked at {now_text()}).", "info"
                    )
                return False
            if self.dirty or self.touched - set(self.held_fields()):
                self.save(auto=True)
                return True
            try:
                self.stored = self.workbook.get(self.opportunity.id)
            except FollowupError as exc:
                self.status.value = status_html(f"Could not read the changes: {exc}", "error")
                return True
            self.load_marking(self.stored.opportunity)
            self.after_save()
            self.status.value = status_html(
                f"Showing changes saved elsewhere, read at {now_text()}.", "info"
            )
            return True

    def ask(self, conflicts: Sequence[Conflict]) -> None:
        """Show each conflict beside its field, with both values and a choice."""
        self.clear_conflicts(keep_waiting=True)
        collector = self.collector or Collector()
        loose: list[w.Widget] = []
        for conflict in conflicts:
            row = self._show_choice(conflict, collector.owner(tuple(conflict.path)))
            if row is not None:
                loose.append(row)
        self.other_conflicts.children = loose
        self.mark_tabs()
        places = [self.where(f) if f is not None else c.label for c, f in self.conflicts]
        self.status.value = status_html(
            f"Not saved yet: {formats.plural(len(places), 'field')} changed here and elsewhere "
            f"({', '.join(places[:3])}). Choose beside each one; nothing is lost either way.",
            "warn",
        )

    def _show_choice(self, conflict: Conflict, field: Field | None) -> w.Widget | None:
        """Record a conflict and put its choice beside its field; the row when it has none."""
        self.conflicts.append((conflict, field))
        row = self._conflict_row(conflict, field)
        self._conflict_rows[tuple(conflict.path)] = row
        if field is None:
            return row
        field.put_beside(row)
        return None

    def load_marking(self, opportunity: Opportunity) -> None:
        """Show `opportunity` (which holds changes saved elsewhere) and mark each field whose
        shown value changed, so that nobody types over another writer's value unawares."""
        before = {f: f.widget.value for f in self.watched if f not in self.touched}
        self.load(opportunity)
        self.unmark_all()
        for field, value in before.items():
            if field in self.watched and field.widget.value != value:
                mark = w.HTML(
                    "<span style='color:#1565c0'>↻ changed elsewhere</span>",
                    layout=w.Layout(margin="0 0 0 0.3em"),
                )
                mark.add_class("followup-changed-elsewhere")
                self._marks[field] = mark
                field.put_beside(mark)

    def unmark_all(self) -> None:
        for field in list(self._marks):
            self.unmark(field)

    def unmark(self, field: Field) -> None:
        field.take_away(self._marks.pop(field, None))

    def typed_into(self, field: Field) -> None:
        """Keep 'Yours: …' in a waiting conflict's row in step with what is typed in its field."""
        for conflict, owner in self.conflicts:
            row = self._conflict_rows.get(tuple(conflict.path))
            if owner is field and row is not None and tuple(conflict.path) in self.waiting:
                try:
                    typed = field.read()
                except ValueError:
                    typed = field.widget.value
                row.children[0].value = conflict_text(conflict, field, typed)

    def _conflict_row(self, conflict: Conflict, field: Field | None) -> w.Widget:
        mine = w.Button(description="Keep mine", icon="user", layout=w.Layout(width="auto"))
        theirs = w.Button(description="Take theirs", icon="download", layout=w.Layout(width="auto"))
        mine.on_click(lambda _: self.resolve(conflict.path, "mine"))
        theirs.on_click(lambda _: self.resolve(conflict.path, "theirs"))
        text = conflict_text(conflict, field, conflict.mine)
        row = w.HBox(
            [w.HTML(text), mine, theirs], layout=w.Layout(align_items="center", grid_gap="0.4em")
        )
        row.add_class("followup-merge-choice")
        return row

    def resolve(self, path: Sequence[str | int], choice: str) -> bool:
        """Answer one conflict ("mine" or "theirs") and save again."""
        if tuple(path) in self.waiting:
            return self._choose(tuple(path), choice)
        self.resolutions[tuple(path)] = choice
        for conflict, field in self.conflicts:
            if tuple(conflict.path) == tuple(path) and field is not None:
                self.touched.discard(field)
        return self.save()

    def _choose(self, path: tuple, choice: str) -> bool:
        """Settle a conflict that was saved around: "mine" saves the person's text, "theirs"
        shows the value the file kept."""
        with self.lock:
            found = [(c, f) for c, f in self.conflicts if tuple(c.path) == path]
            if not found or found[0][1] is None:
                return False
            entry = found[0]
            field = entry[1]
            self.conflicts.remove(entry)
            self.waiting.discard(path)
            field.take_away(self._conflict_rows.pop(path, None))
            self.mark_tabs()
            if choice == "mine":
                self.touched.add(field)
                self.dirty = True
                return self.save()
            self.touched.discard(field)
            self.load(self.opportunity)
            text = "Took the value saved elsewhere."
            if self.held_fields():
                text += f" Still {self.to_choose()}."
            self.status.value = status_html(text, "warn" if self.held_fields() else "ok")
            return True

    @property
    def saved_around(self) -> bool:
        """True while a conflict waits for the person's choice with the rest saved."""
        return bool(self.waiting)

    def clear_conflicts(self, *, keep_waiting: bool = False) -> None:
        """Take away the conflicts' choices (with `keep_waiting`, those saved around stay)."""
        kept = [(c, f) for c, f in self.conflicts if keep_waiting and tuple(c.path) in self.waiting]
        for conflict, field in self.conflicts:
            if field is not None and (conflict, field) not in kept:
                field.take_away(self._conflict_rows.get(tuple(conflict.path)))
        self.conflicts = kept
        self.waiting = {tuple(c.path) for c, _ in kept}
        self._conflict_rows = {
            k: row for k, row in self._conflict_rows.items() if k in self.waiting
        }
        self.other_conflicts.children = ()
        self.mark_tabs()

    def show_conflict(self, message: str, mine: Opportunity) -> None:
        self.conflict = True
        self.status.value = status_html(message, "error")
        self.reload_button.layout.display = None
        yours = self.section(mine)
        dumped = dump_yaml(yours) if hasattr(yours, "model_dump") else str(yours)
        self.unsaved_copy.value = (
            "<details open><summary>Your unsaved values (copy what you need before reloading)"
            f"</summary><pre style='max-height:16em;overflow:auto'>{html.escape(dumped)}</pre>"
            "</details>"
        )

    def reload(self) -> None:
        """Read the opportunity again from disk and show it, dropping this form's unsaved edits."""
        with self.lock:
            self.debouncer.cancel()
            try:
                self.stored = self.workbook.get(self.opportunity.id)
            except FollowupError as exc:
                self.status.value = status_html(f"Could not reload: {exc}", "error")
                return
            self.conflict = False
            self.dirty = False
            self.touched.clear()
            self.bad = {}
            self.reload_button.layout.display = "none"
            self.unsaved_copy.value = ""
            self.problems.value = ""
            for field in self.watched:
                field.clear_error()
            self.clear_conflicts()
            self.unmark_all()
            self.load(self.stored.opportunity)
            self.status.value = status_html(f"Reloaded from disk at {now_text()}.", "info")
            self.after_save()


def conflict_text(conflict: Conflict, field: Field | None, mine: Any) -> str:
    """'Changed elsewhere too. Yours: … · theirs: …' (named when it has no field to sit by)."""
    said = (
        "Changed elsewhere too"
        if field is not None
        else f"<b>{html.escape(conflict.label)}</b>: changed elsewhere too"
    )
    return (
        f"<span style='color:#8a5300'>{said}. Yours: "
        f"<b>{html.escape(shown_value(mine))}</b> · theirs: "
        f"<b>{html.escape(shown_value(conflict.theirs))}</b></span>"
    )


def shown_value(value: Any, limit: int = 80) -> str:
    """A stored value (as JSON-like data) in a few words, to compare two versions."""
    if value is None or value == "" or value == [] or value == {}:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return formats.number(value)
    if isinstance(value, dict):
        text = ", ".join(
            f"{k}: {shown_value(v, 30)}" for k, v in value.items() if v not in (None, "", [], {})
        )
    elif isinstance(value, list):
        text = "; ".join(shown_value(v, 30) for v in value)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
