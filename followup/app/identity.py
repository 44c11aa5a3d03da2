"""Who may use the app: the token's holder, as in Jupyter, and the page's closing beacon.

A page being closed sends Voilà a beacon that stops its kernel at once. Like any POST it must pass
Jupyter's cross-site check (XSRF): it carries the value of the `_xsrf` cookie, which Voilà's pages
never set. `PageIdentity` sets it, the way JupyterLab's pages do, on each page the token's holder
opens, so a closed page's kernel stops at once while the check stays on.
"""

from __future__ import annotations

from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.identity import PasswordIdentityProvider
from tornado.websocket import WebSocketHandler


class PageIdentity(PasswordIdentityProvider):
    """Jupyter's token check, which also gives an authenticated page its XSRF cookie."""

    async def get_user(self, handler: Any) -> Any:  # type: ignore[override]
        user = await ensure_async(super().get_user(handler))
        if (
            user is not None
            and handler.request.method == "GET"
            and not isinstance(handler, WebSocketHandler)
        ):
            handler.current_user = user  # as Jupyter sets it next; the token reads it
            handler.xsrf_token  # noqa: B018 - reading it sets the cookie when it is missing
        return user
