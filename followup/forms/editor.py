"""The form on one opportunity: it loads the opportunity, autosaves a moment after each change,
and saves safely.

Saving builds the whole opportunity from the loaded one plus the form's values, validates it with
the model, and hands it to `Workbook.save(..., base_version=...)`: invalid values are shown beside
their field and never written, and a file changed by someone else is never silently overwritten
(see `conflicts`).
"""

from __future__ import annotations

import asyncio
import copy
import html
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from followup.clock import Clock
from followup.core import formats
from followup.core.errors import ConflictError, FollowupError, MergeConflict
from followup.core.model import Opportunity
from followup.forms.conflicts import TwoWriters
from followup.forms.fields import Collector, Field, Loc, set_in
from followup.forms.page import now_text, status_html
from followup.storage.workbook import Stored, Workbook

#: Autosave runs this many seconds after the last change.
AUTOSAVE_SECONDS = 1.0


# Errors back onto fields


def explain(error: dict[str, Any]) -> str:
    """A pydantic error in plain words."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "this is needed"
    if kind == "string_too_short":
        return "this can't be empty"
    if kind == "string_pattern_mismatch":
        return "keep this to one line of plain text"
    if kind in ("greater_than_equal", "greater_than"):
        return f"expected at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"expected at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters"
    return str(error.get("msg", "not a valid value")).removeprefix("Value error, ")


_MISSING = object()


def _get(data: Any, loc: Loc) -> Any:
    target = data
    for part in loc:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return target


def restore(data: Any, base: Any, loc: Loc) -> Loc | None:
    """Put back the loaded value at `loc`, so a value that cannot be saved keeps what is stored.

    Returns None when a value was put back; the location of the new list item to leave out when
    `loc` has no loaded counterpart; `()` when nothing could change.
    """
    before = _get(base, loc)
    if before is not _MISSING:
        if _get(data, loc) == before:
            return ()
        set_in(data, loc, copy.deepcopy(before))
        return None
    for end in range(1, len(loc) + 1):
        if isinstance(loc[end - 1], int) and _get(base, loc[:end]) is _MISSING:
            return loc[:end]
    return ()


def _where(loc: Loc, message: str) -> str:
    name = ".".join(str(p) for p in loc if not isinstance(p, int))
    return f"{name}: {message}" if name else message


class Debouncer:
    """Runs `action` once, `delay` seconds after the last `touch()`; `flush()` runs it now.

    In a kernel the wait is scheduled on the kernel's event loop (so the save runs in the main
    thread between messages); elsewhere a timer thread waits. A delay of 0 or None never runs by
    itself: tests and headless callers call `flush()`.
    """

    def __init__(self, delay: float | None, action: Callable[[], Any]):
        self.delay = delay
        self.action = action
        self.pending = False
        self._handle: Any = None
        self._lock = threading.RLock()

    def touch(self) -> None:
        with self._lock:
            self.pending = True
            self._cancel_handle()
            if not self.delay:
                return
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                timer = threading.Timer(self.delay, self.flush)
                timer.daemon = True
                timer.start()
                self._handle = timer
            else:
                self._handle = loop.call_later(self.delay, self.flush)

    def _cancel_handle(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def cancel(self) -> None:
        with self._lock:
            self.pending = False
            self._cancel_handle()

    def flush(self) -> Any:
        with self._lock:
            self._cancel_handle()
            if not self.pending:
                return None
            self.pending = False
            return self.action()


def _contains(widget: Any, target: w.Widget) -> bool:
    if widget is target:
        return True
    return any(_contains(child, target) for child in getattr(widget, "children", ()))


class Editor(TwoWriters):
    """A form on one opportunity: fill widgets from it, collect them back, save safely.

    Subclasses build their widgets, then implement `fill(opportunity)` and `collect(data,
    collector)`; every input they create goes through `self.watch(...)` so a change is noticed.
    A value that cannot be saved blocks only itself: it is marked beside its field (and in its
    tab's title), the stored value is kept for it, and every other change is saved.
    """

    title = "Form"
    #: The form's tabs, when it has some (their titles count the fields in error).
    tabs: w.Tab | None = None

    def __init__(
        self,
        workbook: Workbook,
        stored: Stored,
        now: datetime,
        *,
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        self.workbook = workbook
        self.stored = stored
        self.now = now
        #: The time of a click: a note marked sent is recorded when the button is pressed.
        self.clock = Clock.for_page(now)
        self.saved_at: str | None = None
        self.dirty = False
        self._filling = False
        self.lock = threading.RLock()
        self.watched: list[Field] = []
        self._by_widget: dict[int, Field] = {}
        #: Fields the person changed since the last save.
        self.touched: set[Field] = set()
        #: Fields whose value could not be saved, with why.
        self.bad: dict[Field, str] = {}
        self._titles: tuple[str, ...] | None = None
        #: How the last save read the form (which field wrote where).
        self.collector: Collector | None = None
        super().__init__()
        self.debouncer = Debouncer(autosave_seconds, self._autosave)
        #: The whole form, set by each subclass.
        self.widget: w.Widget = w.VBox([])

        self.save_button = w.Button(
            description="Save", icon="save", button_style="primary", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(lambda _: self.save())
        self.status = w.HTML(status_html("Nothing changed yet."))
        self.status.add_class("followup-status")
        self.problems = w.HTML("")
        self.problems.add_class("followup-problems")
        self.save_bar = w.VBox(
            [
                w.HBox(
                    [self.save_button, self.refresh_button, self.reload_button, self.status],
                    layout=w.Layout(align_items="center", grid_gap="0.6em"),
                ),
                self.problems,
                self.other_conflicts,
                self.unsaved_copy,
            ],
            layout=w.Layout(border_top="1px solid #ddd", padding="6px 0 0 0", margin="8px 0 0 0"),
        )

    # For subclasses

    def fill(self, opportunity: Opportunity) -> None:
        """Show `opportunity`'s values in the widgets."""

    def collect(self, data: dict[str, Any], collector: Collector) -> None:
        """Write the widgets' values into `data` (the opportunity as a dict) via `collector`."""

    def section(self, opportunity: Opportunity) -> Any:
        """The part of the opportunity this form edits (shown as a copy after a conflict)."""
        return opportunity

    def after_change(self) -> None:
        """Live checks after any change (subclasses override)."""

    def after_save(self) -> None:
        """Refresh what depends on the saved opportunity (subclasses override)."""

    def settle(self) -> None:
        """After a write, before the fields show the stored values (subclasses override)."""

    # Plumbing

    @property
    def opportunity(self) -> Opportunity:
        return self.stored.opportunity

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def watch(self, *items: Field | w.ValueWidget) -> None:
        for item in items:
            widget = item.widget if isinstance(item, Field) else item
            if isinstance(item, Field):
                self.watched.append(item)
                self._by_widget[id(widget)] = item
            widget.observe(self.changed, names="value")

    def forget(self, *items: Field) -> None:
        for item in items:
            item.widget.unobserve(self.changed, names="value")
            self._by_widget.pop(id(item.widget), None)
            self.touched.discard(item)
            self.bad.pop(item, None)
            if item in self.watched:
                self.watched.remove(item)

    def load(self, opportunity: Opportunity) -> None:
        """Fill the widgets without counting it as a change (fields in error keep their text)."""
        with self.lock:
            self._filling = True
            kept = self.collector.kept if self.collector else set()
            held = [f for f in self.watched if f in self.bad or f in self.touched or f in kept]
            for field in held:
                field.held = True
            try:
                self.fill(opportunity)
            finally:
                for field in held:
                    field.held = False
                self._filling = False
            self.after_change()

    def changed(self, change: Any = None) -> None:
        if self._filling:
            return
        field = self._by_widget.get(id(change["owner"])) if change else None
        if field is not None:
            self.touched.add(field)
            self.bad.pop(field, None)
            self.unmark(field)
            self.typed_into(field)
        self.after_change()
        if self.conflict:
            return
        self.dirty = True
        if self.disk_changed():
            self.save(auto=True)
            return
        self.status.value = status_html("Unsaved changes…", "warn")
        self.debouncer.touch()

    def _autosave(self) -> bool:
        return self.save(auto=True)

    def flush(self) -> bool:
        """Save now what autosave would save shortly (True when nothing is left unsaved)."""
        if self.debouncer.pending:
            return bool(self.debouncer.flush())
        return not self.dirty

    def build(self, change: Callable[[Opportunity], Any] | None = None) -> Opportunity | None:
        """The opportunity as the form says it should be, or None after showing the problems.

        A value that cannot be read or breaks the model is marked beside its field and replaced
        by the stored one (a new row that cannot be saved yet is left out), so the rest saves.
        """
        base = self.opportunity.model_dump(mode="python", round_trip=True)
        data = copy.deepcopy(base)
        collector = Collector()
        self.collect(data, collector)
        self.collector = collector
        held = self.held_fields()
        for loc, field in list(collector.fields.items()):
            if field in held:  # saved elsewhere too: the file keeps theirs until the person chooses
                restore(data, base, loc)
        for field in {*self.watched, *collector.fields.values()}:
            field.clear_error()
        self.problems.value = ""
        bad: dict[Field, str] = {}
        for field, message in collector.problems:
            bad.setdefault(field, message)
        general: list[str] = []
        candidate: Opportunity | None = None
        for _ in range(12):
            try:
                candidate = Opportunity.model_validate(data)
                break
            except ValidationError as exc:
                progressed = False
                dropped: list[Loc] = []
                for error in exc.errors():
                    loc = tuple(error.get("loc", ()))
                    found = collector.owner_loc(loc)
                    if found is None:
                        general.append(_where(loc, explain(error)))
                        continue
                    field_loc, field = found
                    bad.setdefault(field, explain(error))
                    outcome = restore(data, base, field_loc)
                    if outcome is None:
                        progressed = True
                    elif outcome and outcome not in dropped:
                        dropped.append(outcome)
                for item in sorted(dropped, reverse=True):
                    collector.drop_item(data, item)
                    progressed = True
                if general or not progressed:
                    break
        if candidate is not None and change is not None:
            try:
                changed = candidate.model_copy(deep=True)
                result = change(changed)
                if isinstance(result, Opportunity):
                    changed = result  # a step's action returns the changed copy
                candidate = Opportunity.model_validate(changed.model_dump(round_trip=True))
            except ValidationError as exc:
                general.extend(_where(tuple(e.get("loc", ())), explain(e)) for e in exc.errors())
                candidate = None
            except (ValueError, FollowupError) as exc:
                general.append(str(exc))
                candidate = None
        for field, message in bad.items():
            field.show_error(message)
        self.bad = bad
        self.after_change()
        self.mark_tabs()
        if candidate is None or general:
            self._not_saved(general)
            return None
        return candidate

    def tab_of(self, field: Field) -> str:
        """The title of the tab holding `field` ('' when the form has no tabs)."""
        if self.tabs is None:
            return ""
        titles = self._titles or tuple(self.tabs.titles)
        for index, child in enumerate(self.tabs.children):
            if _contains(child, field.box):
                return titles[index]
        return ""

    def mark_tabs(self) -> None:
        """'People ⚠ 1': each tab's title counts the fields in error on it."""
        if self.tabs is None:
            return
        if self._titles is None:
            self._titles = tuple(self.tabs.titles)
        counts = dict.fromkeys(self._titles, 0)
        asked = {field for _, field in self.conflicts if field is not None}
        for field in {*self.bad, *asked}:
            title = self.tab_of(field)
            if title in counts:
                counts[title] += 1
        self.tabs.titles = tuple(f"{t} ⚠ {counts[t]}" if counts[t] else t for t in self._titles)

    def where(self, field: Field) -> str:
        """'People › Email': where a person finds a field."""
        tab = self.tab_of(field)
        name = field.label or "a value"
        return f"{tab} › {name}" if tab else name

    def _needs_a_look(self) -> str:
        places = [self.where(field) for field in self.bad]
        shown = ", ".join(places[:3]) + (", …" if len(places) > 3 else "")
        count = formats.plural(len(places), "value")
        return f"{count} {'needs' if len(places) == 1 else 'need'} a look (marked in red): {shown}"

    def _not_saved(self, general: list[str]) -> None:
        if general:
            items = "".join(f"<li>{html.escape(g)}</li>" for g in general)
            self.problems.value = f"<ul style='color:#b00020;margin:2px 0'>{items}</ul>"
            reason = general[0] if len(general) == 1 else formats.plural(len(general), "problem")
            self.status.value = status_html(
                f"Not saved: {reason}. Your text is still here.", "error"
            )
            return
        self.status.value = status_html(
            f"Not saved: {self._needs_a_look()}. Your text is still here.", "error"
        )

    def save(
        self, *, auto: bool = False, change: Callable[[Opportunity], Any] | None = None
    ) -> bool:
        """Validate and write what can be saved; True when everything typed is saved."""
        with self.lock:
            self.debouncer.cancel()
            if self.conflict:
                self.status.value = status_html(
                    "Not saved: the file changed elsewhere. Reload it first.", "error"
                )
                return False
            candidate = self.build(change)
            if candidate is None:
                return False
            if candidate == self.opportunity:
                if self.bad:
                    self._not_saved([])
                else:
                    if self.dirty and self.held_fields():
                        self.status.value = status_html(
                            f"Nothing else to save: {self.to_choose()}.", "warn"
                        )
                    elif self.dirty:
                        self.status.value = (
                            status_html(f"All saved (last at {self.saved_at}).", "ok")
                            if self.saved_at
                            else status_html("Nothing to save: no changes.", "info")
                        )
                    self.dirty = False
                    self.touched = set(self.held_fields())
                return not self.bad and not self.held_fields()
            try:
                stored = self.workbook.save(
                    candidate,
                    base_version=self.stored.version,
                    base=self.opportunity,
                    resolutions=dict(self.resolutions),
                )
            except MergeConflict as exc:
                if not self.save_around(candidate, exc, auto=auto):
                    self.ask(exc.conflicts)
                return False
            except ConflictError as exc:
                self.show_conflict(str(exc), candidate)
                return False
            except FollowupError as exc:
                self.status.value = status_html(f"Not saved: {exc}", "error")
                return False
            self.stored = stored
            self.resolutions = {}
            self.clear_conflicts(keep_waiting=True)
            self.saved(auto=auto, merged=stored.merged_from_disk)
            return not self.bad and not self.held_fields()

    def saved(self, *, auto: bool, merged: bool = False) -> None:
        """After a write: show every value as stored (a link with its https://, a number with
        its separators), except the fields in error, which keep their text; say so."""
        held = self.held_fields()
        self.touched = {f for f in self.touched if f in self.bad or f in held}
        self.dirty = bool(self.bad)
        self.saved_at = now_text()
        self._say_saved("Saved automatically" if auto else "Saved", merged=merged)
        self.settle()
        if merged:
            self.load_marking(self.stored.opportunity)
        else:
            self.load(self.stored.opportunity)
        self.after_save()

    def _say_saved(self, how: str, *, merged: bool = False) -> None:
        """'Saved at 10:42', with what was left out: values in error, conflicts to choose."""
        if merged:
            how = f"{how} at {self.saved_at}, together with changes saved elsewhere"
        else:
            how = f"{how} at {self.saved_at}"
        left_out = []
        if self.bad:
            left_out.append(self._needs_a_look())
        if self.held_fields():
            left_out.append(self.to_choose())
        if left_out:
            text = f"{how}, except {'; and '.join(left_out)}."
            self.status.value = status_html(text, "warn")
        else:
            self.status.value = status_html(f"{how}.", "ok")

    def forget_unsaved(self) -> None:
        """Drop the marks of values that could not be saved (the form shows another part)."""
        for field in self.bad:
            field.clear_error()
        self.bad = {}
        self.touched.clear()
        self.dirty = False
        self.clear_conflicts()
        self.unmark_all()

    def act(self, change: Callable[[Opportunity], Any]) -> bool:
        """Apply a one-click action (mark sent, record news) together with any pending edits."""
        return self.save(change=change)
