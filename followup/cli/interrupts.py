"""Ctrl-C (and SIGTERM) for the command line: an exception in the main thread, raised only where
Python can unwind it cleanly.

A signal handler runs between any two bytecodes of the main thread. Two of those places must not
see an exception:

- Python's import machinery, between taking its global import lock and the `try` that releases
  it (`_get_module_lock`'s weak-reference callback, for one). An exception there leaves the lock
  held, and every later import in another thread waits forever: `followup report` hung instead
  of stopping. A signal that lands in that part of the machinery is sent again a moment later,
  until it lands outside.
- A weak-reference callback or a `__del__` method: Python prints "Exception ignored in …" with a
  traceback and carries on, so the Ctrl-C would be lost. Such an interrupt is sent again, quietly.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

#: How long a deferred signal waits before it is sent again, in seconds.
RETRY_AFTER = 0.02

#: Where Python's import machinery takes and gives back its locks (reading and compiling files,
#: where most of an import's time goes, is in `<frozen importlib._bootstrap_external>`).
_IMPORT_LOCKS = "<frozen importlib._bootstrap>"

#: Whether a signal can be delivered again later (an interval timer; not on Windows).
_CAN_RETRY = hasattr(signal, "setitimer")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM, raised as a subclass so that CPython does not re-kill the process at exit.

    CPython remembers a plain KeyboardInterrupt that escaped code run through `exec` of a string
    (imports, dataclasses) and then ends the process by SIGINT even after we handled it, which
    turns our exit code 130 into -2 at random.
    """

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum


def in_import_locks(frame: FrameType | None) -> bool:
    """Whether `frame` is the part of Python's import machinery that handles its locks.

    Only the innermost frame counts: an exception raised while a file is read, or in the body
    of a module being imported, is an import that fails, which the machinery cleans up after.
    Most of an import's time is spent there, so a Ctrl-C during a long import is not held back
    until it ends.
    """
    return frame is not None and frame.f_code.co_filename == _IMPORT_LOCKS


def send_again(signum: int) -> None:
    """Deliver `signum` to the main thread again after `RETRY_AFTER` seconds.

    An interval timer (SIGALRM), not a helper thread: a thread started from inside the import
    machinery could wait forever for its own start.
    """
    _deferred[:] = [signum]
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, RETRY_AFTER)


#: The signal that `send_again` will deliver when its timer goes off.
_deferred: list[int] = []


def _alarm(alarm: int, frame: FrameType | None) -> None:
    interrupt(_deferred.pop() if _deferred else signal.SIGINT, frame)


def interrupt(signum: int, frame: FrameType | None) -> None:
    """The signal handler: raise `Interrupted`, unless the main thread is in the import locks."""
    if _CAN_RETRY and in_import_locks(frame):
        send_again(signum)
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def interrupts_raised() -> Iterator[None]:
    """Within the block, Ctrl-C raises `Interrupted` in the main thread, and one that Python would
    swallow (raised inside a `__del__` or a weak-reference callback) is sent again.

    Outside the main thread (a test calling `cli.main` from a worker) nothing changes: only the
    main thread can install a signal handler.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous_handler = signal.signal(signal.SIGINT, interrupt)
    previous_alarm = signal.getsignal(signal.SIGALRM) if _CAN_RETRY else None
    previous_hook = sys.unraisablehook

    def unraisable(report: sys.UnraisableHookArgs) -> None:
        if _CAN_RETRY and isinstance(report.exc_value, Interrupted):
            send_again(report.exc_value.signum)
        else:
            previous_hook(report)

    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        signal.signal(signal.SIGINT, previous_handler)
        if previous_alarm is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_alarm)
