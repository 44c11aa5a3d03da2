"""`python -m followup` is the same as the `followup` command (both start here).

Ctrl-C while Python is still importing the CLI ends the command with one line and exit code 130,
like Ctrl-C at any later moment: nothing has been written yet, so there is nothing to clean up.
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
    from followup.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
