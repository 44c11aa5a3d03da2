"""Writing what an import planned: the one place `followup import` and the forms save it.

`followup.invite` and `followup.tracker` read files into plans (pure values); this writes the
planned opportunities through the store's public API, a few at once to hide the disk's latency
(each file is written atomically and synced). A new opportunity is created, never overwriting one;
a changed one is saved against the version it was planned from, so a change made in between is
refused rather than lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

from followup.invite import Planned
from followup.store import Workbook

#: How many files an import writes at once.
WRITERS = 8


def write_plans(book: Workbook, plans: Iterable[Planned], versions: Mapping[str, str]) -> list[str]:
    """Write every changed plan; `versions` are the versions the plans were made from, by id.
    Returns the ids written, in the plans' order."""
    changes = [p for p in plans if p.changed]

    def write(plan: Planned) -> str:
        if plan.created:
            book.create(plan.opportunity)
        else:
            book.save(plan.opportunity, base_version=versions[plan.opportunity.id])
        return plan.opportunity.id

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        return list(pool.map(write, changes))
