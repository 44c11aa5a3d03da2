"""The app's side inside a page's kernel: which opportunity the page address names.

Voilà hands a page's address to its kernel in the `QUERY_STRING` environment variable. A
preheated kernel (started before anyone asked for the page, so pages open at once) runs the
notebook up to the first call that needs the request and waits there: `request_query()` is that
call, and every notebook reaches it through `followup.forms.page.open_workbook` before it reads
the workbook, so a page never shows what the workbook held when its kernel was warmed up.
"""

from __future__ import annotations

import os
import time
from functools import cache
from typing import Any
from urllib.parse import parse_qs

#: Set by Voilà in every kernel it starts; "True" while the kernel was started ahead of a request.
PREHEAT_VARIABLE = "VOILA_PREHEAT"
#: How many times a warm page's kernel tries to reach the server for its request.
CONNECT_ATTEMPTS = 60
#: The query parameter naming the opportunity a page opens on.
OPPORTUNITY = "opportunity"
#: Set by `followup app --now`: every page acts as if it were that time.
NOW_VARIABLE = "FOLLOWUP_NOW"


def in_app() -> bool:
    """True inside a page of `followup app` (Voilà), False in JupyterLab and papermill runs."""
    return PREHEAT_VARIABLE in os.environ


@cache
def request_query() -> dict[str, str]:
    """The page address's query parameters (empty outside the app); waits for the request once."""
    if not in_app():
        return {}
    if os.environ.get(PREHEAT_VARIABLE) == "True":
        from voila.utils import wait_for_request

        # Voilà gives up connecting after 5 s (a busy machine), leaving the request unknown:
        # try again rather than show the workbook as it was when the kernel was warmed up.
        for _ in range(CONNECT_ATTEMPTS):
            wait_for_request()
            if "QUERY_STRING" in os.environ:
                break
            time.sleep(0.5)
    pairs = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=False)
    return {key: values[-1] for key, values in pairs.items() if values}


def page_opportunity() -> str:
    """The opportunity id the page address names (`?opportunity=ID`), or ''."""
    return request_query().get(OPPORTUNITY, "")


def comparison(data_dir: str = "", now: str = "") -> Any:
    """The comparison's inputs for 05_compare, read once the page's request has arrived."""
    from followup.compare import frames as compare

    request_query()
    return compare.load(data_dir, now or os.environ.get(NOW_VARIABLE, ""))
