"""How a page names and links another page: by its name in the app, by its notebook in JupyterLab.

Someone using the app never sees a notebook file: 'the Debrief page', linked, and opening on the
same opportunity. In JupyterLab the same words link the notebook file.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from followup.app.address import OPPORTUNITY, in_app
from followup.forms.page import NOTEBOOKS

#: Links read as links in the app too, whose page style makes them look like plain text.
LINK_STYLE = "color:#1565c0;text-decoration:underline"

#: Each page's name as a person reads it, in the order of the checklist.
PAGE_NAMES = {
    "dashboard": "Dashboard",
    "interview": "Interview",
    "debrief": "Debrief",
    "reflect": "Reflect and salary",
    "follow_up": "Follow up",
    "prepare": "Prepare",
    "practice": "Practice",
    "offer": "Offer",
    "compare": "Compare",
}


def page_link(key: str, opportunity_id: str = "") -> str:
    """The address of another page; in the app it names the opportunity, so bookmarks work."""
    name = NOTEBOOKS[key]
    if opportunity_id and in_app():
        return f"{name}?{urlencode({OPPORTUNITY: opportunity_id})}"
    return name


def link_html(label: str, href: str) -> str:
    return f"<a style='{LINK_STYLE}' href='{html.escape(href)}'>{html.escape(label)}</a>"


def mention(key: str, opportunity_id: str = "") -> str:
    """'the Debrief page', linked (in the app), or the notebook's file name (in JupyterLab)."""
    href = page_link(key, opportunity_id)
    label = f"the {PAGE_NAMES[key]} page" if in_app() else NOTEBOOKS[key]
    return link_html(label, href)


def nav_html(current: str, opportunity_id: str = "") -> str:
    """Links to the dashboard and to the other steps of the same opportunity."""
    items = []
    for key, name in PAGE_NAMES.items():
        if key == current:
            items.append(f"<b aria-current='page'>{html.escape(name)}</b>")
        else:
            items.append(link_html(name, page_link(key, opportunity_id)))
    return (
        "<nav class='followup-nav' aria-label='Pages' style='margin:2px 0 8px'>"
        + " · ".join(items)
        + "</nav>"
    )
