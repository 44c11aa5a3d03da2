"""The pure core: the model, the checklist's rules, merging, and how values read.

No files, no widgets, no clock: the current time is always a parameter.
"""
