"""The warm zygote: a process that imports what a report kernel needs once, then forks kernels.

Run as `python -m followup.reports.zygote [MODULE...]` by `Zygote` (below), the modules named
being imported too (the app's pages need the forms, not the report); it reads one JSON request
per line on stdin (a connection file, an environment, a working folder), forks, and answers with
the kernel's pid. The child becomes an ordinary IPython kernel for that connection file, with
the imports done. The zygote imports nothing from papermill or jupyter_client, so it starts as
fast as a kernel does.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import signal
import subprocess
import sys
import threading
from typing import Any

#: What the zygote imports before it forks kernels: what report.ipynb and an IPython kernel need.
PRELOAD: tuple[str, ...] = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.display",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib_inline.backend_inline",
    "pandas",
    "followup.reports.round_report",
)
_INLINE = "module://matplotlib_inline.backend_inline"


class ZygoteError(RuntimeError):
    """The zygote process could not give a kernel."""


def _serve(extra: tuple[str, ...] = ()) -> None:
    """Import once, then hand out a kernel for each request line; exit when stdin closes.

    A request names the kernel's environment, working folder and socket folder. The answer is
    the kernel's pid and connection info. While a report runs in one kernel, the next one is
    already forked and starting (the *spare*): it is handed out if the next request asks for the
    same environment and folder, else it is ended and a kernel is forked for that request.
    """
    # What a fresh ipykernel would set before anything imports matplotlib.
    os.environ.setdefault("MPLBACKEND", _INLINE)
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    for name in extra:  # a page that cannot import fails on its own, not every page with it
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    # Kernels share the imported objects with the zygote until they write to them; keeping the
    # garbage collector off them spares each kernel a private copy of their memory.
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped by the system
    out = sys.stdout
    spare: tuple[str, dict[str, Any]] | None = None  # (what it was made for, its answer)
    try:
        out.write("ready\n")
        out.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            keep_spare = request.pop("spare", True)
            wanted = json.dumps(request, sort_keys=True)
            if spare is not None and spare[0] == wanted and _alive(spare[1]["pid"]):
                answer = spare[1]
            else:
                if spare is not None:
                    _end(spare[1])
                answer = _fork(request)
            spare = None
            out.write(json.dumps(answer) + "\n")
            out.flush()
            if keep_spare:
                spare = (wanted, _fork(request))
    except OSError:
        pass  # the process that asked went away (its Ctrl-C, say): nobody to answer
    finally:
        if spare is not None:
            _end(spare[1])
    os._exit(0)  # nothing to tidy: skip the interpreter's teardown of pandas and friends


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _end(answer: dict[str, Any]) -> None:
    """Stop a spare kernel nobody used and remove its sockets."""
    with contextlib.suppress(OSError):
        os.kill(answer["pid"], signal.SIGKILL)
    info = answer["connection"]
    for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
        with contextlib.suppress(OSError):
            os.unlink(f"{info['ip']}-{info[name]}")


def _fork(request: dict[str, Any]) -> dict[str, Any]:
    """Fork a kernel for `request` and return its pid and connection info."""
    import secrets

    name = secrets.token_hex(6)
    connection = {
        "transport": "ipc",
        "ip": os.path.join(request["socket_dir"], name),
        "shell_port": 1,
        "iopub_port": 2,
        "stdin_port": 3,
        "control_port": 4,
        "hb_port": 5,
        "key": secrets.token_hex(16),
        "signature_scheme": "hmac-sha256",
        "kernel_name": request.get("kernel_name", "python3"),
    }
    connection_file = os.path.join(request["socket_dir"], f"{name}.json")
    descriptor = os.open(connection_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(connection, handle)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        _become_kernel(request, connection_file)
    return {"pid": pid, "connection": connection}


def _become_kernel(request: dict[str, Any], connection_file: str) -> None:
    code = 1
    try:
        os.setsid()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # interrupts reach the kernel
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _die_with_parent()
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(2, 1)
        os.close(null)
        sys.stdin = open(os.devnull)  # noqa: SIM115 - replaces the zygote's request pipe
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.setdefault("MPLBACKEND", _INLINE)
        # As jupyter_client's launcher does: the kernel quits when its parent (the zygote) does.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        os.chdir(request["cwd"])
        sys.argv = [
            "followup-kernel",
            "-f",
            connection_file,
            f"--IPKernelApp.parent_handle={os.getppid()}",
        ]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        widgets = sys.modules.get("ipywidgets")
        if widgets is not None:  # imported before this kernel existed: its comms were not set up
            widgets.register_comm_target()
        with contextlib.suppress(OSError):
            os.unlink(connection_file)  # read; the kernel manager keeps its own copy
        app.start()
        code = 0
    finally:
        os._exit(code)


def _die_with_parent() -> None:
    """Ask Linux to kill this kernel if the zygote goes away (no stray kernels after a crash)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# The parent side


class Zygote:
    """A running zygote process, asked for kernels one at a time."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        """`preload`: modules to import besides PRELOAD, before any kernel is forked."""
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "followup.reports.zygote", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,  # Ctrl-C reaches its parent, which ends it
        )
        self._ready = False
        #: Start the next kernel while a report runs (off for a run of one report).
        self.spare = True

    def wait_ready(self) -> None:
        if self._ready:
            return
        line = self.process.stdout.readline() if self.process.stdout else ""
        if line.strip() != "ready":
            raise ZygoteError(f"the kernel zygote did not start (exit code {self.process.poll()})")
        self._ready = True

    def kernel(self, env: dict[str, str], cwd: str, socket_dir: str) -> dict[str, Any]:
        """A started kernel for this environment and folder: its pid and connection info."""
        with self._lock:
            self.wait_ready()
            assert self.process.stdin is not None and self.process.stdout is not None
            request = {"env": env, "cwd": cwd, "socket_dir": socket_dir, "spare": self.spare}
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
            except OSError as exc:
                raise ZygoteError(f"the kernel zygote went away: {exc}") from exc
            try:
                return json.loads(line)
            except ValueError:
                raise ZygoteError("the kernel zygote went away") from None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if not self._ready:
            # Never asked for a kernel, maybe still importing: nothing to finish, and waiting for
            # its imports would make a run that needed no kernel as slow as one that did.
            with contextlib.suppress(OSError):
                self.process.kill()
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def zygote() -> Zygote:
    """This process's zygote, started on first use (and again if it died)."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive:
            _zygote = Zygote()
            atexit.register(_zygote.close)
        return _zygote


def prestart(spare: bool = True) -> None:
    """Start the zygote now, so its imports overlap with whatever the caller does next.

    `spare=False` when only one kernel will be asked for: no next kernel is started ahead.
    """
    zygote().spare = spare


def stop() -> None:
    """End this process's zygote if one was started (it is started again on next use)."""
    global _zygote
    with _zygote_lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None


if __name__ == "__main__":
    _serve(tuple(sys.argv[1:]))
