"""How long does `followup offers` take to value many offers? Ratios, not seconds.

Makes N offers (default 200) with a few grants each, then in this one run measures:
  - valuing every offer (`offers_view`: the pandas frame and the verdict against every other
    offer) / validating the same records with the model (what any command pays to read them);
  - each output format (table, csv, json, html with its charts) / valuing alone.
Prints the ratios; asserts nothing (these machines are noisy).

    .venv/bin/python bench/offers.py [--offers 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from followup.core.model import Opportunity, Settings
from followup.offers import tables


def records(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    made = []
    for i in range(count):
        currency = rng.choice(["EUR", "USD", "GBP"])
        base = rng.randrange(40_000, 200_000, 1000)
        grants = [
            {"value": rng.randrange(0, 300_000, 1000), "vesting": {"cliff_months": 12}}
            for _ in range(rng.randint(0, 2))
        ]
        grants.append(
            {"kind": "options", "shares": 1000, "price": 10, "strike": rng.randint(1, 20)}
        )
        made.append(
            {
                "id": f"offer-{i}",
                "company": f"Company {i}",
                "status": "offer",
                "salary_range": {"currency": currency, "minimum": base * 0.9, "target": base * 1.1},
                "offer": {
                    "currency": currency,
                    "base": base,
                    "bonus": {"target_percent": rng.randint(0, 20)},
                    "equity": grants,
                    "refresh_per_year": rng.choice([0, 10_000]),
                    "hours_per_week": 40,
                    "pto_days": 25,
                },
            }
        )
    return made


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = records(args.offers)
    settings = Settings(home_currency="EUR", rates={"USD": 0.9, "GBP": 1.15})
    opportunities = [Opportunity.model_validate(r) for r in data]

    validate = best(args.repeat, lambda: [Opportunity.model_validate(r) for r in data])
    value = best(args.repeat, lambda: tables.offers_view(opportunities, settings=settings))
    print(f"{args.offers} offers, best of {args.repeat}")
    print(f"valuing every offer / validating the records: {value / validate:.1f}×")
    views = tables.offers_view(opportunities, settings=settings)
    for form in ("table", "csv", "json", "html"):
        took = best(
            1 if form == "html" else args.repeat,
            lambda form=form: tables.render(views, form),
        )
        print(f"--format {form} / valuing: {took / value:.2f}×")
    print(f"(valuing took {value / args.offers * 1000:.1f} ms an offer here, for scale only)")


if __name__ == "__main__":
    main()
