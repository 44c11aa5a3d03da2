"""The loader, fuzzed: mutated example files load as an opportunity or fail as one clear problem.

Never another exception, whatever the bytes. The examples are fixed and derandomized in CI.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.core.errors import InvalidRecord
from followup.core.model import Opportunity
from followup.storage.files import parse_opportunity
from followup.storage.workbook import Workbook
from strategies import opportunities
from support import EXAMPLE, in_ci

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*/*.yaml"))}

#: Pieces that YAML and the model treat specially, to splice into the files.
SNIPPETS = [
    "2026-02-30",
    "2026-13-45T10:00:00+01:00",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    ".inf",
    "-.nan",
    "~",
    "&a ",
    "*a",
    "<<: ",
    "!!binary ",
    "!!set ",
    "!!python/object:os.system ",
    "? ",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "|",
    ">",
    "#",
    "\t",
    "\n",
    "  ",
    "\x00",
    "\ufeff",
    "=?utf-8?q?=0D=0ABcc:_x@example.com?=",
    "status: active\n",
    "id: other\n",
    "0x1F",
    "1e400",
    "yes",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(TEXTS)))
    text = TEXTS[name]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "repeat-line", "value"]))
        piece = draw(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8)))
        lines = text.splitlines(keepends=True)
        index = draw(st.integers(0, len(lines) - 1))
        if action == "repeat-line":
            lines.insert(index, lines[index])
            text = "".join(lines)
            continue
        if action == "value":
            key, colon, _ = lines[index].partition(": ")
            lines[index] = f"{key}{colon or ': '}{piece}\n"
            text = "".join(lines)
            continue
        if action == "insert":
            text = text[:at] + piece + text[at:]
        else:
            end = min(len(text), at + draw(st.integers(1, 40)))
            text = text[:at] + (piece if action == "replace" else "") + text[end:]
    return name, text


FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=in_ci(),
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(mutated())
def test_a_mutated_example_loads_or_is_one_problem_naming_the_file(case):
    name, text = case
    path = Path("/workbook/opportunities") / name
    try:
        opportunity = parse_opportunity(text, path)
    except InvalidRecord as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert exc.path == path
    else:
        assert isinstance(opportunity, Opportunity)
        assert opportunity.id == path.stem


@settings(max_examples=40, deadline=None, derandomize=in_ci())
@given(st.lists(mutated(), min_size=1, max_size=3), st.binary(max_size=64))
def test_a_workbook_of_mutated_files_loads_every_good_one(tmp_path_factory, cases, junk):
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "opportunities"
    folder.mkdir()
    names = set()
    for name, text in cases:
        (folder / name).write_text(text, encoding="utf-8")
        names.add(name)
    (folder / "junk.yaml").write_bytes(junk)
    loaded = Workbook(root).load()
    reported = {p.path.name for p in loaded.problems}
    stored = {f"{i}.yaml" for i in loaded.stored}
    assert reported | stored == names | {"junk.yaml"}
    assert not reported & stored
    for problem in loaded.problems:
        assert problem.message.startswith(str(problem.path))


@settings(max_examples=30, deadline=None, derandomize=in_ci())
@given(opportunities())
def test_a_saved_opportunity_loads_back_equal_from_disk(tmp_path_factory, opportunity):
    book = Workbook(tmp_path_factory.mktemp("saved") / "workbook")
    book.save(opportunity)
    assert book.get(opportunity.id).opportunity == opportunity
    assert book.load().opportunities == [opportunity]
