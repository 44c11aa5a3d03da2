"""Three-way merge of an opportunity's fields, and a one-line summary of what changed.

Pure: JSON-like dicts in (`Opportunity.model_dump(mode="json")`), dicts out; no files, no clock.
The store uses it for every writer (forms, the CLI, scripts), so two people editing different
fields of one opportunity both keep their work; only an edit of one field on both sides is asked.

How values are matched:

- Mappings are merged key by key. A key changed on one side only takes that side; changed on both
  sides to the same value is no conflict; to different values it is a `Conflict`, and the merged
  data keeps *theirs* there until it is resolved (so nothing on disk is lost either way).
- Where the base has no value at all (a `timeline` first written on both sides), an empty value on
  one side ("", None, [], {}, False) counts as unchanged, so only what was really typed is compared.
- Lists are matched item by item, by identity where the model has one: rounds and interviewers by
  `name`, research topics by `topic`, dealbreakers by their text (see `IDENTITY`). An item whose
  identity changed at the same position (a renamed round) is matched with the item it replaced, so
  a rename merges like any other field. Other lists (the answers of a debrief) are matched by
  position, aligned so that an item inserted or deleted does not shift the others.
- Items added on either side are all kept (mine in my order, theirs after the item that precedes
  them in theirs); an item deleted on one side and unchanged on the other is deleted; deleted on one
  side and changed on the other is a `Conflict` (mine or theirs is then None).

`Conflict.path` is where the conflict sits in the caller's own ("mine") data; for an item that mine
deleted, the last index is where theirs' item sits in the merged list. Pass `resolutions`, a mapping
of such paths to "mine" or "theirs", to settle conflicts: they are then applied, not reported.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Path = tuple[str | int, ...]
Choice = Literal["mine", "theirs"]

#: Lists whose items have an identity: the field that names an item (None: the item itself).
IDENTITY: dict[str, str | None] = {
    "rounds": "name",
    "interviewers": "name",
    "research": "topic",
    "dealbreakers": None,
    "stages": None,
}
#: How one item of a list is called in a label ("answer 2").
_ITEM_NAMES = {
    "answers": "answer",
    "dealbreakers": "dealbreaker",
    "research": "research topic",
    "stages": "stage change",
}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Conflict:
    """One field changed differently on both sides."""

    path: Path
    label: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class MergeResult:
    """The merged data (theirs kept wherever there is a conflict) and the conflicts."""

    merged: dict
    conflicts: tuple[Conflict, ...]


def merge(
    base: dict,
    mine: dict,
    theirs: dict,
    *,
    resolutions: Mapping[tuple, Choice] | None = None,
) -> MergeResult:
    """Merge `mine` and `theirs`, both changed from `base` (see the module's docstring)."""
    state = _State(dict(resolutions or {}))
    merged = state.value(base, mine, theirs, (), ())
    return MergeResult(merged if isinstance(merged, dict) else {}, tuple(state.conflicts))


def _is_empty(value: Any) -> bool:
    return value is MISSING or value is None or value in ("", [], {}) or value is False


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return type(a) is type(b) and a == b


def _unchanged(side: Any, base: Any) -> bool:
    if base is MISSING:
        return _is_empty(side)
    return _same(side, base)


def _words(key: str) -> str:
    return key.replace("_", " ")


def _item_label(field: str, item: Any, index: int) -> str:
    key = IDENTITY.get(field, "")
    if key is None and isinstance(item, str):
        return f"{_ITEM_NAMES.get(field, 'item')} “{item}”"
    if key and isinstance(item, dict) and isinstance(item.get(key), str) and item[key]:
        return item[key]
    return f"{_ITEM_NAMES.get(field, _words(field))} {index + 1}"


def label_of(parts: tuple[str, ...]) -> str:
    return " › ".join(parts) or "(everything)"


@dataclass
class _Slot:
    """One item of a merged list: its value in each version (MISSING where it has none)."""

    base: Any = MISSING
    mine: Any = MISSING
    theirs: Any = MISSING
    mine_index: int | None = None


class _State:
    def __init__(self, resolutions: dict[tuple, Choice]):
        self.resolutions = resolutions
        self.conflicts: list[Conflict] = []

    def conflict(self, path: Path, label: tuple[str, ...], base: Any, mine: Any, theirs: Any):
        """The value to keep where both sides changed: theirs, unless resolved."""
        choice = self.resolutions.get(path)
        if choice == "mine":
            return mine
        if choice != "theirs":
            self.conflicts.append(
                Conflict(path, label_of(label), _none(base), _none(mine), _none(theirs))
            )
        return theirs

    def value(self, base: Any, mine: Any, theirs: Any, path: Path, label: tuple[str, ...]) -> Any:
        if _same(mine, theirs):
            return mine
        if _unchanged(mine, base):
            return theirs
        if _unchanged(theirs, base):
            return mine
        if isinstance(mine, dict) and isinstance(theirs, dict):
            return self.mapping(base if isinstance(base, dict) else None, mine, theirs, path, label)
        if isinstance(mine, list) and isinstance(theirs, list):
            base_list = base if isinstance(base, list) else []
            return self.sequence(base_list, mine, theirs, path, label)
        return self.conflict(path, label, base, mine, theirs)

    def mapping(
        self, base: dict | None, mine: dict, theirs: dict, path: Path, label: tuple[str, ...]
    ) -> dict:
        merged: dict = {}
        keys = list(mine) + [k for k in theirs if k not in mine]
        keys += [k for k in (base or {}) if k not in mine and k not in theirs]
        for key in keys:
            b = base.get(key, MISSING) if base is not None else MISSING
            child = (*label, _words(str(key)))
            value = self.value(
                b, mine.get(key, MISSING), theirs.get(key, MISSING), (*path, key), child
            )
            if value is not MISSING:
                merged[key] = value
        return merged

    def sequence(
        self, base: list, mine: list, theirs: list, path: Path, label: tuple[str, ...]
    ) -> list:
        field = str(path[-1]) if path else ""
        slots = _slots(field, base, mine, theirs)
        merged: list = []
        for slot in slots:
            index = slot.mine_index if slot.mine_index is not None else len(merged)
            item_path = (*path, index)
            shown = next(v for v in (slot.mine, slot.theirs, slot.base) if v is not MISSING)
            item_label = (*label[:-1], _item_label(field, shown, index))
            if slot.mine is not MISSING and slot.theirs is not MISSING:
                value = self.value(slot.base, slot.mine, slot.theirs, item_path, item_label)
            elif slot.base is MISSING:
                value = slot.mine if slot.mine is not MISSING else slot.theirs
            elif slot.mine is MISSING and slot.theirs is MISSING:
                value = MISSING
            elif slot.mine is MISSING:
                if _same(slot.theirs, slot.base):
                    value = MISSING
                else:
                    value = self.conflict(item_path, item_label, slot.base, MISSING, slot.theirs)
            elif _same(slot.mine, slot.base):
                value = MISSING
            else:
                value = self.conflict(item_path, item_label, slot.base, slot.mine, MISSING)
            if value is not MISSING:
                merged.append(value)
        return merged


def _none(value: Any) -> Any:
    return None if value is MISSING else value


def _canonical(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def _identity(field: str) -> Callable[[Any], Any] | None:
    if field not in IDENTITY:
        return None
    key = IDENTITY[field]
    if key is None:
        return lambda item: _canonical(item)
    return lambda item: item.get(key) if isinstance(item, dict) else _canonical(item)


def _keyed(items: list, identity: Callable[[Any], Any]) -> list[tuple[Any, int]]:
    """(identity, occurrence) for each item, so that duplicates stay apart."""
    seen: dict[Any, int] = {}
    keys = []
    for item in items:
        key = identity(item)
        seen[key] = seen.get(key, -1) + 1
        keys.append((key, seen[key]))
    return keys


def align(field: str, base: list, side: list) -> list[int | None]:
    """For each item of `side`, the index of the `base` item it is (None for an added item)."""
    identity = _identity(field)
    matched: list[int | None] = [None] * len(side)
    if identity is not None:
        base_keys = _keyed(base, identity)
        where = {key: i for i, key in enumerate(base_keys)}
        for i, key in enumerate(_keyed(side, identity)):
            matched[i] = where.get(key)
        taken = {m for m in matched if m is not None}
        for i in range(len(side)):  # a renamed item keeps its place
            if matched[i] is None and i < len(base) and i not in taken:
                matched[i] = i
                taken.add(i)
        return matched
    a = [_canonical(x) for x in base]
    b = [_canonical(x) for x in side]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("equal", "replace"):
            for offset in range(min(i2 - i1, j2 - j1)):
                matched[j1 + offset] = i1 + offset
    return matched


def _slots(field: str, base: list, mine: list, theirs: list) -> list[_Slot]:
    """The merged list's items in order: mine's order, theirs' additions after their predecessor."""
    mine_of = align(field, base, mine)
    theirs_of = align(field, base, theirs)
    slots: list[_Slot] = []
    by_base: dict[int, _Slot] = {}
    added_mine: dict[Any, _Slot] = {}
    identity = _identity(field)
    for i, (item, b) in enumerate(zip(mine, mine_of, strict=True)):
        slot = _Slot(mine=item, mine_index=i)
        if b is not None:
            slot.base = base[b]
            by_base[b] = slot
        elif identity is not None:
            added_mine.setdefault(identity(item), slot)
        slots.append(slot)
    for b, item in enumerate(base):
        if b not in by_base:  # deleted in mine: keep its place after its base predecessor
            slot = _Slot(base=item)
            by_base[b] = slot
            before = next((by_base[p] for p in range(b - 1, -1, -1) if p in by_base), None)
            slots.insert(slots.index(before) + 1 if before else 0, slot)
    previous: _Slot | None = None
    for item, b in zip(theirs, theirs_of, strict=True):
        if b is not None:
            slot = by_base[b]
        elif identity is not None and identity(item) in added_mine:
            slot = added_mine.pop(identity(item))
        else:
            slot = _Slot()
            slots.insert(slots.index(previous) + 1 if previous else 0, slot)
        slot.theirs = item
        previous = slot
    return slots


def changes(before: Any, after: Any, path: str = "", field: str = "") -> list[str]:
    """What changed from `before` to `after`, one short phrase per change.

    For example ["rounds[Round 1].interviewers: + Priya Raman",
    "timeline.decision_by: 2026-12-01 → 2026-12-03"].
    """
    if _same(before, after):
        return []
    if isinstance(after, dict) and _is_empty(before):
        before = {}
    if isinstance(before, dict) and _is_empty(after):
        after = {}
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for key in list(before) + [k for k in after if k not in before]:
            b, a = before.get(key, MISSING), after.get(key, MISSING)
            if _is_empty(b) and _is_empty(a):
                continue
            found += changes(b, a, f"{path}.{key}" if path else str(key), str(key))
        return found
    if isinstance(before, list) and isinstance(after, list):
        matched = align(field, before, after)
        found = []
        kept = {m for m in matched if m is not None}
        for b, item in enumerate(before):
            if b not in kept:
                found.append(f"{path}: − {_item_label(field, item, b)}")
        for i, (item, b) in enumerate(zip(after, matched, strict=True)):
            if b is None:
                found.append(f"{path}: + {_item_label(field, item, i)}")
            else:
                name = _item_label(field, item, i)
                found += changes(before[b], item, f"{path}[{name}]", field)
        return found
    return [f"{path}: {_short(before)} → {_short(after)}"]


def _short(value: Any, limit: int = 30) -> str:
    if _is_empty(value) and value is not False:
        return "(empty)"
    if isinstance(value, dict | list):
        text = _canonical(value)
    elif isinstance(value, str):
        text = value.replace("\n", " ")
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))  # 64000, not 64000.0
    else:
        text = json.dumps(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary(before: Any, after: Any, *, most: int = 4) -> str:
    """`changes` as one line, at most `most` of them and a count of the rest."""
    found = changes(before, after)
    if not found:
        return "no change"
    line = "; ".join(found[:most])
    if len(found) > most:
        line += f"; and {len(found) - most} more"
    return line
