"""Reports: one notebook per round run by papermill on warm kernels, and the pages around them."""
