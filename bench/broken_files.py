"""How fast is a badly broken file reported?

Builds opportunity files with 50, 500 and 5,000 field errors, then times, in this one process,
validating each (`parse_opportunity`, which names every error's line) against only parsing the same
text with PyYAML's C safe loader (the floor for any loader). Prints times and ratios; it asserts
nothing (these machines are noisy). Each file should take well under a second.

    .venv/bin/python bench/broken_files.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

from followup.core.errors import InvalidRecord
from followup.storage.files import parse_opportunity


def broken_text(errors: int) -> str:
    lines = ["id: broken", "company: Broken Ltd", "rounds:"]
    for n in range(errors):
        lines += [f"- name: Round {n}", "  duration_minutes: -1"]
    return "\n".join(lines) + "\n"


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def validate(text: str) -> int:
    try:
        parse_opportunity(text, Path("broken.yaml"))
    except InvalidRecord as exc:
        return len(str(exc).splitlines())
    raise AssertionError("the broken file loaded")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'errors':>7} {'yaml only':>10} {'validate':>10} {'ratio':>6}")
    for errors in (50, 500, 5000):
        text = broken_text(errors)
        assert validate(text) == errors
        floor, _ = best(lambda t=text: yaml.load(t, Loader=yaml.CSafeLoader), args.repeat)
        took, median = best(lambda t=text: validate(t), args.repeat)
        print(
            f"{errors:>7} {floor:>9.3f}s {took:>9.3f}s {took / floor:>5.1f}x"
            f"  (median {median:.3f}s)"
        )


if __name__ == "__main__":
    main()
