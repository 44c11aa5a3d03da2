"""The prep sheet as a page: what `notebooks/prep.ipynb` shows, section by section.

`load` reads the workbook (the opportunity, the others, the story bank, the settings) and hands
the values to `followup.prep.sheet`; each `*_html` method returns one section as plain HTML
(tables and text: printable, nothing fetched). `publish_summary` records what the batch run and
the index need, under the reports' own MIME type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from followup.clock import parse_now, policy_for
from followup.core import formats
from followup.prep.sheet import PrepSheet, prep_sheet
from followup.reports.pages import SUMMARY_MIME
from followup.storage.stories import read_stories
from followup.storage.workbook import Workbook, resolve_data_dir

#: Bumped when the summary's fields change.
SUMMARY_VERSION = 1


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], table_id: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        f'<table id="{table_id}" class="followup-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _para(text: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<p{klass}>{escape(text)}</p>"


def _list(items: Iterable[str], list_id: str) -> str:
    return f'<ul id="{list_id}">' + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


@dataclass(frozen=True)
class PrepPage:
    """One prep sheet, ready to show."""

    sheet: PrepSheet

    def heading_html(self) -> str:
        s = self.sheet
        o, r = s.opportunity, s.interview
        facts = [
            ("When", f"{s.when}; times in {s.zone_label}"),
            ("Where", s.where or ("video call" if s.link else "not recorded")),
            ("Link", s.link),
            ("Format", s.format or "not recorded"),
            ("Length", s.length),
        ]
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts if v)
        title = f"Prepare for {r.name}: {o.title}"
        passed = "" if s.upcoming else _para("This round has already started.", "overdue")
        made = _para(f"Made {formats.moment(s.now, s.zone)}.", "note")
        return (
            f"<h1>{escape(title)}</h1>{made}{passed}"
            f'<table id="when" class="followup-table"><tbody>{rows}</tbody></table>'
        )

    def people_html(self) -> str:
        if not self.sheet.people:
            return _para("No interviewers recorded for this round yet.", "note")
        rows = [
            (
                p.name,
                p.title,
                ", ".join(p.met_in) if p.met_in else "first meeting",
                " ".join(p.notes),
            )
            for p in self.sheet.people
        ]
        return _table(["Name", "Title", "Met before", "What you noted"], rows, "people")

    def research_html(self) -> str:
        if not self.sheet.research:
            return _para("Nothing was noted to research.", "note")
        rows = [
            (t.topic, "done" if t.done else "still open", t.round_name) for t in self.sheet.research
        ]
        return _table(["Topic", "State", "From"], rows, "research")

    def improve_html(self) -> str:
        if not self.sheet.improve:
            return _para("No earlier answer of this process needs work.", "note")
        rows = [(q.round_name, q.question, q.landed, q.improve) for q in self.sheet.improve]
        return _table(["Round", "Question", "It went", "Do better"], rows, "improve")

    def likely_html(self) -> str:
        if not self.sheet.likely:
            return _para(
                "No questions recorded yet for similar roles in your other processes.", "note"
            )
        rows = [
            (q.company, q.role, q.question, q.kind.value, q.landed, q.improve)
            for q in self.sheet.likely
        ]
        return _table(
            ["Company", "Role", "Question", "Kind", "Your answer went", "Do better"], rows, "likely"
        )

    def stories_html(self) -> str:
        if not self.sheet.stories:
            return _para(
                "No story in stories.yaml fits these questions yet (see followup stories).", "note"
            )
        rows = [
            (
                f.story.title,
                f.question,
                "; ".join(f.reasons),
                " ".join(p for p in (f.story.situation, f.story.action, f.story.result) if p),
            )
            for f in self.sheet.stories
        ]
        return _table(["Story", "For the question", "Why it fits", "In short"], rows, "stories")

    def numbers_html(self) -> str:
        s = self.sheet
        parts = []
        salary = s.salary
        if salary is not None and salary.is_recorded():
            period = salary.period.value

            def money(value: float | None) -> str:
                return formats.money(value, salary.currency, period) if value is not None else ""

            rows = [
                ("Walk-away minimum", money(salary.minimum)),
                ("Target", money(salary.target)),
                ("Stretch", money(salary.stretch)),
            ]
            if salary.posted_minimum is not None or salary.posted_maximum is not None:
                posted = f"{money(salary.posted_minimum)} to {money(salary.posted_maximum)}"
                rows.append(("Their posted range", posted))
            parts.append(_table(["", "Amount"], [r for r in rows if r[1]], "salary"))
        else:
            parts.append(_para("No salary range recorded yet: set one before they ask.", "overdue"))
        if s.said:
            parts.append(_para("Figures you already said in this process, to stay consistent:"))
            parts.append(
                _table(
                    ["Round", "What was said", "Figures"],
                    [(d.round_name, d.text, ", ".join(d.figures)) for d in s.said],
                    "said",
                )
            )
        else:
            parts.append(_para("No figure was said in earlier rounds.", "note"))
        return "".join(parts)

    def to_ask_html(self) -> str:
        if not self.sheet.to_ask:
            return _para("Nothing open: ask what they enjoy about working there.", "note")
        return _list(self.sheet.to_ask, "to-ask")

    def timeline_html(self) -> str:
        return _para(self.sheet.timeline)

    def summary(self) -> dict[str, object]:
        return {"summary_version": SUMMARY_VERSION, **self.sheet.summary()}

    def publish_summary(self) -> None:
        """Display the summary under the reports' MIME type (nothing visible in the page)."""
        from IPython.display import display

        display({SUMMARY_MIME: self.summary()}, raw=True)


def build(book: Workbook, opportunity_id: str, round: str, now_text: str) -> PrepPage:
    """The prep sheet of one opportunity's round (blank: the next one still to come)."""
    moment = parse_now(now_text, field="now")
    opportunity = book.get(opportunity_id).opportunity
    others = book.load().opportunities
    settings, _ = book.settings_or_defaults()
    stories = read_stories(book.root).stories
    sheet = prep_sheet(
        opportunity, others, stories, moment, policy_for(settings, moment), round or None
    )
    return PrepPage(sheet)


def load(data_dir: str = "", opportunity_id: str = "", round: str = "", now: str = "") -> PrepPage:
    """The prep sheet for the notebook's parameters."""
    return build(Workbook(resolve_data_dir(data_dir or None)), opportunity_id, round, now)
