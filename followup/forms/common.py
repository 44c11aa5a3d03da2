"""Shared pieces of the forms: labelled fields with their own error line, the save bar, autosave.

A form reads the opportunity it was opened on and keeps the version it read. Saving builds the whole
opportunity from the loaded one plus the form's values, validates it with the model, and hands it
to `Workbook.save(..., base_version=...)`: invalid values are shown beside their field and never
written, and a file changed by someone else is never silently overwritten.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import copy
import html
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import ipywidgets as w
from IPython.display import HTML, Javascript
from pydantic import ValidationError

from followup.app.address import (
    NOW_VARIABLE,
    OPPORTUNITY,
    in_app,
    page_opportunity,
    request_query,
)
from followup.clock import local_zone_name as _machine_zone
from followup.clock import parse_now
from followup.core import formats
from followup.core.errors import ConflictError, FollowupError, MergeConflict
from followup.core.merge import Conflict
from followup.core.model import Opportunity, is_valid_id
from followup.storage.files import atomic_write, dump_yaml, version_of
from followup.storage.workbook import LAST_CHOICE_FILE, Stored, Workbook, resolve_data_dir

#: Autosave runs this many seconds after the last change.
AUTOSAVE_SECONDS = 1.0

NOTEBOOKS = {
    "dashboard": "00_dashboard.ipynb",
    "interview": "01_interview.ipynb",
    "debrief": "02_debrief.ipynb",
    "reflect": "03_reflect.ipynb",
    "follow_up": "04_follow_up.ipynb",
}

LABEL_WIDTH = "11em"
FIELD_WIDTH = "24em"
WIDE_WIDTH = "36em"

Loc = tuple[str | int, ...]


# Values in and out of widgets


def parse_number(text: str) -> float | None:
    """'64000', '64,000', '64 000' or '64k' as a number; empty as None."""
    cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    factor = 1.0
    if cleaned[-1:] in ("k", "K"):
        cleaned, factor = cleaned[:-1], 1000.0
    try:
        value = float(cleaned) * factor
    except ValueError:
        raise ValueError(f"expected a number such as 64000, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"expected a number such as 64000, got {text!r}")
    return value


def _as_lines(text: str) -> list[str]:
    return [line.strip() for line in str(text).splitlines() if line.strip()]


#: The zones people use most, offered first in the time-zone picker.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
#: Zone names that are aliases or technical entries, never offered (Etc/GMT+5 is UTC-5).
_HIDDEN_ZONE_PREFIXES = ("Etc/", "SystemV/", "posix/", "right/")


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone this machine knows, sorted (what a stored zone may be)."""
    return tuple(sorted(available_timezones()))


def _offered(name: str) -> bool:
    return name == "UTC" or ("/" in name and not name.startswith(_HIDDEN_ZONE_PREFIXES))


@cache
def zone_choices() -> tuple[str, ...]:
    """The zones the picker offers: the common ones first, then the rest by name (no aliases
    such as Factory, localtime or the sign-inverted Etc/GMT+5)."""
    known = set(zone_names())
    common = tuple(z for z in COMMON_ZONES if z in known)
    rest = tuple(z for z in zone_names() if _offered(z) and z not in common)
    return common + rest


def utc_offset(moment: datetime) -> str:
    """'UTC+01:00', 'UTC-05:00', 'UTC+05:30'."""
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def zone_label(name: str, at: datetime) -> str:
    """'Europe/Berlin (UTC+01:00)': the zone with its offset at the moment `at`."""
    if name == "UTC":
        return name
    return f"{name} ({utc_offset(at.astimezone(ZoneInfo(name)))})"


def parse_zone(text: str) -> str | None:
    """A zone typed or picked ('Europe/Berlin (UTC+01:00)', 'europe/berlin', 'Berlin') as its
    IANA name; empty as None."""
    cleaned = str(text).split(" (UTC", 1)[0].strip()
    if not cleaned:
        return None
    if cleaned in zone_names():
        return cleaned
    wanted = cleaned.replace(" ", "_").lower()
    exact = [z for z in zone_choices() if z.lower() == wanted]
    ends = [z for z in zone_choices() if z.lower().endswith("/" + wanted)]
    found = exact or ends
    if len(found) == 1:
        return found[0]
    raise ValueError(f"expected a time zone from the list, such as Europe/Berlin, got {text!r}")


def zone_in(place: str | None) -> str | None:
    """The zone a place names, when a part of it is a zone's city ('Paris, hybrid' is
    Europe/Paris, 'New York (onsite)' America/New_York); None when no part is."""
    offered = set(zone_choices())
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", place or "") if not unicodedata.combining(c)
    )  # São Paulo as Sao_Paulo
    for part in re.split(r"[,;()|·]", plain):
        try:
            found = parse_zone(part)
        except ValueError:
            continue
        if found in offered:
            return found
    return None


def parse_day(text: str) -> date | None:
    """A date typed as 2026-12-03; empty as None. An impossible or partial date is refused,
    never moved to a nearby day."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if not found:
        raise ValueError(f"expected a date as year-month-day, such as 2026-12-03, got {text!r}")
    year, month, day_of_month = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{cleaned} is not a real date: the month is 1 to 12")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day_of_month <= days:
        raise ValueError(
            f"{cleaned} is not a real date: {calendar.month_name[month]} {year} has {days} days"
        )
    return date(year, month, day_of_month)


def format_day(value: date | None) -> str:
    return value.isoformat() if value else ""


def parse_clock(text: str) -> time | None:
    """A wall-clock time typed as 14:30 (24-hour); empty as None."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    found = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", cleaned)
    hour, minute, second = (int(p or 0) for p in found.groups()) if found else (99, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"expected a 24-hour time such as 14:30, got {text!r}")
    return time(hour, minute, second)


def format_clock(value: time | None) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def web_address(text: str) -> str | None:
    """A link as typed, with https:// added when no scheme was given; empty as None."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", cleaned):
        cleaned = "https://" + cleaned
    return cleaned


def local_zone_name() -> str:
    """This machine's IANA zone name when it can be told, else UTC (see `followup.clock`)."""
    return _machine_zone() or "UTC"


def combine_local(day: date | None, clock: time | None, zone: str) -> datetime | None:
    """A date and a wall-clock time in `zone` as an aware datetime (None without a date)."""
    if day is None:
        return None
    return datetime.combine(day, clock or time(0), tzinfo=ZoneInfo(zone))


# Fields


class Field:
    """One labelled input, with an error line beside it that says what is wrong.

    After each save the form shows every field as stored (a link with its https://, a number with
    its separators), so what is on screen is what is in the file. `echo` turns the value into a
    short confirmation shown beside the input (the weekday of a date).
    """

    def __init__(
        self,
        widget: w.ValueWidget,
        label: str,
        *,
        to_model: Callable[[Any], Any] | None = None,
        from_model: Callable[[Any], Any] | None = None,
        hint: str = "",
        label_width: str = LABEL_WIDTH,
        echo: Callable[[Any], str] | None = None,
    ):
        self.widget = widget
        self.label = label
        #: While True, `write` leaves the widget alone (a value being typed, or one in error).
        self.held = False
        self._to_model = to_model or (lambda v: v)
        self._from_model = from_model or (lambda v: v)
        self.error = w.HTML("", layout=w.Layout(margin="0 0 0 0.5em"))
        self.error.add_class("followup-error")
        #: "Keep mine" / "Take theirs" when the same field changed elsewhere (hidden otherwise).
        self.conflict = w.HBox([], layout=w.Layout(margin="0 0 0 0.5em"))
        self.conflict.add_class("followup-conflict")
        parts: list[w.Widget] = []
        if label:
            parts.append(w.Label(label, layout=w.Layout(width=label_width, min_width=label_width)))
        parts.append(widget)
        if hint:
            parts.append(w.HTML(f"<span style='color:#666'>{html.escape(hint)}</span>"))
        self.echo = w.HTML("")
        if echo is not None:
            parts.append(self.echo)
            widget.observe(lambda _: self._echo(echo), names="value")
        parts.append(self.error)
        parts.append(self.conflict)
        self.box = w.HBox(parts, layout=w.Layout(align_items="center", flex_flow="row wrap"))

    def _echo(self, render: Callable[[Any], str]) -> None:
        try:
            value = self.read()
        except ValueError:
            value = None
        shown = render(value) if value is not None else ""
        self.echo.value = f"<span style='color:#555'>{html.escape(shown)}</span>" if shown else ""

    def read(self) -> Any:
        """The model's value for what is typed (ValueError when it cannot be one)."""
        return self._to_model(self.widget.value)

    def peek(self) -> Any:
        """The value typed, or None while it cannot be read."""
        try:
            return self.read()
        except ValueError:
            return None

    def write(self, value: Any) -> None:
        if self.held:
            return
        shown = self._from_model(value)
        current = self.widget.value
        if isinstance(current, str) and isinstance(shown, str) and current.strip() == shown:
            return  # only the spaces around it differ: leave what is being typed alone
        if shown != current:
            self.widget.value = shown
        if isinstance(self.widget, w.Dropdown) and self.widget.index is None:
            # ipywidgets shows a None value as no selection; select the "not set" option instead.
            for index, option in enumerate(self.widget.options):
                if isinstance(option, tuple) and option[1] is None:
                    self.widget.index = index
                    break

    def show_error(self, message: str) -> None:
        message = message[:1].upper() + message[1:]
        self.error.value = f"<span style='color:#b00020'>⚠ {html.escape(message)}</span>"

    def clear_error(self) -> None:
        self.error.value = ""

    def put_beside(self, widget: w.Widget) -> None:
        """Show `widget` beside the field (a conflict's choice, a "changed elsewhere" mark)."""
        self.conflict.children = (*self.conflict.children, widget)

    def take_away(self, widget: w.Widget | None) -> None:
        """Remove what `put_beside` showed (None: nothing to remove)."""
        if widget is not None:
            self.conflict.children = tuple(c for c in self.conflict.children if c is not widget)

    @property
    def message(self) -> str:
        """The error shown now, as plain text ('' when none)."""
        return html.unescape(self.error.value.split("⚠ ", 1)[-1].split("<", 1)[0]).strip()


def _layout(width: str) -> w.Layout:
    return w.Layout(width=width)


def text(label: str, *, placeholder: str = "", hint: str = "", width: str = FIELD_WIDTH) -> Field:
    widget = w.Text(placeholder=placeholder, layout=_layout(width))
    return Field(widget, label, from_model=lambda v: v or "", hint=hint)


def optional_text(label: str, *, placeholder: str = "", hint: str = "") -> Field:
    """A text whose empty value is stored as 'not given' (None)."""
    widget = w.Text(placeholder=placeholder, layout=_layout(FIELD_WIDTH))
    return Field(
        widget,
        label,
        to_model=lambda v: v.strip() or None,
        from_model=lambda v: v or "",
        hint=hint,
    )


def link(label: str, *, placeholder: str = "https://…") -> Field:
    """A web address; one typed without https:// gets it added."""
    widget = w.Text(placeholder=placeholder, layout=_layout(FIELD_WIDTH))
    return Field(widget, label, to_model=web_address, from_model=lambda v: v or "")


def textarea(label: str, *, placeholder: str = "", rows: int = 2, width: str = WIDE_WIDTH) -> Field:
    widget = w.Textarea(placeholder=placeholder, rows=rows, layout=_layout(width))
    return Field(widget, label, from_model=lambda v: v or "")


def lines(label: str, *, placeholder: str = "", rows: int = 3) -> Field:
    """A list of short items, one per line."""
    widget = w.Textarea(placeholder=placeholder, rows=rows, layout=_layout(WIDE_WIDTH))
    return Field(widget, label, to_model=_as_lines, from_model=lambda v: "\n".join(v or []))


def number(label: str, *, placeholder: str = "", hint: str = "") -> Field:
    widget = w.Text(placeholder=placeholder, layout=_layout("10em"))
    return Field(widget, label, to_model=parse_number, from_model=formats.number, hint=hint)


def parse_whole(text: str, low: int, high: int) -> int | None:
    """A whole number typed, between `low` and `high`; empty as None. Never clamped."""
    cleaned = str(text).strip().replace(",", "")
    if not cleaned:
        return None
    if not re.fullmatch(r"\d+", cleaned) or not low <= int(cleaned) <= high:
        raise ValueError(f"expected a whole number from {low} to {high}, got {text!r}")
    return int(cleaned)


def whole(label: str, low: int, high: int, *, width: str = "6em") -> Field:
    """A whole number from `low` to `high` (out of range is an error, never clamped)."""
    widget = w.Text(value="", layout=_layout(width))
    return Field(
        widget,
        label,
        to_model=lambda v: parse_whole(v, low, high),
        from_model=lambda v: "" if v is None else str(v),
    )


def choice(
    label: str,
    options: Sequence[tuple[str, Any]],
    *,
    empty: str | None = "—",
    width: str = "14em",
    hint: str = "",
) -> Field:
    """A dropdown; `empty` adds a 'not set' first option stored as None."""
    items = ([(empty, None)] if empty is not None else []) + list(options)
    widget = w.Dropdown(options=items, index=0, layout=_layout(width))
    return Field(widget, label, hint=hint)


SCORE_OPTIONS = [
    ("1 · poor", 1),
    ("2 · weak", 2),
    ("3 · fair", 3),
    ("4 · good", 4),
    ("5 · excellent", 5),
]
#: What the ends of a 1-5 rating mean, shown beside it.
SCORE_HINT = "1 = poor · 5 = excellent"


def score(label: str) -> Field:
    return choice(label, SCORE_OPTIONS, width="10em")


def checkbox(label: str, *, hint: str = "") -> Field:
    """A tick box with its label on its right, never cut off."""
    widget = w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto"))
    field = Field(widget, "", from_model=bool, hint=hint)
    field.label = label
    return field


def day(label: str, *, hint: str = "") -> Field:
    """A date typed as 2026-12-03 (a browser date input coerces impossible dates; text does
    not): an impossible or partial date is an error beside the field, never stored."""
    widget = w.Text(value="", placeholder="YYYY-MM-DD", layout=_layout("8.5em"))
    return Field(
        widget,
        label,
        to_model=parse_day,
        from_model=format_day,
        hint=hint,
        echo=formats.day,
    )


def clock(label: str) -> Field:
    """A 24-hour time typed as 14:30."""
    widget = w.Text(value="", placeholder="HH:MM", layout=_layout("5.5em"))
    return Field(widget, label, to_model=parse_clock, from_model=format_clock)


def zone(label: str, default: str | None = None, *, at: datetime | None = None) -> Field:
    """A searchable time-zone picker: type part of a name ('Berlin') or pick from the list,
    common zones first, each with its UTC offset (at `at`, else now)."""
    moment = at or datetime.now().astimezone()
    options = [zone_label(name, moment) for name in zone_choices()]
    chosen = default or local_zone_name()
    widget = w.Combobox(
        options=options,
        value=zone_label(chosen, moment),
        placeholder="Type a city, e.g. Berlin",
        ensure_option=False,
        layout=_layout("20em"),
    )
    return Field(
        widget,
        label,
        to_model=parse_zone,
        from_model=lambda v: zone_label(v or default or local_zone_name(), moment),
    )


def enum_options(enum: Iterable[Any]) -> list[tuple[str, Any]]:
    return [(str(item.value).capitalize(), item) for item in enum]


# Putting values into the opportunity, and errors back onto fields


def set_in(data: Any, loc: Loc, value: Any) -> None:
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value


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


class Collector:
    """Gathers a form's values into the opportunity's data and remembers which field wrote where."""

    def __init__(self) -> None:
        self.fields: dict[Loc, Field] = {}
        self.problems: list[tuple[Field, str]] = []
        #: Fields that keep their text although valid (a time waiting for its day).
        self.kept: set[Field] = set()

    def put(self, data: Any, loc: Loc, field: Field) -> None:
        """Write the field's value at `loc` in `data` (or note why it cannot be read)."""
        target = data
        for part in loc[:-1]:
            target = target[part]
        self.read_into(target, loc[-1], field, loc)

    def read_into(self, target: Any, key: str | int, field: Field, loc: Loc) -> None:
        self.fields[tuple(loc)] = field
        try:
            target[key] = field.read()
        except ValueError as exc:
            self.problems.append((field, str(exc)))

    def owner(self, loc: Loc) -> Field | None:
        """The field registered at the longest prefix of `loc` (an error's location)."""
        found = self.owner_loc(loc)
        return found[1] if found else None

    def owner_loc(self, loc: Loc) -> tuple[Loc, Field] | None:
        """The longest registered prefix of `loc`, and its field."""
        loc = tuple(loc)
        for end in range(len(loc), 0, -1):
            field = self.fields.get(loc[:end])
            if field is not None:
                return loc[:end], field
        return None

    def drop_item(self, data: Any, item: Loc) -> None:
        """Leave out the list item at `item` (a new row that cannot be saved yet), shifting the
        locations of the rows after it."""
        *parent, index = item
        listed = data
        for part in parent:
            listed = listed[part]
        del listed[index]
        depth = len(parent)
        moved: dict[Loc, Field] = {}
        for loc, field in self.fields.items():
            if loc[:depth] == tuple(parent) and len(loc) > depth and isinstance(loc[depth], int):
                at = loc[depth]
                if at == index:
                    continue
                if at > index:
                    loc = (*loc[:depth], at - 1, *loc[depth + 1 :])
            moved[loc] = field
        self.fields = moved


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


# Autosave


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


# The form around one opportunity


def _now_text() -> str:
    return datetime.now().astimezone().strftime("%H:%M:%S")


def status_html(message: str, tone: str = "info") -> str:
    colours = {"info": "#555", "ok": "#1b5e20", "warn": "#8a5300", "error": "#b00020"}
    return f"<span style='color:{colours[tone]}'>{html.escape(message)}</span>"


def guidance(textline: str) -> w.HTML:
    """The short line of checklist guidance shown at the top of a group."""
    return w.HTML(
        f"<div style='color:#37474f;background:#eef5f9;padding:4px 8px;border-radius:4px;"
        f"margin:2px 0 6px 0'>{html.escape(textline)}</div>"
    )


def heading(textline: str) -> w.HTML:
    return w.HTML(f"<h3 style='margin:4px 0'>{html.escape(textline)}</h3>")


#: Inputs share the notebook's interface font, text areas included (browsers give them a
#: monospace one by default).
FORM_CSS = (
    "<style>.followup-form textarea{font-family:var(--jp-ui-font-family,inherit);"
    "font-size:var(--jp-widgets-font-size,13px)}"
    ".followup-form .widget-button{width:auto;min-width:fit-content}"
    ".followup-form .widget-label{overflow:visible}</style>"
)


def form_box(children: Sequence[w.Widget]) -> w.VBox:
    """The outer box of a form: its widgets and the shared style."""
    box = w.VBox([w.HTML(FORM_CSS), *children])
    box.add_class("followup-form")
    return box


def _contains(widget: Any, target: w.Widget) -> bool:
    if widget is target:
        return True
    return any(_contains(child, target) for child in getattr(widget, "children", ()))


class Editor:
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
        self.saved_at: str | None = None
        self.dirty = False
        self.conflict = False
        self._filling = False
        self._lock = threading.RLock()
        self._fields: list[Field] = []
        self._by_widget: dict[int, Field] = {}
        #: Fields the person changed since the last save.
        self.touched: set[Field] = set()
        #: Fields whose value could not be saved, with why.
        self.bad: dict[Field, str] = {}
        self._titles: tuple[str, ...] | None = None
        #: How the last save read the form (which field wrote where).
        self.collector: Collector | None = None
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
        self.debouncer = Debouncer(autosave_seconds, self._autosave)
        #: The whole form, set by each subclass.
        self.widget: w.Widget = w.VBox([])

        self.save_button = w.Button(
            description="Save", icon="save", button_style="primary", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(lambda _: self.save())
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
        self.status = w.HTML(status_html("Nothing changed yet."))
        self.status.add_class("followup-status")
        self.problems = w.HTML("")
        self.problems.add_class("followup-problems")
        self.unsaved_copy = w.HTML("")
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
                self._fields.append(item)
                self._by_widget[id(widget)] = item
            widget.observe(self._changed, names="value")

    def forget(self, *items: Field) -> None:
        for item in items:
            item.widget.unobserve(self._changed, names="value")
            self._by_widget.pop(id(item.widget), None)
            self.touched.discard(item)
            self.bad.pop(item, None)
            if item in self._fields:
                self._fields.remove(item)

    def load(self, opportunity: Opportunity) -> None:
        """Fill the widgets without counting it as a change (fields in error keep their text)."""
        with self._lock:
            self._filling = True
            kept = self.collector.kept if self.collector else set()
            held = [f for f in self._fields if f in self.bad or f in self.touched or f in kept]
            for field in held:
                field.held = True
            try:
                self.fill(opportunity)
            finally:
                for field in held:
                    field.held = False
                self._filling = False
            self.after_change()

    def _changed(self, change: Any = None) -> None:
        if self._filling:
            return
        field = self._by_widget.get(id(change["owner"])) if change else None
        if field is not None:
            self.touched.add(field)
            self.bad.pop(field, None)
            self._unmark(field)
            self._typed_into(field)
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
        held = self._held()
        for loc, field in list(collector.fields.items()):
            if field in held:  # saved elsewhere too: the file keeps theirs until the person chooses
                restore(data, base, loc)
        for field in {*self._fields, *collector.fields.values()}:
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
                change(changed)
                candidate = Opportunity.model_validate(changed.model_dump(round_trip=True))
            except ValidationError as exc:
                general.extend(_where(tuple(e.get("loc", ())), explain(e)) for e in exc.errors())
                candidate = None
            except ValueError as exc:
                general.append(str(exc))
                candidate = None
        for field, message in bad.items():
            field.show_error(message)
        self.bad = bad
        self.after_change()
        self._mark_tabs()
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

    def _mark_tabs(self) -> None:
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
        with self._lock:
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
                    if self.dirty and self._held():
                        self.status.value = status_html(
                            f"Nothing else to save: {self._to_choose()}.", "warn"
                        )
                    elif self.dirty:
                        self.status.value = (
                            status_html(f"All saved (last at {self.saved_at}).", "ok")
                            if self.saved_at
                            else status_html("Nothing to save: no changes.", "info")
                        )
                    self.dirty = False
                    self.touched = set(self._held())
                return not self.bad and not self._held()
            try:
                stored = self.workbook.save(
                    candidate,
                    base_version=self.stored.version,
                    base=self.opportunity,
                    resolutions=dict(self.resolutions),
                )
            except MergeConflict as exc:
                if not self._save_around(candidate, exc, auto=auto):
                    self._ask(exc.conflicts)
                return False
            except ConflictError as exc:
                self._show_conflict(str(exc), candidate)
                return False
            except FollowupError as exc:
                self.status.value = status_html(f"Not saved: {exc}", "error")
                return False
            self.stored = stored
            self.resolutions = {}
            self._clear_conflicts(keep_waiting=True)
            self.saved(auto=auto, merged=stored.merged_from_disk)
            return not self.bad and not self._held()

    def saved(self, *, auto: bool, merged: bool = False) -> None:
        """After a write: show every value as stored (a link with its https://, a number with
        its separators), except the fields in error, which keep their text; say so."""
        held = self._held()
        self.touched = {f for f in self.touched if f in self.bad or f in held}
        self.dirty = bool(self.bad)
        self.saved_at = _now_text()
        self._say_saved("Saved automatically" if auto else "Saved", merged=merged)
        self.settle()
        if merged:
            self._load_marking(self.stored.opportunity)
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
        if self._held():
            left_out.append(self._to_choose())
        if left_out:
            text = f"{how}, except {'; and '.join(left_out)}."
            self.status.value = status_html(text, "warn")
        else:
            self.status.value = status_html(f"{how}.", "ok")

    def _to_choose(self) -> str:
        """'1 field changed here and elsewhere (Next steps › What happens next): choose …'."""
        held = self._held()
        places = ", ".join(self.where(f) for f in held[:3]) + (", …" if len(held) > 3 else "")
        return (
            f"{formats.plural(len(held), 'field')} changed here and elsewhere ({places}): "
            f"choose beside {'it' if len(held) == 1 else 'each'}; until then the file keeps "
            "theirs and yours is only on this page"
        )

    def _held(self) -> list[Field]:
        """The fields whose conflict is saved around: they show the person's text, the file
        keeps theirs."""
        return [f for c, f in self.conflicts if f is not None and tuple(c.path) in self.waiting]

    def _save_around(self, candidate: Opportunity, exc: MergeConflict, *, auto: bool) -> bool:
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
        self._clear_conflicts(keep_waiting=True)
        self.stored = stored
        self.resolutions = {}
        for conflict, field in zip(conflicts, fields, strict=True):
            self._show_choice(conflict, field)
            self.waiting.add(tuple(conflict.path))
            self.touched.add(field)
        self._mark_tabs()
        self.saved(auto=auto, merged=True)
        if exc.theirs is not None and stored.version == exc.theirs.version:  # nothing of ours
            self.status.value = status_html(f"Not saved yet: {self._to_choose()}.", "warn")
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
        with self._lock:
            if not self.disk_changed():
                if not self.dirty:
                    self.status.value = status_html(
                        f"No changes made elsewhere (checked at {_now_text()}).", "info"
                    )
                return False
            if self.dirty or self.touched - set(self._held()):
                self.save(auto=True)
                return True
            try:
                self.stored = self.workbook.get(self.opportunity.id)
            except FollowupError as exc:
                self.status.value = status_html(f"Could not read the changes: {exc}", "error")
                return True
            self._load_marking(self.stored.opportunity)
            self.after_save()
            self.status.value = status_html(
                f"Showing changes saved elsewhere, read at {_now_text()}.", "info"
            )
            return True

    def _ask(self, conflicts: Sequence[Conflict]) -> None:
        """Show each conflict beside its field, with both values and a choice."""
        self._clear_conflicts(keep_waiting=True)
        collector = self.collector or Collector()
        loose: list[w.Widget] = []
        for conflict in conflicts:
            row = self._show_choice(conflict, collector.owner(tuple(conflict.path)))
            if row is not None:
                loose.append(row)
        self.other_conflicts.children = loose
        self._mark_tabs()
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

    def _load_marking(self, opportunity: Opportunity) -> None:
        """Show `opportunity` (which holds changes saved elsewhere) and mark each field whose
        shown value changed, so that nobody types over another writer's value unawares."""
        before = {f: f.widget.value for f in self._fields if f not in self.touched}
        self.load(opportunity)
        self._unmark_all()
        for field, value in before.items():
            if field in self._fields and field.widget.value != value:
                mark = w.HTML(
                    "<span style='color:#1565c0'>↻ changed elsewhere</span>",
                    layout=w.Layout(margin="0 0 0 0.3em"),
                )
                mark.add_class("followup-changed-elsewhere")
                self._marks[field] = mark
                field.put_beside(mark)

    def _unmark_all(self) -> None:
        for field in list(self._marks):
            self._unmark(field)

    def _unmark(self, field: Field) -> None:
        field.take_away(self._marks.pop(field, None))

    def _typed_into(self, field: Field) -> None:
        """Keep 'Yours: …' in a waiting conflict's row in step with what is typed in its field."""
        for conflict, owner in self.conflicts:
            row = self._conflict_rows.get(tuple(conflict.path))
            if owner is field and row is not None and tuple(conflict.path) in self.waiting:
                try:
                    typed = field.read()
                except ValueError:
                    typed = field.widget.value
                row.children[0].value = _conflict_text(conflict, field, typed)

    def _conflict_row(self, conflict: Conflict, field: Field | None) -> w.Widget:
        mine = w.Button(description="Keep mine", icon="user", layout=w.Layout(width="auto"))
        theirs = w.Button(description="Take theirs", icon="download", layout=w.Layout(width="auto"))
        mine.on_click(lambda _: self.resolve(conflict.path, "mine"))
        theirs.on_click(lambda _: self.resolve(conflict.path, "theirs"))
        text = _conflict_text(conflict, field, conflict.mine)
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
        with self._lock:
            found = [(c, f) for c, f in self.conflicts if tuple(c.path) == path]
            if not found or found[0][1] is None:
                return False
            entry = found[0]
            field = entry[1]
            self.conflicts.remove(entry)
            self.waiting.discard(path)
            field.take_away(self._conflict_rows.pop(path, None))
            self._mark_tabs()
            if choice == "mine":
                self.touched.add(field)
                self.dirty = True
                return self.save()
            self.touched.discard(field)
            self.load(self.opportunity)
            text = "Took the value saved elsewhere."
            if self._held():
                text += f" Still {self._to_choose()}."
            self.status.value = status_html(text, "warn" if self._held() else "ok")
            return True

    @property
    def saved_around(self) -> bool:
        """True while a conflict waits for the person's choice with the rest saved."""
        return bool(self.waiting)

    def _clear_conflicts(self, *, keep_waiting: bool = False) -> None:
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
        self._mark_tabs()

    def forget_unsaved(self) -> None:
        """Drop the marks of values that could not be saved (the form shows another part)."""
        for field in self.bad:
            field.clear_error()
        self.bad = {}
        self.touched.clear()
        self.dirty = False
        self._clear_conflicts()
        self._unmark_all()

    def act(self, change: Callable[[Opportunity], Any]) -> bool:
        """Apply a one-click action (mark sent, record news) together with any pending edits."""
        return self.save(change=change)

    def _show_conflict(self, message: str, mine: Opportunity) -> None:
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
        with self._lock:
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
            for field in self._fields:
                field.clear_error()
            self._clear_conflicts()
            self._unmark_all()
            self.load(self.stored.opportunity)
            self.status.value = status_html(f"Reloaded from disk at {_now_text()}.", "info")
            self.after_save()


def _conflict_text(conflict: Conflict, field: Field | None, mine: Any) -> str:
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


def _where(loc: Loc, message: str) -> str:
    name = ".".join(str(p) for p in loc if not isinstance(p, int))
    return f"{name}: {message}" if name else message


class Confirm:
    """A button for something hard to take back, that first asks, naming what it acts on."""

    def __init__(
        self,
        label: str,
        question: Callable[[], str],
        action: Callable[[], Any],
        *,
        yes: str = "Yes, remove it",
        icon: str = "trash",
    ):
        self.question = question
        self.action = action
        self.button = w.Button(description=label, icon=icon, layout=w.Layout(width="auto"))
        self.button.on_click(lambda _: self.ask())
        self.text = w.HTML("")
        self.yes = w.Button(description=yes, button_style="danger", layout=w.Layout(width="auto"))
        self.yes.on_click(lambda _: self.confirm())
        self.no = w.Button(description="Cancel", layout=w.Layout(width="auto"))
        self.no.on_click(lambda _: self.cancel())
        self.asking = w.HBox(
            [self.text, self.yes, self.no],
            layout=w.Layout(align_items="center", grid_gap="0.6em", display="none"),
        )
        self.widget = w.VBox(
            [self.button, self.asking], layout=w.Layout(align_items="flex-start", margin="6px 0")
        )

    def ask(self) -> None:
        self.text.value = f"<b style='color:#b00020'>{html.escape(self.question())}</b>"
        self.asking.layout.display = None
        self.button.layout.display = "none"

    def cancel(self) -> None:
        self.asking.layout.display = "none"
        self.button.layout.display = None

    def confirm(self) -> Any:
        self.cancel()
        return self.action()


# Row lists (answers, interviewers, research topics)


class RowList:
    """Rows the person can add and remove, each a dict of fields."""

    def __init__(
        self,
        editor: Editor,
        make_fields: Callable[[], dict[str, Field]],
        *,
        add_label: str,
        layout: Callable[[dict[str, Field]], list[w.Widget]] | None = None,
        empty_note: str = "",
    ):
        self.editor = editor
        self.make_fields = make_fields
        self.layout = layout or (lambda fields: [f.box for f in fields.values()])
        self.rows: list[dict[str, Field]] = []
        self.extra: list[dict[str, Any]] = []
        self.box = w.VBox([])
        self.empty_note = empty_note
        self.add_button = w.Button(
            description=add_label, icon="plus", layout=w.Layout(width="auto")
        )
        self.add_button.on_click(lambda _: self.add())
        self.widget = w.VBox([self.box, self.add_button])

    def _render(self) -> None:
        children: list[w.Widget] = []
        for index, fields in enumerate(self.rows):
            remove = w.Button(description="Remove", icon="trash", layout=w.Layout(width="auto"))
            actions = w.HBox([remove])
            remove.on_click(lambda _, i=index, box=actions: self.ask_remove(i, box))
            card = w.VBox(
                [*self.layout(fields), actions],
                layout=w.Layout(
                    border="1px solid #ddd", padding="6px", margin="0 0 6px 0", width="auto"
                ),
            )
            children.append(card)
        if not children and self.empty_note:
            children.append(w.HTML(f"<i style='color:#666'>{html.escape(self.empty_note)}</i>"))
        self.box.children = children

    def _new_row(self) -> dict[str, Field]:
        fields = self.make_fields()
        self.editor.watch(*fields.values())
        return fields

    def write(self, items: Sequence[Any]) -> None:
        """Show `items`; when the number of rows is unchanged the same inputs are reused, so a
        refresh never takes the cursor away from a row being typed in."""
        if len(items) == len(self.rows) and items:
            self.extra = []
            for fields, item in zip(self.rows, items, strict=True):
                values = item.model_dump() if hasattr(item, "model_dump") else dict(item)
                for key, field in fields.items():
                    field.write(values.get(key))
                self.extra.append({k: v for k, v in values.items() if k not in fields})
            return
        for fields in self.rows:
            self.editor.forget(*fields.values())
        self.rows = []
        self.extra = []
        for item in items:
            values = item.model_dump() if hasattr(item, "model_dump") else dict(item)
            fields = self._new_row()
            for key, field in fields.items():
                field.write(values.get(key))
            self.rows.append(fields)
            self.extra.append({k: v for k, v in values.items() if k not in fields})
        self._render()

    def add(self) -> dict[str, Field]:
        fields = self._new_row()
        self.rows.append(fields)
        self.extra.append({})
        self._render()
        self.editor._changed()
        return fields

    def row_name(self, index: int) -> str:
        """What a row is called when asking before removing it: its first field's text."""
        first = next(iter(self.rows[index].values()), None)
        value = first.widget.value if first is not None else ""
        text = " ".join(str(value).split()).rstrip(".?!") if isinstance(value, str) else ""
        return text if len(text) <= 60 else text[:59] + "…"

    def ask_remove(self, index: int, actions: w.HBox) -> None:
        """Ask before removing a row that holds something, naming it; a blank row just goes."""
        name = self.row_name(index)
        if not name:
            self.remove(index)
            return
        keep = w.Button(description="Keep it", layout=w.Layout(width="auto"))
        confirm = w.Button(
            description="Yes, remove", button_style="danger", layout=w.Layout(width="auto")
        )
        question = w.HTML(f"Remove <b>{html.escape(name)}</b>?")
        previous = actions.children
        keep.on_click(lambda _: setattr(actions, "children", previous))
        confirm.on_click(lambda _: self.remove(index))
        actions.children = [question, confirm, keep]

    def remove(self, index: int) -> None:
        self.editor.forget(*self.rows[index].values())
        del self.rows[index]
        del self.extra[index]
        self._render()
        self.editor._changed()

    def collect(
        self,
        data: Any,
        loc: Loc,
        collector: Collector,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Write the rows as a list at `loc`; rows that `keep` rejects (blank ones) are left out."""
        items: list[dict[str, Any]] = []
        for fields, extra in zip(self.rows, self.extra, strict=True):
            item: dict[str, Any] = dict(extra)
            index = len(items)
            for key, field in fields.items():
                collector.read_into(item, key, field, (*loc, index, key))
            if keep is None or keep(item):
                items.append(item)
            else:
                for key in fields:
                    collector.fields.pop((*loc, index, key), None)
        set_in(data, loc, items)


# Opening the workbook from a notebook


def open_workbook(data_dir: str | os.PathLike | None) -> Workbook:
    """The workbook the notebook's `data_dir` names (empty: $FOLLOWUP_DATA, else ./data).

    In the app, a page's kernel may have been started before the page was asked for: this waits
    for the request first, so the page shows the workbook as it is now, for the address asked.
    """
    request_query()
    return Workbook(resolve_data_dir(str(data_dir) if data_dir else None))


def _last_choice(workbook: Workbook) -> str | None:
    try:
        value = (workbook.root / LAST_CHOICE_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return value if is_valid_id(value) else None


def remembered(workbook: Workbook) -> str | None:
    """The opportunity the app's page address names, else the one last chosen in a form."""
    named = page_opportunity()
    if named and is_valid_id(named):
        return named
    return _last_choice(workbook)


def remember(workbook: Workbook, opportunity_id: str) -> None:
    """Remember the chosen opportunity so the next notebook opens on it."""
    if not is_valid_id(opportunity_id) or not workbook.root.is_dir():
        return
    if _last_choice(workbook) == opportunity_id:
        return
    with contextlib.suppress(OSError):
        atomic_write(workbook.root / LAST_CHOICE_FILE, opportunity_id.encode("utf-8"))


class Address:
    """In the app, keeps the page's address naming the opportunity shown (`?opportunity=ID`, or
    no opportunity for a new one), so that a reload or a bookmark opens what the page shows. In
    JupyterLab, where a notebook's address names no opportunity, it does nothing."""

    def __init__(self) -> None:
        self.widget = w.Output(layout=w.Layout(display="none"))
        self.shown: str | None = None

    def show(self, opportunity_id: str) -> None:
        if not in_app() or opportunity_id == self.shown:
            return
        if opportunity_id and not is_valid_id(opportunity_id):
            return  # only ids made of a-z, 0-9 and '-' go into the script
        change = (
            f"address.searchParams.set('{OPPORTUNITY}', '{opportunity_id}');"
            if opportunity_id
            else f"address.searchParams.delete('{OPPORTUNITY}');"
        )
        script = (
            f"const address = new URL(window.location.href);{change}"
            "window.history.replaceState(window.history.state, '', address);"
        )
        self.widget.outputs = ()
        self.widget.append_display_data(Javascript(script))
        self.shown = opportunity_id


def message_box(textline: str, tone: str = "warn") -> w.HTML:
    colours = {"warn": ("#fff8e1", "#8a5300"), "error": ("#fdecea", "#b00020")}
    background, colour = colours[tone]
    return w.HTML(
        f"<div style='background:{background};color:{colour};padding:8px 12px;"
        f"border-radius:4px'>{html.escape(textline)}</div>"
    )


class Notice:
    """A plain message for a notebook cell (HTML in Jupyter, text elsewhere)."""

    def __init__(self, message: str, tone: str = "warn"):
        self.message = message
        self.tone = tone

    def _repr_html_(self) -> str:
        return message_box(self.message, self.tone).value

    def __repr__(self) -> str:
        return self.message


class Page:
    """A picker of opportunities above the form for the one chosen (when no id was given)."""

    def __init__(
        self,
        workbook: Workbook,
        make_editor: Callable[[Stored], Any],
        *,
        opportunity_id: str = "",
        title: str = "",
        empty_message: str = "No opportunities yet: add one in 01_interview.ipynb.",
    ):
        self.workbook = workbook
        self.make_editor = make_editor
        self.editor: Any = None
        self.body = w.VBox([])
        loaded = workbook.load()
        self.load_problems = loaded.problems
        header: list[w.Widget] = [heading(title)] if title else []
        for problem in loaded.problems:
            header.append(message_box(f"Skipped a file that could not be read: {problem}", "error"))
        self.picker: w.Dropdown | None = None
        self.address = Address()
        if opportunity_id:
            stored = workbook.get(opportunity_id)
            self.open(stored)
        elif loaded.stored:
            options = [(s.opportunity.title, key) for key, s in loaded.stored.items()]
            last = remembered(workbook)
            value = last if last in loaded.stored else options[0][1]
            self.picker = w.Dropdown(
                description="Opportunity",
                options=options,
                value=value,
                layout=w.Layout(width="34em"),
            )
            self.picker.observe(self._picked, names="value")
            header.append(self.picker)
            self.open(loaded.stored[value])
        else:
            self.body.children = [message_box(empty_message)]
        self.widget = w.VBox([*header, self.body, self.address.widget])

    def open(self, stored: Stored) -> None:
        """Show the form for `stored`, and remember it as the one chosen."""
        remember(self.workbook, stored.opportunity.id)
        self.address.show(stored.opportunity.id)
        self.editor = self.make_editor(stored)
        self.body.children = [self.editor.widget]

    def _picked(self, change: Any) -> None:
        if self.editor is not None and hasattr(self.editor, "flush"):
            self.editor.flush()
        self.open(self.workbook.get(change["new"]))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def notebook_now(now: str) -> datetime:
    """The notebook's `now` parameter as an aware datetime (empty: $FOLLOWUP_NOW, else now)."""
    return parse_now(now or os.environ.get(NOW_VARIABLE) or None, field="now")


def guarded(interactive: bool, build: Callable[[], Any]) -> Any:
    """Run a notebook's entry point; interactively a bad parameter becomes a clear message.

    Headless (papermill), the typed error is raised so the run fails and says why.
    """
    try:
        return build()
    except FollowupError as exc:
        if not interactive:
            raise
        return Notice(str(exc), "error")


def esc(value: Any) -> str:
    return html.escape(str(value))


def stored_for(workbook: Workbook, opportunity_id: str) -> list[Stored]:
    """The one opportunity named, or every opportunity that loads (for headless summaries)."""
    if opportunity_id:
        return [workbook.get(opportunity_id)]
    return list(workbook.load().stored.values())


def summaries(workbook: Workbook, opportunity_id: str, render: Callable[[Opportunity], str]) -> Any:
    """The headless view of a notebook: a read-only summary of each chosen opportunity."""
    parts = [render(stored.opportunity) for stored in stored_for(workbook, opportunity_id)]
    return HTML("\n".join(parts) or "<p>No opportunities yet.</p>")
