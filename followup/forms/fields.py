"""Labelled fields, each with its own error line, and the helpers that build them.

A `Field` turns a widget's value into the model's value and back (the readers are in `values`); a
`Collector` gathers a form's fields into the opportunity's data and remembers which field wrote
where, so an error found later lands beside the right field.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import ipywidgets as w

from followup.core import formats
from followup.forms.values import (
    as_lines,
    format_clock,
    format_day,
    local_zone_name,
    parse_clock,
    parse_day,
    parse_day_after,
    parse_number,
    parse_whole,
    parse_zone,
    web_address,
    zone_choices,
    zone_label,
)

LABEL_WIDTH = "11em"
FIELD_WIDTH = "24em"
WIDE_WIDTH = "36em"

#: Where a value sits in the opportunity's data: keys and list indexes.
Loc = tuple[str | int, ...]
#: Grey for hints beside a field, dark enough to read on white (contrast at least 4.5:1).
HINT_COLOUR = "#595959"


def _wider(width: str | None, by: str) -> str:
    """`width` plus `by` ('24em' + '11em' is '35em'), for a widget that now holds its label."""
    if not width or width == "auto":
        return "auto"
    if width.endswith("em") and by.endswith("em"):
        return f"{float(width[:-2]) + float(by[:-2]):g}em"
    return f"calc({width} + {by})"


def labelled(widget: w.DOMWidget, label: str, label_width: str = LABEL_WIDTH) -> None:
    """Give `widget` its label as its own description: ipywidgets then draws a `<label for=…>`
    tied to the input, so a screen reader (and Playwright's get_by_label) names the field. The
    widget grows by the label's width, so the input keeps the width it was given."""
    widget.description = label
    widget.style.description_width = label_width
    widget.layout.width = _wider(widget.layout.width, label_width)


def named(field: Field, name: str) -> Field:
    """Name a field that shows no label of its own (the row it sits in is labelled already), for
    screen readers only: the label is there, tied to the input, but not drawn."""
    field.widget.description = name
    field.widget.add_class("followup-unseen-label")
    return field


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
        if label:
            labelled(widget, label, label_width)
        parts: list[w.Widget] = [widget]
        #: The hint beside the input ('1 = poor · 5 = excellent'), when there is one.
        self.hint: w.HTML | None = None
        if hint:
            self.hint = w.HTML(f"<span style='color:{HINT_COLOUR}'>{html.escape(hint)}</span>")
            parts.append(self.hint)
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
        self.echo.value = (
            f"<span style='color:{HINT_COLOUR}'>{html.escape(shown)}</span>" if shown else ""
        )

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
    return Field(widget, label, to_model=as_lines, from_model=lambda v: "\n".join(v or []))


def number(label: str, *, placeholder: str = "", hint: str = "") -> Field:
    widget = w.Text(placeholder=placeholder, layout=_layout("10em"))
    return Field(widget, label, to_model=parse_number, from_model=formats.number, hint=hint)


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


def day(label: str, *, hint: str = "", after: date | None = None) -> Field:
    """A date typed as 2026-12-03 (a browser date input coerces impossible dates; text does
    not): an impossible or partial date is an error beside the field, never stored. With
    `after` (today), a day's name ('Friday') is the next such day, shown beside the field."""
    widget = w.Text(value="", placeholder="YYYY-MM-DD", layout=_layout("8.5em"))
    return Field(
        widget,
        label,
        to_model=parse_day if after is None else parse_day_after(after),
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


# Putting values into the opportunity


def set_in(data: Any, loc: Loc, value: Any) -> None:
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value


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
