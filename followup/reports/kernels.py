"""Kernels that talk over Unix sockets, so parallel report runs never race for TCP ports.

Two kernels started at once over TCP sometimes pick the same free port (papermill #511,
jupyter_client #487): one dies with "Address already in use". With the IPC transport each kernel
gets its own socket files under a private folder, named uniquely per kernel, so there is nothing to
race for. `shared/NOTES.md` has the measurements.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum, default

#: A Unix socket path must stay under about 107 bytes; leave room for the '-<port>' suffix.
_MAX_SOCKET_PREFIX = 90


def socket_dir() -> Path:
    """A folder only this user can enter, short enough for socket paths."""
    candidates = [Path(tempfile.gettempdir()), Path("/tmp")]
    for base in candidates:
        folder = base / f"followup-kernels-{os.getuid()}"
        if len(str(folder)) + 14 > _MAX_SOCKET_PREFIX:
            continue
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            if folder.stat().st_uid != os.getuid() or not os.access(folder, os.W_OK):
                continue
            folder.chmod(0o700)
        except OSError:
            continue
        return folder
    raise OSError("no private temporary folder is available for kernel sockets")


class IPCKernelManager(AsyncKernelManager):
    """An AsyncKernelManager (what nbclient uses) on IPC sockets, pinned to this interpreter."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """Run an IPython kernel on this very interpreter, where `followup` is installed.

        A `python3` kernel spec in the user's own Jupyter folder would otherwise win over the
        virtualenv's, and its Python may not have `followup` at all.
        """
        cmd = super().format_kernel_cmd(extra_arguments)
        if len(cmd) > 2 and cmd[1] == "-m" and cmd[2].startswith("ipykernel"):
            cmd[0] = sys.executable
        return cmd

    @default("ip")
    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        return str(socket_dir() / uuid.uuid4().hex[:12])
