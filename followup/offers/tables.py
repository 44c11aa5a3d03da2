"""Every offer side by side, as `followup offers` shows it: a terminal table, CSV, JSON or a page.

`offers_view` values each offer (`followup.offers.value`) and says how it measures up
(`followup.offers.verdict`); the renderers below only lay that out. CSV cells are guarded against
spreadsheet formulas and the page escapes every bit of the person's text; its charts are PNGs
embedded in the page, so it opens with no network.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from followup.compare import tables
from followup.compare.ranking import Money
from followup.core import formats
from followup.core.model import Opportunity, Settings
from followup.offers import value
from followup.offers.value import DEFAULT_SCENARIOS, DEFAULT_YEARS, BonusBasis
from followup.offers.verdict import Valued, verdict, worth

#: The order the parts of a year are stacked in the chart, with their colours.
STACK = (
    ("base", "#3b6ea5"),
    ("bonus", "#7fa7d1"),
    ("sign_on", "#e0a030"),
    ("benefits", "#8cb369"),
    ("equity", "#b5651d"),
)


@dataclass(frozen=True)
class OfferView:
    """One offer, valued, and the sentences saying how it measures up."""

    valued: Valued
    lines: list[str]

    @property
    def opportunity(self) -> Opportunity:
        return self.valued.opportunity

    @property
    def frame(self) -> pd.DataFrame:
        return self.valued.frame


def with_offers(opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    """The opportunities with an offer recorded, in id order."""
    return sorted((o for o in opportunities if o.offer is not None), key=lambda o: o.id)


def offers_view(
    opportunities: Iterable[Opportunity],
    *,
    years: int = DEFAULT_YEARS,
    scenarios: Sequence[float] = DEFAULT_SCENARIOS,
    bonus: BonusBasis = BonusBasis.TARGET,
    settings: Settings | None = None,
) -> list[OfferView]:
    """Each offer valued over `years` in each equity scenario, with its verdict."""
    money = Money.from_settings(settings)
    valued = [
        Valued(o, value.value_frame(o.offer, years, scenarios, bonus))
        for o in with_offers(opportunities)
    ]
    return [
        OfferView(v, verdict(v, [w for w in valued if w is not v], money, bonus)) for v in valued
    ]


# JSON


def to_json(views: Sequence[OfferView]) -> list[dict[str, Any]]:
    """A list of offers: id, company, role, currency, years (the rows) and verdict (sentences)."""
    return [
        {
            "id": v.opportunity.id,
            "company": v.opportunity.company,
            "role": v.opportunity.role,
            "currency": v.valued.currency,
            "years": value.rows(v.frame),
            "verdict": v.lines,
        }
        for v in views
    ]


# CSV


CSV_COLUMNS = ["id", "company", "currency", "year", "scenario", *value.PARTS, "total", "per_hour"]


def to_csv(views: Sequence[OfferView]) -> str:
    """One line per offer, year and scenario; formula-looking text is neutralised."""
    rows = []
    for v in views:
        for record in v.frame.to_dict("records"):
            per_hour = record["per_hour"]
            rows.append(
                [
                    v.opportunity.id,
                    v.opportunity.company,
                    v.valued.currency,
                    int(record["year"]),
                    value.scenario_name(record["scenario"]),
                    *(_money(record[p]) for p in value.PARTS),
                    _money(record["total"]),
                    None if pd.isna(per_hour) else round(float(per_hour), 2),
                ]
            )
    return tables.csv_text(CSV_COLUMNS, rows)


def _money(amount: float) -> float:
    return round(float(amount), 2)


# Terminal


def _readable(frame: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    spread = value.wide(frame)
    columns = [str(c).replace("_", "-") for c in spread.columns]
    body = [[int(r[0]), *(_money(x) for x in r[1:])] for r in spread.itertuples(index=False)]
    return columns, body


def heading(view: OfferView) -> str:
    """'Fjord Energy · Energy Market Analyst (fjord-energy-analyst), in NOK'."""
    o = view.opportunity
    return f"{o.title} ({o.id}), in {view.valued.currency}"


def to_text(views: Sequence[OfferView]) -> str:
    """For a terminal: per offer its heading, the table by year and the verdict lines."""
    if not views:
        return "No offers recorded yet: add an 'offer:' to an opportunity's file.\n"
    parts = []
    for v in views:
        columns, body = _readable(v.frame)
        lines = "\n".join(f"- {line}" for line in v.lines)
        parts.append(f"{heading(v)}\n{tables.text(columns, body)}\n{lines}\n")
    return "\n".join(parts)


# Page


def chart_png(view: OfferView, scenario: float = 1.0) -> bytes:
    """A stacked bar per year (equity at `scenario`, or the nearest scenario shown) as PNG."""
    from matplotlib.figure import Figure

    frame = view.frame
    shown = min(frame["scenario"].unique(), key=lambda s: abs(s - scenario))
    rows = frame[frame["scenario"] == shown].sort_values("year")
    figure = Figure(figsize=(6.4, 3.2), dpi=96, layout="constrained")
    axes = figure.subplots()
    bottom = [0.0] * len(rows)
    labels = [f"Year {int(y)}" for y in rows["year"]]
    for part, colour in STACK:
        heights = [float(x) for x in rows[part]]
        axes.bar(labels, heights, bottom=bottom, color=colour, label=part.replace("_", "-"))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel(view.valued.currency)
    axes.yaxis.set_major_formatter(lambda x, _: formats.number(x))
    axes.set_title(f"Each year, with the equity {worth(float(shown))}", fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.legend(loc="outside lower center", ncol=len(STACK), fontsize=8, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Your offers side by side</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto;
  padding: 0 1rem; }}
{table_css}
figure {{ margin: 0.5em 0; }} img {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>Your offers side by side</h1>
{body}
</body></html>
"""


def to_html(views: Sequence[OfferView]) -> str:
    """A standalone page: per offer a chart, its table and its verdict (no scripts, no network)."""
    if not views:
        body = "<p>No offers recorded yet: add an <code>offer:</code> to an opportunity's file.</p>"
        return _PAGE.format(table_css=tables.TABLE_CSS, body=body)
    parts = [
        f'<section id="offer-{html.escape(v.opportunity.id)}">'
        f"<h2>{html.escape(heading(v))}</h2>{offer_body_html(v)}</section>"
        for v in views
    ]
    return _PAGE.format(table_css=tables.TABLE_CSS, body="\n".join(parts))


def offer_body_html(view: OfferView) -> str:
    """One offer's chart (an embedded PNG), its table by year and its verdict as a list: what the
    page above, the app's Offer page and a round's report all show of an offer."""
    columns, body = _readable(view.frame)
    data = base64.b64encode(chart_png(view)).decode("ascii")
    alt = html.escape(f"{view.opportunity.company}: each year's pay stacked by part")
    items = "".join(f"<li>{html.escape(line)}</li>" for line in view.lines)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}"></figure>'
        f"{tables.html(columns, body)}<ul>{items}</ul>"
    )


def side_by_side_html(
    opportunities: Iterable[Opportunity], settings: Settings | None = None
) -> str:
    """The offers side by side for a page (the app's Compare page): per offer its years stacked
    by part, its table and its verdict against what you want and the other offers; nothing
    while none is recorded."""
    views = offers_view(opportunities, settings=settings)
    if not views:
        return ""
    parts = [f"<h3>{html.escape(heading(v))}</h3>{offer_body_html(v)}" for v in views]
    style = f"<style>{tables.TABLE_CSS}</style>"
    return style + "<h2>Your offers, year by year</h2>" + "".join(parts)


def view_of(
    opportunity_id: str, opportunities: Iterable[Opportunity], settings: Settings | None = None
) -> OfferView | None:
    """The offer of `opportunity_id` valued with its verdict, beside every other offer in
    `opportunities`; None when it has no offer."""
    for view in offers_view(opportunities, settings=settings):
        if view.opportunity.id == opportunity_id:
            return view
    return None


def render(views: Sequence[OfferView], form: str) -> str:
    """The offers as `form`: table, csv, json or html."""
    if form == "csv":
        return to_csv(views)
    if form == "json":
        import json

        return json.dumps(to_json(views), indent=2, ensure_ascii=False) + "\n"
    if form == "html":
        return to_html(views)
    return to_text(views)
