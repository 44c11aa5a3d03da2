"""Drafts for answering an offer: a counter-offer, a request for more time, an acceptance and a
warm decline that keeps the door open. Never sent: the person reads, edits and sends them.

Pure rendering, like `followup.drafts.compose` (whose template lookup, greeting and Draft value
these reuse): the templates are `followup/templates/<kind>.txt.j2`, and a file of the same name in
`<data dir>/templates/` overrides one. A counter-offer is built only from the person's record: the
base the offer names, their own target (or stretch) and the reasons written in their salary range's
notes. No number is computed or guessed: where the record has nothing, the draft leaves a
`[bracket]` for the person to fill in.

Templates can use: `greeting`, `to_name`, `sender`, `company`, `role`, `position`, `role_phrase`,
`opportunity`, `offer`, `offered_base` ('52,000 GBP'), `asked_base`, `reasons`, `answer_by` and
`start_on` ('Friday 4 December').
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from followup.core.model import Opportunity
from followup.drafts.compose import SIGNATURE_PLACEHOLDER, Draft, greeting, render
from followup.steps.offer import amount, asked_base, below_target, offer_values


class OfferDraftKind(StrEnum):
    """The notes that answer an offer; the value names the template (`<value>.txt.j2`)."""

    COUNTER = "counter-offer"
    MORE_TIME = "more-time"
    ACCEPT = "accept-offer"
    DECLINE = "decline-offer"

    @property
    def template(self) -> str:
        return f"{self.value}.txt.j2"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    OfferDraftKind.COUNTER: "Counter-offer",
    OfferDraftKind.MORE_TIME: "Asking for more time",
    OfferDraftKind.ACCEPT: "Accepting the offer",
    OfferDraftKind.DECLINE: "Declining the offer",
}


def context(
    opportunity: Opportunity, *, sender: str | None = None, formal: bool = False
) -> dict[str, Any]:
    """Everything an offer template can use: the opportunity, greeting and signature, and
    `offer_values`."""
    values = offer_values(opportunity)
    role = f"the {opportunity.role} role" if opportunity.role else "the role"
    return {
        "opportunity": opportunity,
        "company": opportunity.company,
        "role": opportunity.role,
        "position": f"{opportunity.role} at {opportunity.company}"
        if opportunity.role
        else opportunity.company,
        "role_phrase": f"{role} at {opportunity.company}",
        "greeting": greeting(opportunity.recruiter, formal=formal),
        "to_name": opportunity.recruiter.name if opportunity.recruiter else "Hiring team",
        "sender": sender or SIGNATURE_PLACEHOLDER,
        "formal": formal,
        **values,
    }


def offer_draft(
    kind: OfferDraftKind,
    opportunity: Opportunity,
    *,
    sender: str | None = None,
    formal: bool = False,
    templates_dir: Path | None = None,
) -> Draft:
    """One draft answering the opportunity's offer, addressed to the recruiter."""
    values = context(opportunity, sender=sender, formal=formal)
    subject, body = render(kind, values, templates_dir)  # type: ignore[arg-type]
    recruiter = opportunity.recruiter
    email = recruiter.email if recruiter is not None else None
    problem = None
    if not email:
        problem = (
            f"no email address for {recruiter.name}: add it to the recruiter"
            if recruiter is not None
            else f"no recruiter recorded for {opportunity.company}: add their name and email"
        )
    return Draft(
        kind=kind,  # type: ignore[arg-type]
        to_name=values["to_name"],
        to_email=email,
        subject=subject,
        body=body,
        person=recruiter.name if recruiter is not None else None,
        problem=problem,
        opportunity=opportunity.id,
    )


def offer_drafts(
    opportunity: Opportunity,
    *,
    sender: str | None = None,
    formal: bool = False,
    templates_dir: Path | None = None,
) -> list[Draft]:
    """All four answers to the opportunity's offer, in the order they are usually weighed."""
    return [
        offer_draft(k, opportunity, sender=sender, formal=formal, templates_dir=templates_dir)
        for k in OfferDraftKind
    ]


__all__ = [
    "OfferDraftKind",
    "amount",
    "asked_base",
    "below_target",
    "context",
    "offer_draft",
    "offer_drafts",
    "offer_values",
]
