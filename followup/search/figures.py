"""Published figures and rules of thumb, shown with their source and year beside your numbers.

They live in `figures.yaml` (package data), so a figure is changed or added without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from followup.core.errors import InvalidRecord

RULE_OF_THUMB = "rule of thumb"
_FIELDS = ("key", "value", "unit", "what", "source", "year", "beside")


@dataclass(frozen=True)
class Figure:
    """One figure: its value and unit, what was measured, by whom (or 'rule of thumb'), when."""

    key: str
    value: str
    unit: str
    what: str
    source: str
    year: int | None
    beside: str

    @property
    def cited(self) -> str:
        """'source, year', or 'rule of thumb'."""
        if self.source == RULE_OF_THUMB:
            return RULE_OF_THUMB
        return f"{self.source}, {self.year}" if self.year else self.source

    def line(self) -> str:
        """The figure in one line, with where it comes from."""
        return f"{self.value} {self.unit}: {self.what} ({self.cited})"


def parse_figures(text: str, path: Path) -> list[Figure]:
    """The figures of a `figures.yaml` text; InvalidRecord naming the entry and field otherwise."""
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise InvalidRecord(f"{path}: not readable as YAML: {exc}", path=path) from None
    entries = data.get("figures") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InvalidRecord(f"{path}: expected a list under 'figures'", path=path, field="figures")
    found = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InvalidRecord(f"{path}: figure {number}: expected a mapping", path=path)
        missing = [name for name in _FIELDS if name not in entry]
        if missing:
            raise InvalidRecord(
                f"{path}: figure {number}: missing {', '.join(missing)}",
                path=path,
                field=missing[0],
            )
        year = entry["year"]
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise InvalidRecord(
                f"{path}: figure {number}: year: expected a year such as 2015 or null, "
                f"got {year!r}",
                path=path,
                field="year",
            )
        if year is None and entry["source"] != RULE_OF_THUMB:
            raise InvalidRecord(
                f"{path}: figure {number}: a cited source needs its year", path=path, field="year"
            )
        found.append(
            Figure(
                key=str(entry["key"]),
                value=str(entry["value"]),
                unit=str(entry["unit"]),
                what=" ".join(str(entry["what"]).split()),
                source=str(entry["source"]),
                year=year,
                beside=str(entry["beside"]),
            )
        )
    return found


def load_figures() -> list[Figure]:
    """The figures shipped with the package."""
    source = resources.files("followup.search").joinpath("figures.yaml")
    return parse_figures(source.read_text(encoding="utf-8"), Path(str(source)))


def beside(figures: list[Figure], place: str) -> list[Figure]:
    """The figures meant to be shown beside `place` (a duration's name, 'activity')."""
    return [f for f in figures if f.beside == place]
