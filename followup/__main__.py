"""`python -m followup` is the same as the `followup` command (both start here).

Ctrl-C while Python is still importing the CLI ends the command with one line and exit code 130,
like Ctrl-C at any later moment: nothing has been written yet, so there is nothing to clean up.

`followup report` starts its kernel zygote (followup/zygote.py) before anything else, so that the
zygote's imports (about a second) run beside the CLI's own imports, loading and hashing: a re-run
after one change is one report, and its kernel is forked from this zygote. A run that needs no
kernel here ends the zygote at once (`batch.run`), as does the exit of this process.
"""

import atexit
import contextlib
import os
import signal
import sys


def _interrupted_while_starting(signum: int, frame: object) -> None:
    sys.stderr.write("followup: interrupted\n")
    sys.stderr.flush()
    os._exit(130)


def run() -> None:
    """The `followup` command: install the early Ctrl-C handler, then hand over to the CLI."""
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    report = sys.argv[1:2] == ["report"]
    if report:
        from followup.reports.zygote import prestart

        prestart(spare=False)
    from followup.cli.commands import main

    code = main()
    # The work is done and its exit code known: a Ctrl-C now would only kill the interpreter's
    # teardown (exit -2, after its handlers are gone), so it is not listened to any more.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if report:
        _exit_now(code)
    sys.exit(code)


def _exit_now(code: int) -> None:
    """Exit as `sys.exit` would, minus the interpreter's teardown of every module and object.

    After a report that teardown (papermill, nbconvert, zmq and their objects) took 0.15-0.25 s,
    a tenth of a re-run. Every file is written and closed by then; the exit handlers (which end
    the zygote and flush logging) still run, and the standard streams are flushed.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
