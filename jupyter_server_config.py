# Read by `jupyter lab --config=<this file>`: every notebook is saved without its
# outputs, so your answers never end up inside the notebook files.
c.ContentsManager.pre_save_hook = "followup.app.lab.keep_clean"
# A notebook opens as its kernel will see it: untouched, closing it asks nothing.
c.ServerApp.contents_manager_class = "followup.app.lab.CleanContentsManager"
