# Read by `jupyter lab --config=<this file>`: every notebook is saved without its
# outputs, so your answers never end up inside the notebook files.
c.ContentsManager.pre_save_hook = "followup.app.lab.keep_clean"
