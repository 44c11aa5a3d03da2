"""A papermill engine whose kernels start warm: forked from a process that has done the imports.

A report kernel used to pay, every time, for starting Python, IPython and ipykernel and for
importing pandas, matplotlib and `followup`: about three quarters of each report. Here a *zygote*
process pays that once: it imports everything a report needs, then waits. Each kernel is a `fork()`
of it, so it starts with the imports done, yet it is a new process: whatever a report does to its
globals, to a module's state, to matplotlib or to the working directory dies with its kernel, and
the next report starts from the zygote's clean state. A kernel that fails or is killed is simply
never reused.

The pieces, each a documented extension point of its library:
  - `ZygoteProvisioner`, a jupyter_client provisioner that asks the zygote for a kernel instead of
    running the kernel command;
  - `WarmKernelManager`, the IPC kernel manager (see kernels.py) using that provisioner;
  - `WarmEngine`, a papermill engine using that manager, registered as `followup` under the
    `papermill.engine` entry-point group, so `papermill --engine followup` works too.
One zygote serves one process (a batch worker, or the CLI for a single report); it exits when that
process does.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import subprocess
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from followup.reports.kernels import IPCKernelManager, socket_dir
from followup.reports.zygote import Zygote, zygote

ENGINE_NAME = "followup"


class ForkedKernel:
    """The bits of `subprocess.Popen` a provisioner uses, for a kernel the zygote forked.

    The kernel is the zygote's child, not ours: liveness is checked with signal 0, and the
    system reaps it (the zygote ignores SIGCHLD).
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # the pid was reused by someone else's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ZygoteProvisioner(LocalProvisioner):
    """Launches a kernel by forking the warm zygote instead of running the kernel command."""

    def source(self) -> Zygote:
        """The zygote to fork from: this process's report zygote (the app has its own)."""
        return zygote()

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env.pop("JPY_PARENT_PID", None)
        # In a thread: a zygote still importing must not hold up the server's event loop.
        answer = await asyncio.to_thread(self.source().kernel, env, cwd, str(socket_dir()))
        pid = answer["pid"]
        self.connection_info = {**answer["connection"], "key": answer["connection"]["key"].encode()}
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid  # the kernel calls setsid(): its group is its own
        self.cwd = cwd
        return self.connection_info


class WarmKernelManager(IPCKernelManager):
    """A kernel manager on IPC sockets whose kernels are forked from the warm zygote."""

    #: Who starts the kernel (the app's pages fork from a zygote of their own).
    provisioner_class: type[ZygoteProvisioner] = ZygoteProvisioner

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or os.urandom(8).hex()
            self.provisioner = self.provisioner_class(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


def __getattr__(name: str) -> Any:
    """`WarmEngine` is built on first use: papermill loads this module through its entry point
    while papermill itself is still being imported, so nothing here may import papermill first."""
    if name == "WarmEngine":
        return warm_engine()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def warm_engine() -> type:
    """papermill's nbclient engine, with kernels forked from the warm zygote."""
    from papermill.engines import NBClientEngine

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, with kernels forked from the warm zygote."""

        @classmethod
        def execute_managed_notebook(
            cls, nb_man: Any, kernel_name: str, keep_at: str | None = None, **kwargs: Any
        ) -> Any:
            """`keep_at`: where to write the notebook as far as it ran when the run breaks off
            (a killed kernel, a timeout), which papermill itself only saves for an error in a
            cell."""
            kwargs.setdefault("kernel_manager_class", WarmKernelManager)
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except Exception as exc:
                if keep_at:
                    keep_as_far_as_it_ran(nb_man.nb, exc, keep_at)
                raise

    return WarmEngine


def keep_as_far_as_it_ran(nb: Any, exc: BaseException, path: str) -> None:
    """Write `nb` with the outputs it has, the cell it stopped in marked failed with `exc` as
    its error, so the person can open the report and see how far it got. Best effort: a failure
    to write leaves the report's own error to be told."""
    import nbformat

    started = [c for c in nb.cells if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    if started:  # the last cell papermill started is the one the run stopped in
        cell = started[-1]
        cell.metadata.papermill.update(status="failed", exception=True)
        text = str(exc).strip().splitlines()
        cell.setdefault("outputs", []).append(
            nbformat.v4.new_output(
                "error",
                ename=type(exc).__name__,
                evalue=text[0] if text else "",
                traceback=[f"{type(exc).__name__}: the run stopped in this cell"],
            )
        )
    nb.metadata.setdefault("papermill", {})["exception"] = True
    with contextlib.suppress(OSError, ValueError, nbformat.ValidationError):
        nbformat.write(nb, path)


def register() -> str:
    """Make the engine known to papermill in this process (the entry point does it for the CLI)."""
    from papermill.engines import papermill_engines

    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, warm_engine())
    return ENGINE_NAME
