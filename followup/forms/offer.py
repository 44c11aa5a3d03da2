"""The offer form: the letter's numbers (cash, one equity grant, benefits, the answer date), and
below it what they are worth year by year, as a table and a chart, with the verdict in words.

The form edits `opportunity.offer`; the model checks every value (a cliff after the last vesting
year, a bonus given both ways…) and the error shows beside the field at fault while the rest
saves. The year-by-year view is `followup.offers`' own, as `followup offers` shows it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ipywidgets as w

from followup.app.address import in_app
from followup.compare import tables as compare_tables
from followup.core.errors import FollowupError
from followup.core.model import MAX_VESTING_YEARS, EquityKind, Opportunity
from followup.forms.editor import AUTOSAVE_SECONDS, Editor
from followup.forms.fields import (
    Collector,
    Field,
    checkbox,
    choice,
    day,
    number,
    text,
    textarea,
    whole,
)
from followup.forms.links import link_html, mention, page_link
from followup.forms.page import (
    NOTEBOOKS,
    esc,
    form_box,
    form_notebook,
    guidance,
    heading,
)
from followup.forms.values import parse_whole
from followup.offers.tables import OfferView, offer_body_html, view_of
from followup.storage.workbook import Stored, Workbook

GUIDE_START = (
    "Record the offer: none is written down yet. When the letter arrives, type its numbers here "
    "as it gives them; what it is worth year by year, and how it measures up, appear below."
)
GUIDE_OFFER = (
    "Write the numbers as the letter gives them, per year, in one currency. Check the letter "
    "against what was said before you answer."
)
#: How the page tells where the value of the offer is shown.
VIEW_CLASS = "followup-offer-view"
KIND_OPTIONS = [("RSU (shares)", EquityKind.RSU), ("Options", EquityKind.OPTIONS)]
MONTHS_LIMIT = 240


def _months(label: str, default: int, low: int = 0) -> Field:
    """Months typed as a whole number; empty is the model's default (0 for a cliff, 12 for a
    step), shown as empty again while there is no grant."""
    widget = w.Text(value="", layout=w.Layout(width="6em"))
    return Field(
        widget,
        label,
        to_model=lambda v: default if not str(v).strip() else parse_whole(v, low, MONTHS_LIMIT),
        from_model=lambda v: "" if v is None else str(v),
    )


class OfferForm(Editor):
    """The offer's main fields; the rest of the offer (a second grant, a vesting schedule, the
    day a counter was sent) is kept as stored."""

    title = "Offer"

    def __init__(
        self,
        workbook: Workbook,
        stored: Stored,
        now: datetime,
        *,
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
    ):
        super().__init__(workbook, stored, now, autosave_seconds=autosave_seconds)
        opportunity = stored.opportunity
        self.received_on = day("Received on")
        self.answer_by = day("Answer by")
        self.currency = text("Currency", placeholder="EUR", width="6em")
        self.base = number("Base salary", placeholder="64000", hint="a year")
        self.bonus_percent = number("Bonus, % of base", placeholder="10", hint="at target")
        self.bonus_amount = number("Bonus amount", placeholder="a year")
        self.bonus_guaranteed = checkbox("The bonus is guaranteed")
        self.sign_on = number("Sign-on", placeholder="paid once")
        self.clawback = whole("Clawback months", 0, MONTHS_LIMIT)
        self.kind = choice("Equity kind", KIND_OPTIONS, empty=None)
        self.value = number("Grant value", placeholder="at grant", hint="or shares and price")
        self.shares = number("Shares", placeholder="how many")
        self.price = number("Price per share", placeholder="at grant")
        self.strike = number("Strike price", placeholder="options only")
        self.vesting_years = whole("Vesting years", 1, MAX_VESTING_YEARS)
        self.cliff = _months("Cliff months", 0)
        self.every = _months("Vests every (months)", 12, low=1)
        self.refresh = number("Refresh per year", placeholder="a year, at grant")
        self.retirement = number("Pension, % of base", placeholder="7")
        self.benefits_value = number("Other benefits", placeholder="a year", hint="as an amount")
        self.pto = number("Paid days off", placeholder="25", hint="a year")
        self.hours = number("Hours per week", placeholder="37.5")
        self.start_on = day("Start on")
        self.remote = text("Remote", placeholder="remote, hybrid, office…")
        self.notes = textarea("Notes", placeholder="What the letter says besides the numbers")
        self.grant_fields = (self.value, self.shares, self.price, self.strike)
        self.vesting_fields = (self.vesting_years, self.cliff, self.every)
        self.watch(
            self.received_on,
            self.answer_by,
            self.currency,
            self.base,
            self.bonus_percent,
            self.bonus_amount,
            self.bonus_guaranteed,
            self.sign_on,
            self.clawback,
            self.kind,
            *self.grant_fields,
            *self.vesting_fields,
            self.refresh,
            self.retirement,
            self.benefits_value,
            self.pto,
            self.hours,
            self.start_on,
            self.remote,
            self.notes,
        )
        self.start = guidance(GUIDE_START if opportunity.offer is None else GUIDE_OFFER)
        self.view = w.HTML("")
        self.view.add_class(VIEW_CLASS)
        self.widget = form_box(
            [
                heading(f"Offer · {opportunity.title}"),
                self.start,
                w.HTML("<b>The deadline</b>"),
                w.HBox([self.received_on.box, self.answer_by.box]),
                w.HTML("<b>Cash</b>"),
                self.currency.box,
                self.base.box,
                w.HBox([self.bonus_percent.box, self.bonus_amount.box]),
                self.bonus_guaranteed.box,
                w.HBox([self.sign_on.box, self.clawback.box]),
                w.HTML("<b>Equity</b>"),
                self.kind.box,
                self.value.box,
                w.HBox([self.shares.box, self.price.box, self.strike.box]),
                w.HBox([self.vesting_years.box, self.cliff.box, self.every.box]),
                self.refresh.box,
                w.HTML("<b>Benefits and time</b>"),
                w.HBox([self.retirement.box, self.benefits_value.box]),
                w.HBox([self.pto.box, self.hours.box]),
                self.start_on.box,
                self.remote.box,
                self.notes.box,
                self.save_bar,
                self.view,
            ]
        )
        self.load(opportunity)
        self.show_view()

    def fill(self, opportunity: Opportunity) -> None:
        offer = opportunity.offer
        salary = opportunity.salary_range
        self.received_on.write(offer.received_on if offer else None)
        self.answer_by.write(offer.answer_by if offer else None)
        self.currency.write(offer.currency if offer else (salary.currency if salary else ""))
        self.base.write(offer.base if offer else None)
        bonus = offer.bonus if offer else None
        self.bonus_percent.write(bonus.target_percent if bonus else None)
        self.bonus_amount.write(bonus.amount if bonus else None)
        self.bonus_guaranteed.write(bonus.guaranteed if bonus else False)
        sign_on = offer.sign_on if offer else None
        self.sign_on.write(sign_on.amount if sign_on else None)
        self.clawback.write(sign_on.clawback_months if sign_on else None)
        grant = offer.equity[0] if offer and offer.equity else None
        self.kind.write(grant.kind if grant else EquityKind.RSU)
        for field, key in zip(
            self.grant_fields, ("value", "shares", "price", "strike"), strict=True
        ):
            field.write(getattr(grant, key) if grant else None)
        vesting = grant.vesting if grant else None
        self.vesting_years.write(vesting.years if vesting else None)
        self.cliff.write(vesting.cliff_months if vesting else None)
        self.every.write(vesting.every_months if vesting else None)
        self.refresh.write(offer.refresh_per_year if offer else None)
        benefits = offer.benefits if offer else None
        self.retirement.write(benefits.retirement_percent if benefits else None)
        self.benefits_value.write(benefits.yearly_value if benefits else None)
        self.pto.write(offer.pto_days if offer else None)
        self.hours.write(offer.hours_per_week if offer else None)
        self.start_on.write(offer.start_on if offer else None)
        self.remote.write(offer.remote if offer else "")
        self.notes.write(offer.notes if offer else "")

    @staticmethod
    def _typed(*fields: Field) -> bool:
        return any(
            f.widget.value is True or (isinstance(f.widget.value, str) and f.widget.value.strip())
            for f in fields
        )

    def offer_touched(self) -> bool:
        """Whether anything of an offer is typed (the currency alone, filled in from the salary
        range, is not yet an offer)."""
        others = [f for f in self.watched if f not in (self.currency, self.kind)]
        return self._typed(*others)

    def collect(self, data: dict[str, Any], collector: Collector) -> None:
        if not self.offer_touched():
            data["offer"] = None
            return
        offer = data.get("offer") or {}
        data["offer"] = offer
        where = ("offer",)
        for key, field in (
            ("received_on", self.received_on),
            ("answer_by", self.answer_by),
            ("currency", self.currency),
            ("base", self.base),
            ("refresh_per_year", self.refresh),
            ("pto_days", self.pto),
            ("hours_per_week", self.hours),
            ("start_on", self.start_on),
            ("remote", self.remote),
            ("notes", self.notes),
        ):
            collector.put(data, (*where, key), field)
        collector.fields[where] = self.answer_by  # the answer before the offer arrived

        if self._typed(self.bonus_percent, self.bonus_amount, self.bonus_guaranteed):
            offer["bonus"] = offer.get("bonus") or {}
            collector.put(data, (*where, "bonus", "target_percent"), self.bonus_percent)
            collector.put(data, (*where, "bonus", "amount"), self.bonus_amount)
            collector.put(data, (*where, "bonus", "guaranteed"), self.bonus_guaranteed)
            collector.fields[(*where, "bonus")] = self.bonus_amount  # given both ways
        else:
            offer["bonus"] = None

        if self._typed(self.sign_on, self.clawback):
            offer["sign_on"] = offer.get("sign_on") or {}
            collector.put(data, (*where, "sign_on", "amount"), self.sign_on)
            collector.put(data, (*where, "sign_on", "clawback_months"), self.clawback)
        else:
            offer["sign_on"] = None

        offer["benefits"] = offer.get("benefits") or {}
        collector.put(data, (*where, "benefits", "retirement_percent"), self.retirement)
        collector.put(data, (*where, "benefits", "yearly_value"), self.benefits_value)

        grants = list(offer.get("equity") or [])
        if self._typed(*self.grant_fields, *self.vesting_fields):
            grant = grants[0] if grants else {}
            grants[:1] = [grant]
            offer["equity"] = grants
            at = (*where, "equity", 0)
            collector.put(data, (*at, "kind"), self.kind)
            for key, field in zip(
                ("value", "shares", "price", "strike"), self.grant_fields, strict=True
            ):
                collector.put(data, (*at, key), field)
            grant["vesting"] = grant.get("vesting") or {}
            collector.put(data, (*at, "vesting", "years"), self.vesting_years)
            collector.put(data, (*at, "vesting", "cliff_months"), self.cliff)
            collector.put(data, (*at, "vesting", "every_months"), self.every)
            collector.fields[(*at, "vesting")] = self.cliff  # a cliff after the last year
            options = self.kind.widget.value is EquityKind.OPTIONS
            collector.fields[at] = self.shares if options else self.value  # how it is priced
        else:
            offer["equity"] = grants[1:]

    def section(self, opportunity: Opportunity) -> Any:
        return opportunity.offer

    def after_save(self) -> None:
        self.start.value = guidance(
            GUIDE_START if self.opportunity.offer is None else GUIDE_OFFER
        ).value
        self.show_view()

    def show_view(self) -> None:
        """The offer's value by year, its chart and verdict, and where to go next."""
        self.view.value = view_html(self.workbook, self.opportunity)


def _view(workbook: Workbook, opportunity: Opportunity) -> OfferView | None:
    if opportunity.offer is None:
        return None
    loaded = workbook.load()
    others = [o for o in loaded.opportunities if o.id != opportunity.id]
    settings, _ = workbook.settings_or_defaults()
    return view_of(opportunity.id, [opportunity, *others], settings)


def links_html(opportunity: Opportunity) -> str:
    """Where to go next: the drafts that answer the offer, and the comparison."""
    label = "the Compare page" if in_app() else NOTEBOOKS["compare"]
    compare = link_html(label, page_link("compare", opportunity.id))
    return (
        f"<p>Drafts to counter, ask for more time, accept or decline are on "
        f"{mention('follow_up', opportunity.id)}. How this opportunity ranks among the others "
        f"is on {compare}; every offer side by side: <code>followup offers --format html</code>."
        "</p>"
    )


def view_html(workbook: Workbook, opportunity: Opportunity) -> str:
    """What shows below the form: nothing to value yet, or the offer year by year."""
    try:
        view = _view(workbook, opportunity)
    except FollowupError as exc:
        return f"<p>The offer could not be valued: {esc(exc)}</p>"
    if view is None:
        body = "<p>Once the offer is recorded, its value year by year shows here.</p>"
    else:
        body = (
            f"<style>{compare_tables.TABLE_CSS}</style>"
            f"<h3 style='margin:8px 0 4px'>Year by year, in {esc(view.valued.currency)}</h3>"
            f"{offer_body_html(view)}"
        )
    return f"<div>{body}{links_html(opportunity)}</div>"


def summary_html(opportunity: Opportunity) -> str:
    """A read-only view of the offer, for headless runs."""
    parts = [f"<h3>Offer · {esc(opportunity.title)}</h3>"]
    if opportunity.offer is None:
        parts.append("<p><i>No offer recorded.</i></p>")
        return "\n".join(parts)
    view = view_of(opportunity.id, [opportunity])
    if view is not None:
        parts.append(f"<style>{compare_tables.TABLE_CSS}</style>{offer_body_html(view)}")
    return "\n".join(parts)


def notebook(
    data_dir: str = "",
    opportunity_id: str = "",
    now: str = "",
    *,
    interactive: bool = True,
    autosave_seconds: float | None = AUTOSAVE_SECONDS,
) -> Any:
    """What 09_offer.ipynb shows: the form and the offer's value, or a read-only summary when
    headless."""
    return form_notebook(
        data_dir,
        opportunity_id,
        now,
        key="offer",
        make_form=OfferForm,
        summary=lambda o, moment, book: summary_html(o),
        interactive=interactive,
        autosave_seconds=autosave_seconds,
    )
