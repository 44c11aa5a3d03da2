"""Drafts of the notes the checklist asks for: thank-you notes, cards, check-ins, feedback requests.

Pure rendering: an opportunity and `now` in, Draft values out. A draft is data:
`followup.drafts.eml` writes it as an `.eml` file and imports this module, never the other way
round. Nothing is ever sent; the person reads and edits every word. The only files read are the
Jinja2 templates: the ones shipped in `followup/templates/`, each of which a person may override
with a file of the same name in `<data dir>/templates/`.

Which drafts apply, when no kind is asked for (the checklist decides, see `followup.core.rules`):

- a thank-you note to each interviewer whose note is due and not yet sent (a handwritten-card
  version instead when the interviewer's thank-you channel is a card);
- a check-in to the recruiter once their date (or the default wait) has passed with no news, never
  before;
- a feedback request and an inquiry about other roles after a rejection, until they are asked.

Asking for one kind explicitly widens it: `thank-you` and `card` give a draft for every interviewer
of every round that has taken place (sent or not), and `feedback` and `other-roles` are drafted
after any rejection, even when already asked. A check-in is still never drafted before it is due.

A template's first line is `Subject: …`; the rest is the body. Templates can use: `greeting`
('Hi Priya,', or 'Dear Priya Raman,' with `formal_greetings: true` in settings.yaml), `to_name`,
`first_name`, `to` (the Person, or None), `formal`, `sender`, `company`, `role`, `position` ('Data
Analyst at Northwind'), `role_phrase` ('the Data Analyst role at Northwind'), `ask_next_steps` (no
timeline was given), `timeline`, `opportunity`, `now`; thank-you and card add `interview`,
`round_name`, `when` ('today', 'yesterday', 'on Monday'), `day` ('Thursday 26 November'),
`personal_note` (said to them: 'his point' becomes 'your point'), `questions` (the questions the
debrief records this interviewer asked, `asked_by`), `variant` (their place in the round: the
shipped templates word each interviewer's note differently, so two notes never differ only by a
name) and `topics` (research topics from the round: notes for you, which the shipped templates
leave out of the note); the notes to the recruiter add `decision_by`, `last_round` and
`interviewers`. Filters: `second_person`, `mid_sentence`, `join_names`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from followup.core.errors import InvalidRecord, UsageError
from followup.core.formats import day as _day
from followup.core.model import (
    Interview,
    Interviewer,
    Opportunity,
    Person,
    QuestionKind,
    Status,
    slugify,
)
from followup.core.policy import Policy
from followup.prep.questions import answer_kind
from followup.steps import (
    asks_about_next_steps,
    card_sent,
    checklist,
    draft_kinds,
    email_sent,
    held_or_planned,
)
from followup.steps import drafts as step_drafts

#: The folder of the shipped templates (package data).
PACKAGE_TEMPLATES = Path(__file__).parents[1] / "templates"
#: The folder, inside a workbook, whose files override the shipped templates of the same name.
TEMPLATES_FOLDER = "templates"
#: What stands in for your name when it is not known (`--sender`, or `your_name` in settings).
SIGNATURE_PLACEHOLDER = "[Your name]"
SUBJECT_PREFIX = "Subject:"


class DraftKind(StrEnum):
    """The notes followup drafts; the value names the template (`<value>.txt.j2`)."""

    THANK_YOU = "thank-you"
    CARD = "card"
    CHECK_IN = "check-in"
    FEEDBACK = "feedback"
    OTHER_ROLES = "other-roles"
    TALENT_COMMUNITY = "talent-community"

    @property
    def template(self) -> str:
        return template_name(self.value)

    @property
    def label(self) -> str:
        return kind_label(self.value)


def template_name(kind: str) -> str:
    """The template file of a kind of note: `<kind>.txt.j2`."""
    return f"{kind}.txt.j2"


def kind_label(kind: str) -> str:
    """How a kind of note is named in a heading: 'Thank-you note', 'Check-in'."""
    return _LABELS.get(kind, str(kind).replace("-", " ").capitalize())


_LABELS: dict[str, str] = {
    DraftKind.THANK_YOU: "Thank-you note",
    DraftKind.CARD: "Handwritten card",
    DraftKind.CHECK_IN: "Check-in",
    DraftKind.FEEDBACK: "Feedback request",
    DraftKind.OTHER_ROLES: "Other roles",
    DraftKind.TALENT_COMMUNITY: "Talent community",
}


def header_problem(value: str | None) -> str | None:
    """Why `value` cannot go into a mail header (a line break or control character), else None."""
    if not value:
        return None
    for char in value:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return f"contains the control character {char!r}"
    return None


@dataclass(frozen=True)
class Draft:
    """One drafted note, ready to read, edit and send by hand.

    `problem` says what stops it being sent as it is, for example "no email address for Amélie
    Dubois"; the draft is still written so the words are not lost.
    """

    kind: DraftKind | str
    to_name: str
    to_email: str | None
    subject: str
    body: str
    round: str | None = None
    person: str | None = None
    problem: str | None = None
    opportunity: str | None = None
    sent_on: date | None = None

    def __post_init__(self) -> None:
        for name in ("to_name", "to_email", "subject"):
            value = getattr(self, name)
            why = header_problem(value)
            if why:
                raise InvalidRecord(
                    f"draft {self.kind} {name}: {value!r} {why}; refused, because it could "
                    "add lines to the email's headers. Expected a single line of text.",
                    field=name,
                )

    @property
    def title(self) -> str:
        """A one-line heading: 'Thank-you note to Jörg Müller (onsite)', and '(already sent on …)'
        when the note was sent before and is drafted again because it was asked for."""
        where = f" ({self.round})" if self.round else ""
        sent = f" (already sent on {_day(self.sent_on)})" if self.sent_on else ""
        return f"{kind_label(self.kind)} to {self.to_name}{where}{sent}"

    def mailto(self) -> str | None:
        """A `mailto:` link that opens the draft in a mail program (RFC 6068), or None without
        an address."""
        if not self.to_email:
            return None
        fields = {"subject": self.subject, "body": self.body.replace("\n", "\r\n")}
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items())
        return f"mailto:{quote(self.to_email, safe='@')}?{query}"

    def file_stem(self) -> str:
        """A safe, stable file name without extension: 'acme_thank-you_round-1_kim-lee'."""
        parts = [self.opportunity, str(self.kind), self.round]
        if self.person:
            parts.append(slugify(self.person, fallback="person"))
        return "_".join(p for p in parts if p)

    def as_text(self) -> str:
        """The copy-ready draft: who it is for, its subject and the words to send, nothing else.

        Warnings (`problem`) are not part of it: show them beside the text, never inside it.
        """
        if self.kind is DraftKind.CARD:
            to = f"{self.to_name} (handwritten card)"
        elif self.to_email:
            to = f"{self.to_name} <{self.to_email}>"
        else:
            to = self.to_name
        return f"To: {to}\n{SUBJECT_PREFIX} {self.subject}\n\n{self.body}"


# Templates


def second_person(text: str) -> str:
    """Turn a note written about someone into one written to them: 'his point' -> 'your point'.

    A small, predictable word swap (he/she/they -> you, his/her/their -> your, ...), so notes
    recorded in the third person read naturally in a thank-you. The person reviews the result.
    """

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        new = _PRONOUNS[word.lower()]
        return new.capitalize() if word[0].isupper() else new

    text = _PRONOUN_RE.sub(swap, text)
    return _VERB_RE.sub(lambda m: m.group(1) + " " + _VERBS[m.group(2).lower()], text)


_PRONOUNS = {
    "he": "you",
    "she": "you",
    "they": "you",
    "him": "you",
    "them": "you",
    "his": "your",
    "her": "your",
    "their": "your",
    "hers": "yours",
    "theirs": "yours",
    "himself": "yourself",
    "herself": "yourself",
    "themselves": "yourself",
}
_PRONOUN_RE = re.compile(r"\b(" + "|".join(_PRONOUNS) + r")\b", re.IGNORECASE)
_VERBS = {"is": "are", "was": "were", "has": "have", "does": "do"}
_VERB_RE = re.compile(r"\b(you)\s+(is|was|has|does)\b", re.IGNORECASE)
_LOWER_FIRST_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "how",
        "what",
        "why",
        "when",
        "where",
        "which",
        "who",
        "whether",
        "their",
        "his",
        "her",
        "its",
        "our",
        "your",
        "some",
    ]
)


def mid_sentence(text: str) -> str:
    """Lower-case a leading function word so a phrase reads inside a sentence: 'How dbt works'
    -> 'how dbt works' (names such as 'Northwind's hub' keep their capital)."""
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWER_FIRST_WORDS:
        return text[0].lower() + text[1:]
    return text


def join_names(names: Iterable[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


#: Words before a name that are not a first name ("Dr. Priya Raman" is greeted "Hi Priya,").
_HONORIFICS = frozenset(["dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame"])


def first_name(name: str) -> str:
    """The name a person is greeted by informally: 'Priya Raman' -> 'Priya'."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return words[0] if words else name


def greeting(to: Person | None, *, formal: bool = False) -> str:
    """'Hi Priya,', or with formal greetings 'Dear Priya Raman,'; 'Dear hiring team,' for nobody."""
    if to is None:
        return "Dear hiring team,"
    return f"Dear {to.name}," if formal else f"Hi {first_name(to.name)},"


def long_day(day: date) -> str:
    """'Thursday 26 November'."""
    return f"{day:%A} {day.day} {day:%B}"


@functools.lru_cache(maxsize=16)
def _environment(override: Path | None) -> jinja2.Environment:
    folders = [str(override)] if override is not None else []
    folders.append(str(PACKAGE_TEMPLATES))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders, encoding="utf-8"),
        autoescape=False,  # plain text, never HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        second_person=second_person, mid_sentence=mid_sentence, join_names=join_names
    )
    return env


def template_source(kind: str, templates_dir: Path | None = None) -> Path:
    """The template file that renders `kind`: the workbook's override if there is one."""
    name = template_name(kind)
    if templates_dir is not None and (templates_dir / name).is_file():
        return templates_dir / name
    return PACKAGE_TEMPLATES / name


def render(
    kind: str, context: dict[str, Any], templates_dir: Path | None = None
) -> tuple[str, str]:
    """Render the template for `kind`; returns (subject, body).

    A broken template raises InvalidRecord naming the file, the line and what went wrong.
    """
    source = template_source(kind, templates_dir)
    # Keyed on whether an override exists now, so one added later is picked up at once.
    overridden = templates_dir is not None and source.parent == templates_dir
    env = _environment(templates_dir.resolve() if overridden else None)
    try:
        template = env.get_template(template_name(kind))
        text = template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or source}:{exc.lineno}"
        raise InvalidRecord(f"{where}: template error: {exc.message}", path=source) from None
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(context))
        raise InvalidRecord(
            f"{source}: template error: {exc.message}; the names a template can use are: {known}",
            path=source,
        ) from None
    except jinja2.TemplateError as exc:
        raise InvalidRecord(f"{source}: template error: {exc}", path=source) from None
    first, _, rest = text.lstrip("\n").partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise InvalidRecord(
            f"{source}: expected the first line to be '{SUBJECT_PREFIX} …', got {first[:60]!r}",
            path=source,
        )
    subject = first.removeprefix(SUBJECT_PREFIX).strip()
    return subject, _tidy(rest)


def _tidy(body: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end, and no doubled
    full stop after a name such as 'Quill & Co.'."""
    lines = [line.rstrip() for line in body.strip("\n").splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    return text.strip("\n") + "\n"


# Choosing and rendering drafts


def _position(opportunity: Opportunity) -> str:
    return (
        f"{opportunity.role} at {opportunity.company}" if opportunity.role else opportunity.company
    )


def _role_phrase(opportunity: Opportunity) -> str:
    role = f"the {opportunity.role} role" if opportunity.role else "the role"
    return f"{role} at {opportunity.company}"


def _when(interview: Interview, now: datetime) -> str:
    """'today', 'yesterday', 'on Monday' (within the week), else 'on Monday 2 November'."""
    zone = interview.zone
    held = interview.starts_at.astimezone(zone).date()
    today = now.astimezone(zone).date()
    days = (today - held).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {held:%A}"
    return f"on {long_day(held)}"


def _base_context(
    opportunity: Opportunity, now: datetime, sender: str | None, formal: bool
) -> dict[str, Any]:
    timeline = opportunity.timeline
    return {
        "formal": formal,
        "opportunity": opportunity,
        "company": opportunity.company,
        "role": opportunity.role,
        "position": _position(opportunity),
        "role_phrase": _role_phrase(opportunity),
        "sender": sender or SIGNATURE_PLACEHOLDER,
        "now": now,
        "timeline": timeline,
        "ask_next_steps": asks_about_next_steps(opportunity, now),
    }


def _draft(
    kind: DraftKind,
    opportunity: Opportunity,
    to: Person | None,
    context: dict[str, Any],
    templates_dir: Path | None,
    *,
    round: str | None = None,
    sent_on: date | None = None,
) -> Draft:
    to_name = to.name if to is not None else "Hiring team"
    context = {
        **context,
        "to_name": to_name,
        "to": to,
        "first_name": first_name(to_name) if to is not None else "",
        "greeting": greeting(to, formal=context["formal"]),
    }
    subject, body = render(kind, context, templates_dir)
    to_email = to.email if to is not None else None
    problem = None
    if kind is not DraftKind.CARD and not to_email:
        problem = (
            f"no email address for {to.name}: collect their business card or ask the recruiter"
            if to is not None
            else f"no recruiter recorded for {opportunity.company}: add their name and email"
        )
    return Draft(
        kind=kind,
        to_name=to_name,
        to_email=None if kind is DraftKind.CARD else to_email,
        subject=subject,
        body=body,
        round=round,
        person=to.name if to is not None else None,
        problem=problem,
        opportunity=opportunity.id,
        sent_on=sent_on,
    )


def _thank_you(
    kind: DraftKind,
    opportunity: Opportunity,
    interview: Interview,
    person: Interviewer,
    base: dict[str, Any],
    templates_dir: Path | None,
) -> Draft:
    now = base["now"]
    held = interview.starts_at.astimezone(interview.zone).date()
    topics = [second_person(mid_sentence(t.topic)) for t in interview.debrief.research]
    questions = [
        a.question.strip().rstrip(".?! ")
        for a in interview.debrief.answers
        if interview.interviewer_named(a.asked_by) is person
        and a.question.strip()
        and answer_kind(a) is not QuestionKind.SALARY  # money is for the negotiation, not thanks
    ]
    if kind is DraftKind.CARD:
        sent_on = card_sent(person)
    else:
        sent = email_sent(person)
        sent_on = sent.astimezone(interview.zone).date() if sent else None
    context = {
        **base,
        "interview": interview,
        "round_name": interview.name,
        "when": _when(interview, now),
        "day": long_day(held),
        "personal_note": second_person(person.personal_note.rstrip(". ")),
        "questions": questions,
        "variant": interview.interviewers.index(person),
        "topics": topics[:2],
    }
    return _draft(
        kind,
        opportunity,
        person,
        context,
        templates_dir,
        round=interview.key,
        sent_on=sent_on,
    )


def _to_recruiter(
    kind: DraftKind,
    opportunity: Opportunity,
    base: dict[str, Any],
    templates_dir: Path | None,
    sent_on: date | None = None,
    *,
    interviewer: Person | None = None,
) -> Draft:
    """A note to the recruiter (or, for a feedback request, to one `interviewer` instead)."""
    timeline = opportunity.timeline
    opportunity = held_or_planned(opportunity)
    rounds = [r for r in opportunity.rounds if r.starts_at is not None]
    last = max(rounds, key=lambda r: r.starts_at) if rounds else None
    decision_by = timeline.decision_by if timeline else None
    context = {
        **base,
        "decision_by": long_day(decision_by) if decision_by else "",
        "last_round": last.name if last else "",
        "interviewers": [p.name for p in opportunity.interviewers()],
        "to_interviewer": interviewer is not None,
        "personal_note": second_person(interviewer.personal_note.rstrip(". "))
        if interviewer is not None
        else "",
    }
    to = interviewer if interviewer is not None else opportunity.recruiter
    return _draft(kind, opportunity, to, context, templates_dir, sent_on=sent_on)


def _held_rounds(opportunity: Opportunity, now: datetime) -> list[Interview]:
    return [
        r
        for r in opportunity.rounds
        if r.starts_at is not None and r.starts_at <= now and not r.cancelled
    ]


def note_kind(value: str) -> DraftKind | str:
    """A draft kind some registered step drafts (the built-in ones as `DraftKind`)."""
    if value in DraftKind._value2member_map_:
        return DraftKind(value)
    if value not in draft_kinds():
        known = ", ".join(draft_kinds())
        raise UsageError(f"unknown kind of draft {value!r}: expected one of {known}")
    return value


class Drafter:
    """Renders the notes the step types ask for, with the workbook's templates and the person's
    name: the step decides which notes, this decides their words."""

    def __init__(
        self,
        opportunity: Opportunity,
        now: datetime,
        templates_dir: Path | None,
        sender: str | None,
        formal: bool,
    ) -> None:
        self.opportunity = opportunity
        self.templates_dir = templates_dir
        self.base = _base_context(opportunity, now, sender, formal)

    def thank_you(self, kind: str, interview: Interview, person: Interviewer) -> Draft:
        """A thank-you note (or card) to one interviewer of one round."""
        return _thank_you(
            note_kind(kind), self.opportunity, interview, person, self.base, self.templates_dir
        )

    def to_recruiter(
        self, kind: str, *, sent_on: date | None = None, interviewer: Person | None = None
    ) -> Draft:
        """A note to the recruiter (or, for a feedback request, to one `interviewer` instead)."""
        return _to_recruiter(
            note_kind(kind),
            self.opportunity,
            self.base,
            self.templates_dir,
            sent_on,
            interviewer=interviewer,
        )

    def note(self, kind: str, to: Person | None, context: dict[str, Any], **where: Any) -> Draft:
        """Any other note: `kind`'s template rendered with `context` over the shared one."""
        return _draft(
            note_kind(kind),
            self.opportunity,
            to,
            {**self.base, **context},
            self.templates_dir,
            **where,
        )


def drafts_for(
    opportunity: Opportunity,
    now: datetime,
    *,
    kind: str | None = None,
    templates_dir: Path | None = None,
    sender: str | None = None,
    formal: bool = False,
    policy: Policy | None = None,
) -> list[Draft]:
    """The drafts that apply to `opportunity` at `now`: those of its checklist's open steps.

    `kind` asks for one kind explicitly; `templates_dir` is the workbook's override folder;
    `sender` signs the notes (else a '[Your name]' placeholder); `formal` greets 'Dear Priya
    Raman,' instead of 'Hi Priya,'. A cancelled round gets no notes.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    asked = note_kind(kind) if kind is not None else None
    checks = checklist(opportunity, now, policy)
    drafter = Drafter(opportunity, now, templates_dir, sender, formal)
    return step_drafts(checks, drafter, asked)


def drafts_due(
    opportunities: Iterable[Opportunity],
    now: datetime,
    *,
    kind: str | None = None,
    templates_dir: Path | None = None,
    sender: str | None = None,
    formal: bool = False,
    policy: Policy | None = None,
) -> list[Draft]:
    """Every draft due now across the workbook (or every draft of one `kind`), in the order of
    the opportunities given; see `drafts_for`."""
    return [
        draft
        for opportunity in opportunities
        for draft in drafts_for(
            opportunity,
            now,
            kind=kind,
            templates_dir=templates_dir,
            sender=sender,
            formal=formal,
            policy=policy,
        )
    ]


_STANDS = {
    Status.ACTIVE: "this process is still open",
    Status.OFFER: "this process is at the offer stage",
    Status.ACCEPTED: "you accepted their offer",
    Status.DECLINED: "you declined their offer",
    Status.REJECTED: "they said no",
    Status.WITHDRAWN: "you withdrew",
    Status.NO_RESPONSE: "this process is marked 'no response'",
}


def _where_it_stands(status: Status) -> str:
    return _STANDS.get(status, f"this process is {status.value}")


def why_no_drafts(
    opportunity: Opportunity,
    now: datetime,
    kind: str | None = None,
    policy: Policy | None = None,
) -> str:
    """A plain sentence saying why `drafts_for` has nothing for this opportunity and kind."""
    kind = note_kind(kind) if kind is not None else None
    held = _held_rounds(opportunity, now)
    if kind in (DraftKind.THANK_YOU, DraftKind.CARD) and not any(r.interviewers for r in held):
        return (
            f"No round with {opportunity.company} has taken place with interviewers recorded "
            "yet: add the people you met to a round with its date."
        )
    if kind is DraftKind.CHECK_IN:
        timeline = [s for s in checklist(opportunity, now, policy).steps if s.kind == "timeline"]
        if timeline:
            return f"No check-in yet. {timeline[0].why}"
        if opportunity.status is not Status.ACTIVE:
            return f"No check-in: {_where_it_stands(opportunity.status)}."
        return "No check-in yet: no round has taken place."
    if kind is DraftKind.FEEDBACK:
        return f"Only after a rejection: {_where_it_stands(opportunity.status)}."
    if kind in (DraftKind.OTHER_ROLES, DraftKind.TALENT_COMMUNITY):
        return f"Only after a rejection or no response: {_where_it_stands(opportunity.status)}."
    return f"Nothing to draft for {opportunity.title} right now: no note is due."
