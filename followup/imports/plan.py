"""Writing what an import planned: the one place `followup import` and the forms save it.

`followup.imports.invite` and `followup.imports.tracker` read files into plans (pure values); this
writes the planned opportunities through the store's public API. New opportunities are created
together, never overwriting one; a changed one is saved against the version it was planned from, so
a change made in between is refused rather than lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

from followup.imports.invite import Planned
from followup.storage.files import opportunity_bytes
from followup.storage.workbook import Workbook

#: How many files an import writes at once.
WRITERS = 8


def write_plans(book: Workbook, plans: Iterable[Planned], versions: Mapping[str, str]) -> list[str]:
    """Write every changed plan; `versions` are the versions the plans were made from, by id.
    Returns the ids written, in the plans' order.

    New opportunities are created together (all of them or none, with one sync of the disk);
    changed ones are then saved one by one, a few at once. A file the workbook could not read
    back (TooLarge) is refused before anything is written, so such an import writes nothing.
    """
    changes = [p for p in plans if p.changed]
    for plan in changes:
        if not plan.created:  # `create_many` checks the new ones before it places any
            opportunity_bytes(
                plan.opportunity,
                book.path_for(plan.opportunity.id),
                outcome="nothing was imported",
            )
    book.create_many([p.opportunity for p in changes if p.created])

    def write(plan: Planned) -> None:
        book.save(plan.opportunity, base_version=versions[plan.opportunity.id])

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(write, [p for p in changes if not p.created]))
    return [p.opportunity.id for p in changes]
