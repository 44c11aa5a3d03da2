"""The "Prepare" and "Practice" pages (notebooks/07_prepare.ipynb and 08_practice.ipynb).

Prepare shows the prep sheet of the next round (of the opportunity the address names, else the
soonest round still to come in the workbook). Practice lists the answers due for practice, each
with four buttons; a click records the rating in `practice.yaml` at the time of the click, and
the card leaves the list until FSRS says it is due again.
"""

from __future__ import annotations

import html
import os
from datetime import datetime
from typing import Any

import ipywidgets as w

from followup.clock import Clock, parse_now, policy_for
from followup.core import formats
from followup.core.errors import FollowupError
from followup.core.stories import Grade
from followup.storage.workbook import Workbook, resolve_data_dir


def _now(now: str) -> datetime:
    from followup.app.address import NOW_VARIABLE

    return parse_now(now or os.environ.get(NOW_VARIABLE, ""), field="now")


def _book(data_dir: str) -> Workbook:
    from followup.app.address import request_query

    request_query()  # in the app: wait for the page's request before reading the workbook
    return Workbook(resolve_data_dir(data_dir or None))


def prepare_html(
    data_dir: str = "", opportunity_id: str = "", round: str = "", now: str = ""
) -> str:
    """The prep sheet as one HTML fragment, or a sentence saying why there is none."""
    from followup.app.address import page_opportunity
    from followup.prep.sheet import rounds_to_come
    from followup.reports.prep_sheet import build

    book = _book(data_dir)
    moment = _now(now)
    wanted = opportunity_id or page_opportunity()
    if not wanted:
        ahead = rounds_to_come(book.load().opportunities, moment)
        if not ahead:
            return (
                "<p id='prep-none'>No round is planned yet. Record the next round on the "
                "interview page, and its prep sheet appears here.</p>"
            )
        wanted, round = ahead[0][0].id, round or ahead[0][1].key
    try:
        sheet = build(book, wanted, round, moment.isoformat())
    except FollowupError as exc:
        return f"<p id='prep-none'>{html.escape(str(exc))}</p>"
    sections = [
        ("", sheet.heading_html()),
        ("Who you will meet", sheet.people_html()),
        ("What you said you would research", sheet.research_html()),
        ("Answers to improve", sheet.improve_html()),
        ("Questions you may get", sheet.likely_html()),
        ("Stories to tell", sheet.stories_html()),
        ("Your numbers", sheet.numbers_html()),
        ("Questions to ask them", sheet.to_ask_html()),
        ("What the recruiter said happens next", sheet.timeline_html()),
    ]
    from followup.compare.tables import TABLE_CSS

    return (
        f"<style>{TABLE_CSS}</style><div id='prep-sheet'>"
        + "".join(
            (f"<h2>{html.escape(title)}</h2>" if title else "") + body for title, body in sections
        )
        + "</div>"
    )


class PracticePage:
    """The cards due now, each with again / hard / good / easy; a click saves at once."""

    def __init__(self, book: Workbook, opened: datetime) -> None:
        self.book = book
        self.clock = Clock.for_page(opened)
        self.zone = policy_for(book.settings_or_defaults()[0], opened).zone
        self.status = w.HTML()
        self.cards = w.VBox()
        self.widget = w.VBox([self.status, self.cards])
        self.refresh()

    def _deck(self, change: Any = None) -> Any:
        from followup.prep import practice, questions
        from followup.storage.stories import update_practice

        rows = questions.bank(self.book.load().opportunities)
        now = self.clock.now()

        def update(deck: Any) -> Any:
            deck, _ = practice.add(deck, practice.to_improve(rows), now)
            return change(deck, now) if change else deck

        return update_practice(self.book.root, update)

    def refresh(self, message: str = "") -> None:
        from followup.prep import practice

        try:
            deck = self._deck()
        except FollowupError as exc:
            self.status.value = f"<p class='followup-error'>{html.escape(str(exc))}</p>"
            self.cards.children = ()
            return
        due = practice.due(deck, self.clock.now())
        lines = [message] if message else []
        if not deck.cards:
            lines.append("Nothing to practise: no answer to improve in your debriefs yet.")
        elif not due:
            lines.append(
                f"Nothing due now. Next: {practice.when_due(practice.next_due(deck), self.zone)}."
            )
        else:
            lines.append(
                f"{formats.plural(len(due), 'answer')} to practise: say each answer aloud, "
                "then say how it went."
            )
        self.cards.children = tuple(self._card(card) for card in due)
        self.status.value = "".join(f"<p>{html.escape(line)}</p>" for line in lines)

    def _card(self, card: Any) -> w.Widget:
        text = f"<p class='practice-question'><strong>{html.escape(card.question)}</strong></p>"
        if card.note:
            text += f"<p>Do better: {html.escape(card.note)}</p>"
        buttons = []
        for grade in Grade:
            button = w.Button(
                description=grade.value.capitalize(), tooltip=f"It went: {grade.value}"
            )
            button.add_class(f"practice-{grade.value}")
            button.on_click(lambda _b, g=grade, c=card.id: self.rate(c, g))
            buttons.append(button)
        box = w.VBox([w.HTML(text), w.HBox(buttons)])
        box.add_class("practice-card")
        return box

    def rate(self, card_id: str, grade: Grade) -> None:
        from followup.prep import practice

        try:
            deck = self._deck(lambda deck, now: practice.rate(deck, card_id, grade, now)[0])
        except FollowupError as exc:
            self.status.value = f"<p class='followup-error'>{html.escape(str(exc))}</p>"
            return
        card = deck.card(card_id)
        self.refresh(
            f"Saved: {grade.value}. It comes back {practice.when_due(card.due(), self.zone)}."
        )


def practice_page(data_dir: str = "", now: str = "") -> PracticePage:
    return PracticePage(_book(data_dir), _now(now))


def notebook_practice(data_dir: str = "", now: str = "") -> None:
    """What 08_practice.ipynb runs: the page, shown."""
    from IPython.display import display

    display(practice_page(data_dir, now).widget)


def notebook_prepare(
    data_dir: str = "", opportunity_id: str = "", round: str = "", now: str = ""
) -> None:
    """What 07_prepare.ipynb runs: the prep sheet, shown."""
    from IPython.display import HTML, display

    display(HTML(prepare_html(data_dir, opportunity_id, round, now)))
