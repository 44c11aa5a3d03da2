"""The "Your search" page (notebooks/06_search.ipynb): the stats page's content for a notebook."""

from __future__ import annotations

import html


def search_html(data_dir: str = "", now: str = "", since: str = "") -> str:
    """The search's numbers and charts as HTML, what to do today first; files that could not be
    read are named above it (blank `data_dir`: $FOLLOWUP_DATA, else ./data; blank `now`: the
    clock, or the app's `--now`)."""
    import os

    from followup.app.address import NOW_VARIABLE, request_query
    from followup.clock import parse_now
    from followup.search import page
    from followup.search.figures import load_figures
    from followup.search.stats import compute
    from followup.storage.workbook import Workbook, resolve_data_dir

    request_query()  # in the app: wait for the page's request before reading the workbook
    moment = parse_now(now or os.environ.get(NOW_VARIABLE, ""), field="now")
    since_day = parse_now(since, field="since").date() if since else None
    book = Workbook(resolve_data_dir(data_dir or None))
    loaded = book.load()
    settings, _ = book.settings_or_defaults()
    stats = compute(loaded.opportunities, moment.date(), since_day)
    today = page.today_steps(loaded.opportunities, moment, settings)
    problems = "".join(
        f"<p class='followup-figure'>Skipped a file that could not be read: "
        f"{html.escape(str(p))}</p>"
        for p in loaded.problems
    )
    return problems + page.fragment_html(stats, load_figures(), today)
