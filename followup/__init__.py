"""followup: a workbook for the days after a job interview.

Layers, from the inside out: `model` and `rules` (pure), `store` (files), then the faces
(`cli`, forms, batch reports).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("followup")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
