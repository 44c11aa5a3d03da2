"""Repeated rows in a form (interviewers, answers, research topics): add, remove, save as a list."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from followup.forms.fields import Collector, Field, Loc, set_in

if TYPE_CHECKING:
    from followup.forms.editor import Editor


class RowList:
    """Rows the person can add and remove, each a dict of fields."""

    def __init__(
        self,
        editor: Editor,
        make_fields: Callable[[], dict[str, Field]],
        *,
        add_label: str,
        layout: Callable[[dict[str, Field]], list[w.Widget]] | None = None,
        empty_note: str = "",
    ):
        self.editor = editor
        self.make_fields = make_fields
        self.layout = layout or (lambda fields: [f.box for f in fields.values()])
        self.rows: list[dict[str, Field]] = []
        self.extra: list[dict[str, Any]] = []
        self.box = w.VBox([])
        self.empty_note = empty_note
        self.add_button = w.Button(
            description=add_label, icon="plus", layout=w.Layout(width="auto")
        )
        self.add_button.on_click(lambda _: self.add())
        self.widget = w.VBox([self.box, self.add_button])

    def _render(self) -> None:
        children: list[w.Widget] = []
        for index, fields in enumerate(self.rows):
            remove = w.Button(description="Remove", icon="trash", layout=w.Layout(width="auto"))
            actions = w.HBox([remove])
            remove.on_click(lambda _, i=index, box=actions: self.ask_remove(i, box))
            card = w.VBox(
                [*self.layout(fields), actions],
                layout=w.Layout(
                    border="1px solid #ddd", padding="6px", margin="0 0 6px 0", width="auto"
                ),
            )
            children.append(card)
        if not children and self.empty_note:
            children.append(w.HTML(f"<i style='color:#666'>{html.escape(self.empty_note)}</i>"))
        self.box.children = children

    def _new_row(self) -> dict[str, Field]:
        fields = self.make_fields()
        self.editor.watch(*fields.values())
        return fields

    def write(self, items: Sequence[Any]) -> None:
        """Show `items`; when the number of rows is unchanged the same inputs are reused, so a
        refresh never takes the cursor away from a row being typed in."""
        if len(items) == len(self.rows) and items:
            self.extra = []
            for fields, item in zip(self.rows, items, strict=True):
                values = item.model_dump() if hasattr(item, "model_dump") else dict(item)
                for key, field in fields.items():
                    field.write(values.get(key))
                self.extra.append({k: v for k, v in values.items() if k not in fields})
            return
        for fields in self.rows:
            self.editor.forget(*fields.values())
        self.rows = []
        self.extra = []
        for item in items:
            values = item.model_dump() if hasattr(item, "model_dump") else dict(item)
            fields = self._new_row()
            for key, field in fields.items():
                field.write(values.get(key))
            self.rows.append(fields)
            self.extra.append({k: v for k, v in values.items() if k not in fields})
        self._render()

    def add(self) -> dict[str, Field]:
        fields = self._new_row()
        self.rows.append(fields)
        self.extra.append({})
        self._render()
        self.editor.changed()
        return fields

    def row_name(self, index: int) -> str:
        """What a row is called when asking before removing it: its first field's text."""
        first = next(iter(self.rows[index].values()), None)
        value = first.widget.value if first is not None else ""
        text = " ".join(str(value).split()).rstrip(".?!") if isinstance(value, str) else ""
        return text if len(text) <= 60 else text[:59] + "…"

    def ask_remove(self, index: int, actions: w.HBox) -> None:
        """Ask before removing a row that holds something, naming it; a blank row just goes."""
        name = self.row_name(index)
        if not name:
            self.remove(index)
            return
        keep = w.Button(description="Keep it", layout=w.Layout(width="auto"))
        confirm = w.Button(
            description="Yes, remove", button_style="danger", layout=w.Layout(width="auto")
        )
        question = w.HTML(f"Remove <b>{html.escape(name)}</b>?")
        previous = actions.children
        keep.on_click(lambda _: setattr(actions, "children", previous))
        confirm.on_click(lambda _: self.remove(index))
        actions.children = [question, confirm, keep]

    def remove(self, index: int) -> None:
        self.editor.forget(*self.rows[index].values())
        del self.rows[index]
        del self.extra[index]
        self._render()
        self.editor.changed()

    def collect(
        self,
        data: Any,
        loc: Loc,
        collector: Collector,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Write the rows as a list at `loc`; rows that `keep` rejects (blank ones) are left out."""
        items: list[dict[str, Any]] = []
        for fields, extra in zip(self.rows, self.extra, strict=True):
            item: dict[str, Any] = dict(extra)
            index = len(items)
            for key, field in fields.items():
                collector.read_into(item, key, field, (*loc, index, key))
            if keep is None or keep(item):
                items.append(item)
            else:
                for key in fields:
                    collector.fields.pop((*loc, index, key), None)
        set_in(data, loc, items)
