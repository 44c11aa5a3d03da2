"""The forms behind the notebooks: one module per step of the checklist.

`dashboard` (00), `interview` (01), `debrief` (02), `reflect` (03) and `follow_up` (04) each have a
`notebook(...)` entry point that a notebook cell calls with its parameters: interactively it returns
the ipywidgets form, headless (papermill with `interactive=False`) a read-only HTML summary.
Shared pieces: `values` (reading what is typed), `fields` (labelled fields with their error line),
`editor` (load, autosave, save), `conflicts` (two writers on one file), `rows` (repeated rows)
and `page` (the picker, the status line, a notebook's entry helpers).
"""
