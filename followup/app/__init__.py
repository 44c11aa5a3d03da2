"""The app: the notebooks served by Voila as pages, and what a page reads of its address."""
