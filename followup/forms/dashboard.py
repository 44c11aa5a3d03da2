"""The dashboard: every opportunity's next actions, most urgent first, and the pipeline warning."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import HTML, Markdown

from followup.clock import policy_for
from followup.core.errors import FollowupError
from followup.core.formats import when, zone_label
from followup.core.model import Interview, Opportunity
from followup.forms.follow_up import STATE_COLOURS, checklist_html
from followup.forms.links import link_html, mention, page_link
from followup.forms.page import (
    esc,
    guarded,
    message_box,
    notebook_now,
    open_workbook,
    remember,
    remembered,
)
from followup.forms.trash import TrashShelf
from followup.steps import (
    Checklist,
    Overview,
    Stage,
    State,
    Step,
    overview,
    stage,
    upcoming_interviews,
)
from followup.storage.workbook import Problem, Stored, Workbook

CARD_STYLE = "background:white;border:1px solid #ddd;border-radius:4px;padding:4px 6px;margin:4px 0"
#: The page that ranks the opportunities against each other.
COMPARE = "05_compare.ipynb"
#: The page about the search as a whole: the funnel, the waits, the sources.
SEARCH = "06_search.ipynb"
#: The dashboard lists interviews starting within this many days.
UPCOMING_DAYS = 14

LINKS = (
    ("interview", "Record a round and the people you met"),
    ("debrief", "Debrief a round"),
    ("reflect", "Reflect, and set your salary range"),
    ("follow_up", "Follow up: the checklist, actions and drafts"),
)


def pipeline_html(view: Overview) -> str:
    """The keep-searching line: a warning while too few processes are open."""
    step = view.keep_searching
    search = link_html("How your search is going", SEARCH)
    if step.state is State.DONE:
        return f"<p style='color:#2e7d32'>✓ {esc(step.why)} Keep going. {search}</p>"
    return (
        "<div style='background:#fff8e1;color:#8a5300;padding:8px 12px;border-radius:4px;"
        f"margin:4px 0'><b>Keep searching.</b> {esc(step.why)} Don't give up: every "
        f"application is practice for the next one. {search}</div>"
    )


WELCOME_LINES = (
    "Note each round while it is fresh: when it was, who you met, and what happens next.",
    "Be reminded to thank every interviewer within a day, to debrief, and to settle your salary "
    "range before anyone names a number.",
    "Wait for their answer with patience, follow up politely, and keep your search going.",
)


def button_html(label: str, href: str) -> str:
    return (
        f"<a class='followup-button' href='{esc(href)}' style='display:inline-block;"
        "background:#1565c0;color:white;padding:8px 16px;border-radius:4px;"
        f"text-decoration:none;font-weight:bold'>{esc(label)}</a>"
    )


def shown_path(folder: Path) -> str:
    """The workbook's folder as a person reads it: absolute, with '~' for their home folder."""
    folder = folder.expanduser().resolve()
    home = Path.home().resolve()
    if folder == home or home in folder.parents:
        return str(Path("~") / folder.relative_to(home))
    return str(folder)


def welcome_html(workbook: Workbook) -> str:
    """The start page of an empty workbook: what it does, and one way in."""
    lines = "".join(f"<li>{esc(line)}</li>" for line in WELCOME_LINES)
    return (
        "<div class='followup-welcome' style='max-width:44em'>"
        "<p style='margin:4px 0'>A workbook for the days after a job interview:</p>"
        f"<ul style='line-height:1.6'>{lines}</ul>"
        f"<p>{button_html('Record an interview', page_link('interview'))}</p>"
        f"<p style='color:#666'>Everything stays in a folder on this computer: "
        f"{esc(shown_path(workbook.root))}</p></div>"
    )


def without_blocked(checks: Checklist) -> Checklist:
    """The checklist without steps that cannot be done yet (LinkedIn while the process is open)."""
    steps = [s for s in checks.steps if s.state is not State.BLOCKED]
    return Checklist(checks.opportunity, steps, checks.now, checks.policy, checks.situation)


def overview_html(view: Overview) -> str:
    """Each opportunity with its open steps, most urgent first."""
    if not view.checklists:
        return f"<p>No opportunities yet. Record one on {mention('interview')}.</p>"
    cards = []
    for checks in map(without_blocked, view.checklists):
        o = checks.opportunity
        first = checks.open_steps[0].state if checks.open_steps else State.DONE
        colour = STATE_COLOURS[first]
        cards.append(
            f"<div style='border-left:4px solid {colour};padding:2px 10px;margin:8px 0'>"
            f"<b>{esc(o.title)}</b> <span style='color:#666'>· {esc(o.status.value)}</span> "
            f"{link_html('Open its steps', page_link('follow_up', o.id))}"
            f"{checklist_html(checks, view.now, all_steps=False, zone=_zone(view))}</div>"
        )
    return "".join(cards)


def links_markdown(opportunity_id: str, title: str) -> str:
    """Links to the other notebooks; they open on the opportunity chosen here."""
    items = "\n".join(f"- [{label}]({page_link(key, opportunity_id)})" for key, label in LINKS)
    return f"**{title}**: the pages below open on it.\n\n{items}\n"


def _zone(view: Overview) -> tzinfo | None:
    """The person's zone, in which every time on the page is shown (named once at the top)."""
    return view.policy.zone or view.now.tzinfo


def upcoming(view: Overview, days: int = UPCOMING_DAYS) -> list[tuple[Interview, Opportunity]]:
    """Rounds (not cancelled) starting from now to `days` ahead, soonest first."""
    opportunities = [c.opportunity for c in view.checklists]
    ahead = upcoming_interviews(opportunities, view.now, within=timedelta(days=days))
    return [(interview, o) for o, interview in ahead]


def due_today(view: Overview) -> list[tuple[Step, Opportunity]]:
    """Steps overdue, or due before the end of today in the person's zone; most urgent first."""
    zone = _zone(view)
    today = view.now.astimezone(zone).date()
    found = [
        (step, c.opportunity)
        for c in view.checklists
        for step in c.open_steps
        if step.state.actionable
        and step.due is not None
        and (step.state is State.OVERDUE or step.due.astimezone(zone).date() <= today)
    ]
    return sorted(found, key=lambda item: item[0].sort_key())


def agenda_html(view: Overview) -> str:
    """Upcoming interviews, and what is due today or overdue."""
    zone = _zone(view)
    rounds = [
        f"<li><b>{esc(when(r.starts_at, zone))}</b> · {esc(o.title)} · {esc(r.name)} "
        f"{link_html('open', page_link('interview', o.id))} "
        f"{link_html('prepare', page_link('prepare', o.id))}</li>"
        for r, o in upcoming(view)
    ]
    steps = [
        f"<li><span style='color:{STATE_COLOURS[step.state]}'>{esc(step.state.value)}</span> · "
        f"<b>{esc(step.title)}</b> · {esc(o.title)} · {esc(when(step.due, zone))} "
        f"{link_html('open', page_link('follow_up', o.id))}</li>"
        for step, o in due_today(view)
    ]
    empty = "<p style='color:#666;margin:2px 0'>{}</p>"
    return (
        "<div class='followup-agenda' style='display:flex;gap:24px;flex-wrap:wrap'>"
        f"<div style='flex:1;min-width:22em'><h4 style='margin:6px 0'>Interviews in the next "
        f"{UPCOMING_DAYS} days</h4>"
        + (f"<ul>{''.join(rounds)}</ul>" if rounds else empty.format("None planned."))
        + "</div><div style='flex:1;min-width:22em'><h4 style='margin:6px 0'>Due today and "
        "overdue</h4>"
        + (f"<ul>{''.join(steps)}</ul>" if steps else empty.format("Nothing due today."))
        + "</div></div>"
    )


def board_html(view: Overview, stages: dict[str, Stage]) -> str:
    """Every process in the column for its stage (applied … closed), as `rules.stage` says."""
    columns = []
    for column in Stage:
        cards = [
            f"<div style='{CARD_STYLE}'>{link_html(o.title, page_link('follow_up', o.id))}</div>"
            for o in (c.opportunity for c in view.checklists)
            if stages[o.id] is column
        ]
        columns.append(
            "<td style='vertical-align:top;background:#f5f5f5;padding:6px;width:20%'>"
            f"<b>{esc(column.value.capitalize())}</b> "
            f"<span style='color:#666'>({len(cards)})</span>" + "".join(cards) + "</td>"
        )
    return (
        "<h4 style='margin:10px 0 4px'>Every process by stage · "
        f"{link_html('compare them', COMPARE)}</h4>"
        "<table class='followup-board' style='border-spacing:6px;width:100%;"
        f"table-layout:fixed'><tr>{''.join(columns)}</tr></table>"
    )


class Dashboard:
    """The overview, and a picker that chooses the opportunity the other notebooks open on."""

    def __init__(self, workbook: Workbook, now: datetime):
        self.workbook = workbook
        self.now = now
        loaded = workbook.load()
        settings, problem = workbook.settings_or_defaults()
        settings_problem = "" if problem is None else str(problem)
        policy = policy_for(settings, now)
        self.view = overview(loaded.opportunities, now, policy)
        self.stages = {
            c.opportunity.id: stage(c.opportunity, now, policy.no_response_after)
            for c in self.view.checklists
        }
        self.welcome = not self.view.checklists and not loaded.problems
        # What was moved to the trash stays within reach, each with Bring it back.
        self.trash = TrashShelf(workbook, on_restored=self._restored)
        if self.welcome:
            self.overview = w.HTML(welcome_html(workbook))
            self.picker = None
            self.widget = w.VBox([self.overview, self.trash.widget])
            return
        parts: list[w.Widget] = [
            w.HTML(
                f"<span style='color:#666'>As of {esc(when(now, policy.zone))} · times in "
                f"{esc(zone_label(policy.zone, now))} · {esc(shown_path(workbook.root))}</span>"
            ),
            w.HTML(pipeline_html(self.view)),
        ]
        if settings_problem:
            parts.append(message_box(settings_problem, "error"))
        for problem in loaded.problems:
            parts.append(self._problem(problem))
        self.links = w.Output()
        self.picker: w.Dropdown | None = None
        if self.view.checklists:
            options = [(c.opportunity.title, c.opportunity.id) for c in self.view.checklists]
            ids = [value for _, value in options]
            last = remembered(workbook)
            self.picker = w.Dropdown(
                description="Open",
                options=options,
                value=last if last in ids else ids[0],
                layout=w.Layout(width="34em"),
            )
            self.picker.observe(lambda change: self.choose(change["new"]), names="value")
            parts += [self.picker, self.links]
            self.choose(self.picker.value)
        self.agenda = w.HTML(agenda_html(self.view))
        self.board = w.HTML(board_html(self.view, self.stages))
        self.overview = w.HTML(overview_html(self.view))
        parts += [self.agenda, self.board, self.overview, self.trash.widget]
        self.widget = w.VBox(parts)

    def _problem(self, problem: Problem) -> w.Widget:
        """A file that could not be read, named, with **Repair from the last good version**
        when an earlier version of it can be read."""
        box = message_box(f"Skipped a file that could not be read: {problem}", "error")
        path = problem.path
        if path.parent != self.workbook.opportunities_dir or path.suffix != ".yaml":
            return box
        try:
            version = self.workbook.last_readable_version(path.stem)
        except FollowupError:
            version = None
        if version is None:
            return box
        button = w.Button(
            description="Repair from the last good version",
            tooltip=f"Bring back version {version.number}, saved {when(version.saved_at)}",
            layout=w.Layout(width="auto"),
        )
        status = w.HTML("")

        def repair(_: Any) -> None:
            try:
                stored = self.workbook.restore_version(path.stem, version.number)
            except FollowupError as exc:
                status.value = f"<span style='color:#b00020'>{esc(exc)}</span>"
                return
            button.disabled = True
            status.value = (
                f"Repaired: {esc(stored.opportunity.title)} is back as it was on "
                f"{esc(when(version.saved_at, self.view.policy.zone))} (the broken file is kept "
                f"in its history). {link_html('Open the dashboard again', page_link('dashboard'))}"
            )

        button.on_click(repair)
        return w.VBox([box, w.HBox([button, status], layout=w.Layout(align_items="center"))])

    def _restored(self, stored: Stored) -> None:
        """Show the opportunity just brought back at once: the agenda, the board and the list
        are drawn again, and a link opens it."""
        opportunity = stored.opportunity
        link = link_html(f"Open {opportunity.title}", page_link("interview", opportunity.id))
        status = self.trash.status.value
        fresh = Dashboard(self.workbook, self.now)
        self.view, self.stages = fresh.view, fresh.stages
        self.welcome, self.picker = fresh.welcome, fresh.picker
        self.agenda = getattr(fresh, "agenda", None)
        self.board = getattr(fresh, "board", None)
        self.overview = fresh.overview
        self.trash = fresh.trash
        self.trash.status.value = f"{status} {link}"
        self.widget.children = fresh.widget.children

    def choose(self, opportunity_id: str) -> None:
        """Remember the choice and show the links to the other notebooks."""
        remember(self.workbook, opportunity_id)
        title = next(
            c.opportunity.title for c in self.view.checklists if c.opportunity.id == opportunity_id
        )
        self.links.outputs = ()
        self.links.append_display_data(Markdown(links_markdown(opportunity_id, title)))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def summary_html(workbook: Workbook, now: datetime) -> str:
    """The dashboard as plain HTML, for headless runs."""
    loaded = workbook.load()
    policy = policy_for(workbook.settings(), now)
    view = overview(loaded.opportunities, now, policy)
    problems = "".join(
        f"<p style='color:#b00020'>Skipped a file that could not be read: {esc(p)}</p>"
        for p in loaded.problems
    )
    return (
        f"<h3>Your follow-ups</h3><p>As of {esc(when(now, policy.zone))}, times in "
        f"{esc(zone_label(policy.zone, now))}</p>"
        + pipeline_html(view)
        + problems
        + overview_html(view)
    )


def notebook(data_dir: str = "", now: str = "", *, interactive: bool = True) -> Any:
    """What 00_dashboard.ipynb shows."""

    def build() -> Any:
        book = open_workbook(data_dir)
        moment = notebook_now(now)
        if not interactive:
            return HTML(summary_html(book, moment))
        return Dashboard(book, moment)

    return guarded(interactive, build)
