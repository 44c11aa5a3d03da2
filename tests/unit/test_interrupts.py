"""Ctrl-C reaches the command line in one piece: never lost, never inside Python's import lock."""

from __future__ import annotations

import random
import select
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from followup.cli.interrupts import Interrupted, in_import_locks, interrupt, interrupts_raised


def frame_in(filename: str):
    code = compile("import sys\nframe = sys._getframe()", filename, "exec")
    scope: dict = {}
    exec(code, scope)
    return scope["frame"]


def wait_for_interrupt(seconds: float = 2.0) -> float:
    """Sleep in small steps until `Interrupted` arrives; return how long that took."""
    start = time.monotonic()
    with pytest.raises(Interrupted):
        while time.monotonic() - start < seconds:
            time.sleep(0.001)
    return time.monotonic() - start


def test_only_the_import_machinerys_locking_code_counts():
    assert in_import_locks(frame_in("<frozen importlib._bootstrap>"))
    assert not in_import_locks(frame_in("<frozen importlib._bootstrap_external>"))
    assert not in_import_locks(frame_in(__file__))
    assert not in_import_locks(None)


def test_a_ctrl_c_inside_the_import_locks_arrives_a_moment_later():
    with interrupts_raised():
        assert interrupt(signal.SIGINT, frame_in("<frozen importlib._bootstrap>")) is None
        assert wait_for_interrupt() < 1.0
    with interrupts_raised(), pytest.raises(Interrupted):
        interrupt(signal.SIGINT, frame_in(__file__))


def test_a_ctrl_c_that_python_would_swallow_is_sent_again(capfd):
    class Dropped:
        def __del__(self):  # what a signal landing in a finaliser looks like
            interrupt(signal.SIGINT, sys._getframe())

    with interrupts_raised():
        Dropped()
        assert wait_for_interrupt() < 1.0
    assert "Exception ignored" not in capfd.readouterr().err


def test_the_handlers_are_put_back_afterwards():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM), sys.unraisablehook
    with interrupts_raised():
        assert signal.getsignal(signal.SIGINT) is interrupt
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM)) == before[:2]
    assert sys.unraisablehook is before[2]


#: A process that imports in two threads without pause while its parent sends it Ctrl-C after
#: Ctrl-C. For each one it catches, it checks that another thread can still import (Python's
#: import lock was not left held) and answers "ok".
CHILD = textwrap.dedent(
    """
    import importlib, os, sys, threading
    from followup.cli.interrupts import interrupts_raised

    def churn():
        while True:
            for i in range(50):
                importlib.import_module(f"churn{i}")
                sys.modules.pop(f"churn{i}", None)

    def can_import():
        done = []
        probe = threading.Thread(target=lambda: done.append(importlib.import_module("json")))
        sys.modules.pop("json", None)
        probe.start()
        probe.join(5)
        return bool(done)

    threading.Thread(target=churn, daemon=True).start()
    with interrupts_raised():
        print("ready", flush=True)
        while True:
            try:
                churn()
            except KeyboardInterrupt:
                print("ok" if can_import() else "the import lock was left held", flush=True)
    """
)


def test_a_stream_of_ctrl_c_never_leaves_the_import_lock_held(tmp_path):
    for i in range(50):
        (tmp_path / f"churn{i}.py").write_text(f"value = {i}\n", encoding="utf-8")
    (tmp_path / "child.py").write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(tmp_path / "child.py")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answers = []
    try:
        assert child.stdout.readline().strip() == "ready"
        for _ in range(120):
            time.sleep(random.uniform(0.002, 0.03))  # land anywhere in the import loop
            child.send_signal(signal.SIGINT)
            if not select.select([child.stdout], [], [], 5)[0]:
                answers.append("no answer: the Ctrl-C was lost")
                break
            answers.append(child.stdout.readline().strip())
            if answers[-1] != "ok":
                break
    finally:
        child.kill()
        _, err = child.communicate()
    assert set(answers) == {"ok"}, (answers[-1], err[-2000:])
    assert "Exception ignored" not in err, err[-2000:]
