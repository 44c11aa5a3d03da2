"""The page around a form: the status line, the picker of opportunities, and what a notebook's
entry point needs (opening the workbook, the remembered choice, `now`, clear messages)."""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import ipywidgets as w
from IPython.display import HTML, Javascript

from followup.app.address import (
    NOW_VARIABLE,
    OPPORTUNITY,
    in_app,
    page_opportunity,
    request_query,
)
from followup.clock import parse_now
from followup.core.errors import FollowupError
from followup.core.model import Opportunity, is_valid_id
from followup.storage.files import atomic_write
from followup.storage.workbook import LAST_CHOICE_FILE, Stored, Workbook, resolve_data_dir

NOTEBOOKS = {
    "dashboard": "00_dashboard.ipynb",
    "interview": "01_interview.ipynb",
    "debrief": "02_debrief.ipynb",
    "reflect": "03_reflect.ipynb",
    "follow_up": "04_follow_up.ipynb",
    "compare": "05_compare.ipynb",
    "prepare": "07_prepare.ipynb",
    "practice": "08_practice.ipynb",
    "offer": "09_offer.ipynb",
}


# The status line and the look of a form


def now_text() -> str:
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
    ".followup-form .widget-label{overflow:visible}"
    # A field's label sits on its left, read left to right like the rest of the form.
    ".followup-form .widget-inline-hbox>.widget-label{text-align:left;padding-right:0.5em}"
    ".followup-form .followup-unseen-label>.widget-label{position:absolute;width:1px;height:1px;"
    "padding:0;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}"
    # The tabs not shown: dark enough to read (JupyterLab's grey on grey is 4.45:1, under 4.5).
    ".followup-form .jupyter-widgets.widget-tab>.lm-TabBar .lm-TabBar-tab{color:#424242}</style>"
)


def form_box(children: Sequence[w.Widget]) -> w.VBox:
    """The outer box of a form: its widgets and the shared style."""
    box = w.VBox([w.HTML(FORM_CSS), *children])
    box.add_class("followup-form")
    return box


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
        empty_message: str = (
            "No opportunities yet: record the first one on the Interview page "
            "(01_interview.ipynb in JupyterLab)."
        ),
        key: str = "",
    ):
        from followup.forms.links import nav_html

        self.workbook = workbook
        self.key = key
        #: Links to the dashboard and the other pages, on the opportunity shown here.
        self.nav = w.HTML(nav_html(key) if key else "")
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
        self.widget = w.VBox([self.nav, *header, self.body, self.address.widget])

    def open(self, stored: Stored) -> None:
        """Show the form for `stored`, and remember it as the one chosen."""
        from followup.forms.links import nav_html

        remember(self.workbook, stored.opportunity.id)
        self.address.show(stored.opportunity.id)
        if self.key:
            self.nav.value = nav_html(self.key, stored.opportunity.id)
        self.editor = self.make_editor(stored)
        self.body.children = [self.editor.widget]

    def _picked(self, change: Any) -> None:
        if self.editor is not None and hasattr(self.editor, "flush"):
            self.editor.flush()
        self.open(self.workbook.get(change["new"]))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def form_notebook(
    data_dir: str,
    opportunity_id: str,
    now: str,
    *,
    key: str,
    make_form: Callable[..., Any],
    summary: Callable[[Any, datetime, Workbook], str],
    interactive: bool,
    autosave_seconds: float | None,
) -> Any:
    """What a form's notebook shows: the page with its form (`make_form(workbook, stored, now,
    autosave_seconds=…)`), or headless a read-only `summary(opportunity, now, workbook)` of each."""

    def build() -> Any:
        book = open_workbook(data_dir)
        moment = notebook_now(now)
        if not interactive:
            return summaries(book, opportunity_id, lambda o: summary(o, moment, book))
        return Page(
            book,
            lambda stored: make_form(book, stored, moment, autosave_seconds=autosave_seconds),
            opportunity_id=opportunity_id,
            key=key,
        )

    return guarded(interactive, build)


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
