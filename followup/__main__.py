"""`python -m followup` is the same as the `followup` command (both start here).

Ctrl-C while Python is still importing the CLI ends the command with one line and exit code 130,
like Ctrl-C at any later moment: nothing has been written yet, so there is nothing to clean up.

`followup report` starts its kernel zygote (followup/zygote.py) before anything else, so that the
zygote's imports (about a second) run beside the CLI's own imports, loading and hashing: a re-run
after one change is one report, and its kernel is forked from this zygote. A run that needs no
kernel here ends the zygote at once (`batch.run`), as does the exit of this process.
"""

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
    if sys.argv[1:2] == ["report"]:
        from followup.zygote import prestart

        prestart(spare=False)
    from followup.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
