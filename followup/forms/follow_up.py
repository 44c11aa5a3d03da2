"""The follow-up form: one opportunity's checklist with due dates, and a button for each step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

import ipywidgets as w

from followup.clock import policy_for
from followup.core import formats
from followup.core.errors import FollowupError
from followup.core.formats import when, zone_label
from followup.core.model import Channel, Interview, Interviewer, Opportunity, Status
from followup.core.policy import Policy
from followup.forms.editor import AUTOSAVE_SECONDS, Editor
from followup.forms.fields import Collector, choice, day, enum_options, link, text, textarea
from followup.forms.page import (
    esc,
    form_box,
    form_notebook,
    guidance,
    heading,
)
from followup.steps import (
    DONT_GIVE_UP_STATUSES,
    Checklist,
    State,
    StepKind,
    act,
    card_sent,
    checklist,
    email_sent,
)
from followup.storage.workbook import Stored, Workbook

STATE_COLOURS = {
    State.OVERDUE: "#b00020",
    State.DUE_SOON: "#c75000",
    State.TO_DO: "#1565c0",
    State.WAITING: "#6d4c41",
    State.BLOCKED: "#757575",
    State.DONE: "#2e7d32",
    State.NOT_APPLICABLE: "#9e9e9e",
}

GUIDE_THANKS = (
    "Within a day of each round: a short note to each person, mentioning something personal."
)
GUIDE_NEWS = (
    "Record what the recruiter tells you, and when you checked in, so nothing is chased early."
)
GUIDE_AFTER = (
    "After a no: thank them, ask what you could do better, and ask about similar roles. "
    "Stay in touch: a no today is not a no for ever."
)
GUIDE_LINKEDIN = "Connect with the people you met only once the process has ended."
GUIDE_DRAFTS = "Drafts to read, make your own, and send yourself. Nothing is ever sent for you."


def checklist_html(
    checks: Checklist, now: datetime, *, all_steps: bool = True, zone: tzinfo | None = None
) -> str:
    """The checklist as a small HTML table, most urgent first; times in `zone` (the person's:
    the page names it once), else the checklist's policy's."""
    zone = zone or checks.policy.zone
    steps = checks.steps if all_steps else checks.open_steps
    if not steps:
        return "<p><i>Nothing to do right now.</i></p>"
    rows = []
    for step in steps:
        colour = STATE_COLOURS[step.state]
        due = when(step.due, zone, now) if step.due and step.state.open else ""
        rows.append(
            "<tr>"
            f"<td><span style='color:white;background:{colour};padding:1px 6px;"
            f"border-radius:8px;white-space:nowrap'>{esc(step.state.value)}</span></td>"
            f"<td><b>{esc(step.title)}</b><br><span style='color:#555'>{esc(step.why)}</span></td>"
            f"<td style='white-space:nowrap'>{esc(due)}</td>"
            "</tr>"
        )
    return (
        "<table style='border-collapse:collapse'><tr><th style='text-align:left'>State</th>"
        "<th style='text-align:left'>Step</th><th style='text-align:left'>Due</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _held(opportunity: Opportunity, now: datetime) -> list[tuple[int, Interview]]:
    return [
        (i, r)
        for i, r in enumerate(opportunity.rounds)
        if r.starts_at is not None and r.starts_at <= now
    ]


class FollowUpForm(Editor):
    """The checklist, with an action for each step and the drafts that apply."""

    title = "Follow up"

    def __init__(
        self,
        workbook: Workbook,
        stored: Stored,
        now: datetime,
        *,
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        super().__init__(workbook, stored, now, autosave_seconds=autosave_seconds)
        self.checks = w.HTML("")
        self.thanks = w.VBox([])
        self.status_field = choice("Where it stands", enum_options(Status), empty=None)
        self.outcome_on = day("Decision reached me on")
        self.next_step = text("What happens next", placeholder="What the recruiter said")
        self.decision_by = day(
            "News expected by", after=now.date(), hint="a date, or a day such as Friday"
        )
        self.checked_in = w.HTML("")
        self.check_in_button = w.Button(
            description="I checked in today", icon="check", layout=w.Layout(width="auto")
        )
        self.check_in_button.on_click(lambda _: self.mark_checked_in())
        self.undo_check_in = self._button("Undo", self.unmark_checked_in, icon="undo")
        self.watch(self.status_field, self.outcome_on, self.next_step, self.decision_by)
        self.status_field.widget.observe(self._status_changed, names="value")

        self.after = w.VBox([])
        self.feedback_received = day("Feedback received on")
        self.feedback_said = textarea("What they said", rows=3)
        self.other_roles_answer = text("Their answer on other roles", width="30em")
        self.community_link = link("Talent community sign-up")
        self.watch(
            self.feedback_received,
            self.feedback_said,
            self.other_roles_answer,
            self.community_link,
        )
        self.linkedin = w.VBox([])
        self.drafts = w.VBox([])

        self.tabs = w.Tab(
            children=[
                w.VBox([self.checks]),
                w.VBox([guidance(GUIDE_THANKS), self.thanks]),
                w.VBox(
                    [
                        guidance(GUIDE_NEWS),
                        self.status_field.box,
                        self.outcome_on.box,
                        self.next_step.box,
                        self.decision_by.box,
                        w.HBox(
                            [self.check_in_button, self.checked_in, self.undo_check_in],
                            layout=w.Layout(align_items="center", grid_gap="0.6em"),
                        ),
                    ]
                ),
                w.VBox([guidance(GUIDE_AFTER), self.after]),
                w.VBox([guidance(GUIDE_LINKEDIN), self.linkedin]),
                w.VBox([guidance(GUIDE_DRAFTS), self.drafts]),
            ],
            titles=(
                "Checklist",
                "Thank-you notes",
                "Recruiter",
                "After a no",
                "LinkedIn",
                "Drafts",
            ),
        )
        self.widget = form_box(
            [heading(f"Follow up · {stored.opportunity.title}"), self.tabs, self.save_bar]
        )
        self.load(stored.opportunity)
        self.refresh()

    # Filling

    def fill(self, opportunity: Opportunity) -> None:
        self.status_field.write(opportunity.status)
        self.outcome_on.write(opportunity.outcome_on)
        timeline = opportunity.timeline
        self.next_step.write(timeline.next_step if timeline else "")
        self.decision_by.write(timeline.decision_by if timeline else None)
        checked = timeline.checked_in_on if timeline else None
        self.checked_in.value = f"Last check-in: {formats.day(checked)}" if checked else ""
        self.undo_check_in.layout.display = None if checked else "none"
        self.feedback_received.write(opportunity.feedback.received_on)
        self.feedback_said.write(opportunity.feedback.what_they_said)
        self.other_roles_answer.write(opportunity.other_roles.answer)
        self.community_link.write(opportunity.talent_community_link)

    def refresh(self) -> None:
        """Redraw what depends on the saved opportunity: checklist, actions, drafts."""
        opportunity = self.opportunity
        policy = _policy(self.workbook, self.now)
        self.checks.value = (
            f"<p style='color:#555;margin:2px 0'>Times in {esc(zone_label(policy.zone, self.now))}"
            "</p>" + checklist_html(checklist(opportunity, self.now, policy), self.now)
        )
        self.thanks.children = self._thank_you_rows(opportunity)
        self.after.children = self._after_rows(opportunity)
        self.linkedin.children = self._linkedin_rows(opportunity)
        self.drafts.children = self._draft_rows(opportunity)

    def after_save(self) -> None:
        self.refresh()

    def _button(self, label: str, action: Any, *, icon: str = "check") -> w.Button:
        button = w.Button(description=label, icon=icon, layout=w.Layout(width="auto"))
        button.on_click(lambda _: action())
        return button

    def _done(self, shown: str, undo: Callable[[], Any]) -> w.Widget:
        """A step marked done, with an Undo button that un-marks it."""
        button = self._button("Undo", undo, icon="undo")
        button.tooltip = "Un-mark this step: it was not done, or not yet"
        return w.HBox(
            [w.HTML(shown), button],
            layout=w.Layout(align_items="center", grid_gap="0.6em"),
        )

    def _thank_you_rows(self, opportunity: Opportunity) -> list[w.Widget]:
        rows: list[w.Widget] = []
        for index, interview in _held(opportunity, self.now):
            for person in interview.interviewers:
                rows.append(self._thank_you_row(index, interview, person))
        if not rows:
            rows.append(w.HTML("<i>No round has taken place with interviewers recorded yet.</i>"))
        return rows

    def _thank_you_row(self, index: int, interview: Interview, person: Interviewer) -> w.Widget:
        """The email note and, beside it, the optional handwritten card: each marked on its own."""
        who = f"<b>{esc(person.name)}</b> <span style='color:#666'>({esc(interview.name)})</span>"
        sent, card = email_sent(person), card_sent(person)
        if sent is not None:
            email: w.Widget = self._done(
                f"✓ sent {esc(when(sent, _policy(self.workbook, self.now).zone))}",
                lambda: self.unmark_thank_you(index, person.name),
            )
        else:
            email = self._button("Mark sent", lambda: self.mark_thank_you(index, person.name))
            email.tooltip = "The thank-you email went out"
        if card is not None:
            mailed: w.Widget = self._done(
                f"✓ card mailed {esc(formats.day(card))}",
                lambda: self.unmark_card(index, person.name),
            )
        else:
            mailed = self._button(
                "Mark card mailed", lambda: self.mark_card(index, person.name), icon="envelope"
            )
            mailed.tooltip = "Optional: a handwritten card beside the email, the extra mile"
        return w.HBox(
            [w.HTML(who, layout=w.Layout(width="22em")), email, mailed],
            layout=w.Layout(align_items="center", flex_flow="row wrap", grid_gap="0.6em"),
        )

    def _after_rows(self, opportunity: Opportunity) -> list[w.Widget]:
        if opportunity.status not in DONT_GIVE_UP_STATUSES:
            return [
                w.HTML(
                    f"<i>This process is {esc(opportunity.status.value)}: these steps come "
                    "after a rejection.</i>"
                )
            ]
        feedback = opportunity.feedback
        rows: list[w.Widget] = []
        if feedback.asked_on:
            rows.append(
                self._done(
                    f"✓ Feedback asked on {formats.day(feedback.asked_on)}",
                    self.unmark_feedback_asked,
                )
            )
        else:
            rows.append(self._button("I asked for feedback today", self.mark_feedback_asked))
        rows += [self.feedback_received.box, self.feedback_said.box]
        if opportunity.other_roles.asked_on:
            asked = formats.day(opportunity.other_roles.asked_on)
            rows.append(
                self._done(f"✓ Asked about other roles on {asked}", self.unmark_other_roles)
            )
        else:
            rows.append(self._button("I asked about similar roles today", self.mark_other_roles))
        rows.append(self.other_roles_answer.box)
        if opportunity.talent_community_joined_on:
            joined = opportunity.talent_community_joined_on
            rows.append(
                self._done(
                    f"✓ Joined their talent community on {formats.day(joined)}",
                    self.unmark_community,
                )
            )
        else:
            rows.append(self.community_link.box)
            rows.append(self._button("I joined their talent community", self.mark_community))
        return rows

    def _linkedin_rows(self, opportunity: Opportunity) -> list[w.Widget]:
        people = opportunity.interviewers()
        if not people:
            return [w.HTML("<i>No interviewers recorded yet.</i>")]
        if not opportunity.status.ended:
            return [
                w.HTML(
                    "<i>Not yet: the process is still open. Reading their profiles is fine; "
                    "connecting can wait until it has ended.</i>"
                )
            ]
        rows: list[w.Widget] = []
        for person in people:
            if person.linkedin_connected_on:
                connected = formats.day(person.linkedin_connected_on)
                rows.append(
                    self._done(
                        f"✓ {esc(person.name)}: connected {connected}",
                        lambda name=person.name: self.unmark_connected(name),
                    )
                )
                continue
            link = (
                f" <a href='{esc(person.linkedin)}' target='_blank'>profile</a>"
                if person.linkedin
                else ""
            )
            rows.append(
                w.HBox(
                    [
                        w.HTML(f"{esc(person.name)}{link}", layout=w.Layout(width="22em")),
                        self._button(
                            "Mark connected",
                            lambda name=person.name: self.mark_connected(name),
                        ),
                    ]
                )
            )
        return rows

    def _draft_rows(self, opportunity: Opportunity) -> list[w.Widget]:
        return draft_widgets(self.workbook, opportunity, self.now)

    # Collecting the typed fields

    def collect(self, data: dict[str, Any], collector: Collector) -> None:
        collector.put(data, ("status",), self.status_field)
        collector.put(data, ("outcome_on",), self.outcome_on)
        timeline = dict(data.get("timeline") or {})
        typed = self.next_step.widget.value.strip()
        touched = bool(typed or self.decision_by.widget.value)
        if timeline or touched:
            # A date, or a next step newly written down, means the recruiter did say something:
            # the notes stop asking them about next steps.
            said = typed and typed != str(timeline.get("next_step") or "").strip()
            data["timeline"] = timeline
            collector.put(data, ("timeline", "next_step"), self.next_step)
            collector.put(data, ("timeline", "decision_by"), self.decision_by)
            collector.fields[("timeline",)] = self.decision_by
            if said or self.decision_by.peek() is not None:
                timeline["given"] = True
        collector.put(data, ("feedback", "received_on"), self.feedback_received)
        collector.put(data, ("feedback", "what_they_said"), self.feedback_said)
        collector.put(data, ("other_roles", "answer"), self.other_roles_answer)
        collector.put(data, ("talent_community_link",), self.community_link)

    def _status_changed(self, change: Any) -> None:
        if self._filling:
            return
        new = change["new"]
        if (
            new is not None
            and new is not Status.ACTIVE
            and not self.outcome_on.widget.value.strip()
        ):
            self.outcome_on.write(self.now.date())

    # One-click actions: the steps' own actions, at the time of the click

    def step_action(
        self, kind: str, action: str, *, round: str | None = None, person: str | None = None
    ) -> bool:
        """Apply a step's 'done' or 'undo' action (see `followup.steps`) at the click's time,
        together with any pending edits."""
        at = self.clock.now()
        return self.act(lambda o: act(o, kind, action, at, round=round, person=person))

    def _round_key(self, round_index: int) -> str:
        return self.opportunity.rounds[round_index].key

    def mark_thank_you(self, round_index: int, name: str, channel: Channel = Channel.EMAIL) -> bool:
        """Record the thank-you email to `name` as sent now (a card: see `mark_card`)."""
        kind = StepKind.CARD if channel is Channel.CARD else StepKind.THANK_YOU
        return self.step_action(kind, "done", round=self._round_key(round_index), person=name)

    def mark_card(self, round_index: int, name: str) -> bool:
        """Record a handwritten card to `name` as mailed today, beside the email note."""
        key = self._round_key(round_index)
        return self.step_action(StepKind.CARD, "done", round=key, person=name)

    def unmark_thank_you(self, round_index: int, name: str) -> bool:
        """The thank-you email to `name` was not sent after all."""
        key = self._round_key(round_index)
        return self.step_action(StepKind.THANK_YOU, "undo", round=key, person=name)

    def unmark_card(self, round_index: int, name: str) -> bool:
        """The card to `name` was not mailed after all."""
        key = self._round_key(round_index)
        return self.step_action(StepKind.CARD, "undo", round=key, person=name)

    def mark_checked_in(self) -> bool:
        return self.step_action(StepKind.TIMELINE, "done")

    def unmark_checked_in(self) -> bool:
        return self.step_action(StepKind.TIMELINE, "undo")

    def mark_feedback_asked(self) -> bool:
        return self.step_action(StepKind.FEEDBACK, "done")

    def unmark_feedback_asked(self) -> bool:
        return self.step_action(StepKind.FEEDBACK, "undo")

    def mark_other_roles(self) -> bool:
        return self.step_action(StepKind.OTHER_ROLES, "done")

    def unmark_other_roles(self) -> bool:
        return self.step_action(StepKind.OTHER_ROLES, "undo")

    def mark_community(self) -> bool:
        return self.step_action(StepKind.TALENT_COMMUNITY, "done")

    def unmark_community(self) -> bool:
        return self.step_action(StepKind.TALENT_COMMUNITY, "undo")

    def mark_connected(self, name: str) -> bool:
        """Record a LinkedIn connection (refused while the process is open)."""
        return self.step_action(StepKind.LINKEDIN, "done", person=name)

    def unmark_connected(self, name: str) -> bool:
        return self.step_action(StepKind.LINKEDIN, "undo", person=name)


def draft_widgets(workbook: Workbook, opportunity: Opportunity, now: datetime) -> list[w.Widget]:
    """Each draft that applies now: a copy-friendly text box and a link to a mail program."""
    try:
        drafts = _drafts(workbook, opportunity, now)
    except FollowupError as exc:
        return [w.HTML(f"<span style='color:#b00020'>Drafts could not be made: {esc(exc)}</span>")]
    if not drafts:
        from followup.drafts.compose import why_no_drafts

        why = why_no_drafts(opportunity, now, policy=_policy(workbook, now))
        return [w.HTML(f"<i>{esc(why)}</i>")]
    rows: list[w.Widget] = []
    for draft in drafts:
        link = draft.mailto()
        parts = [f"<b>{esc(draft.title)}</b>"]
        if link:
            parts.append(f" · <a href='{esc(link)}' target='_blank'>open in your mail program</a>")
        if draft.problem:
            parts.append(f"<br><span style='color:#8a5300'>⚠ {esc(draft.problem)}</span>")
        box = w.Textarea(
            value=draft.as_text(),
            rows=min(14, draft.as_text().count("\n") + 2),
            layout=w.Layout(width="44em"),
        )
        rows.append(w.VBox([w.HTML("".join(parts)), box], layout=w.Layout(margin="0 0 8px 0")))
    return rows


def _drafts(workbook: Workbook, opportunity: Opportunity, now: datetime) -> list[Any]:
    """The drafts hook: `drafts_for` with the workbook's templates and the person's name."""
    from followup.drafts.compose import TEMPLATES_FOLDER, drafts_for

    templates = workbook.root / TEMPLATES_FOLDER
    settings = workbook.settings_or_defaults()[0]
    return drafts_for(
        opportunity,
        now,
        templates_dir=templates if templates.is_dir() else None,
        sender=settings.your_name or None,
        formal=settings.formal_greetings,
        policy=policy_for(settings, now),
    )


def _policy(workbook: Workbook | None, now: datetime) -> Policy:
    """The workbook's policy; the defaults when settings cannot be read (`followup validate`
    names that file's problem)."""
    return policy_for(workbook.settings_or_defaults()[0] if workbook else None, now)


def summary_html(opportunity: Opportunity, now: datetime, workbook: Workbook | None = None) -> str:
    """A read-only view: the checklist, and the drafts that apply now."""
    parts = [
        f"<h3>Follow up · {esc(opportunity.title)} ({esc(opportunity.status.value)})</h3>",
        checklist_html(checklist(opportunity, now, _policy(workbook, now)), now),
    ]
    if workbook is not None:
        try:
            drafts = _drafts(workbook, opportunity, now)
        except FollowupError as exc:
            parts.append(f"<p>Drafts could not be made: {esc(exc)}</p>")
            drafts = []
        for draft in drafts:
            parts.append(f"<h4>{esc(draft.title)}</h4><pre>{esc(draft.as_text())}</pre>")
    return "\n".join(parts)


def notebook(
    data_dir: str = "",
    opportunity_id: str = "",
    now: str = "",
    *,
    interactive: bool = True,
    autosave_seconds: float | None = AUTOSAVE_SECONDS,
) -> Any:
    """What 04_follow_up.ipynb shows: the form, or a read-only summary when headless."""
    return form_notebook(
        data_dir,
        opportunity_id,
        now,
        key="follow_up",
        make_form=FollowUpForm,
        summary=summary_html,
        interactive=interactive,
        autosave_seconds=autosave_seconds,
    )
