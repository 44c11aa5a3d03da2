"""Preparing for the next round: the question bank, story suggestions, the prep sheet's content
and spaced practice. Pure: values in, values out; no files, no widgets, no clock."""
