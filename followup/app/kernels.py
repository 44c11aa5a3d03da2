"""The app's page kernels, forked from one process that has already imported the pages' code.

A page kernel started the usual way is a new Python that imports IPython, ipywidgets, pandas and
the forms: about 120 MB of its own and a few seconds of work, for every page opened. Here one
*zygote* process (the report engine's, `followup/reports/zygote.py`, told to import the forms too)
pays that once; each page kernel is a `fork()` of it. The imported code stays shared between all
of them (copy-on-write), so a kernel costs only what its page adds, and it starts in a moment.
Each kernel is still a process of its own: a page's state dies with it.

Voilà is given `PageKernels` as its kernel manager class (`VoilaConfiguration.
multi_kernel_manager_class`); Voilà adds its pool of warm kernels on top, and jupyter_server's
idle cull still stops the kernels of closed pages.
"""

from __future__ import annotations

import atexit
import importlib.util
import pkgutil
import threading

from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    ServerKernelManager,
)
from traitlets import default

from followup.reports.engine import WarmKernelManager, ZygoteProvisioner
from followup.reports.zygote import Zygote

#: What a page kernel needs beyond a report kernel's imports: what IPython's kernel imports as it
#: starts (its debugger, completer, inspector) and the pages' own code.
PAGE_PRELOAD: tuple[str, ...] = (
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "pydoc",
    "ipywidgets",
    "voila.utils",
    "followup.app.address",
    "followup.compare.frames",
)


def page_modules() -> tuple[str, ...]:
    """PAGE_PRELOAD and every module of `followup.forms`, so a new page's form is shared too."""
    spec = importlib.util.find_spec("followup.forms")
    folders = list(spec.submodule_search_locations or []) if spec else []
    forms = sorted(f"followup.forms.{m.name}" for m in pkgutil.iter_modules(folders))
    return PAGE_PRELOAD + tuple(forms)


_zygote: Zygote | None = None
_lock = threading.Lock()


def page_zygote() -> Zygote:
    """The server's zygote for page kernels, started on first use (and again if it died).

    It ends when the server does: its requests come on a pipe from the server, and it exits
    when that pipe closes; its kernels are killed by the system when it exits.
    """
    global _zygote
    with _lock:
        if _zygote is None or not _zygote.alive:
            _zygote = Zygote(page_modules())
            _zygote.spare = False  # each page kernel's environment differs: none could be reused
            atexit.register(_zygote.close)
        return _zygote


class PageProvisioner(ZygoteProvisioner):
    """Starts a page kernel by forking the page zygote."""

    def source(self) -> Zygote:
        return page_zygote()


class PageKernel(WarmKernelManager, ServerKernelManager):
    """One page's kernel: jupyter_server's kernel manager (activity, culling), on IPC sockets,
    forked from the page zygote."""

    provisioner_class = PageProvisioner


class PageKernels(AsyncMappingKernelManager):
    """jupyter_server's kernel manager for the app, whose kernels are `PageKernel`s."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        page_zygote()  # start importing now, while the server gets ready

    @default("kernel_manager_class")
    def _default_kernel_manager_class(self) -> str:
        return f"{__name__}.PageKernel"
