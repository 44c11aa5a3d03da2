"""The `followup` command: a thin layer that parses, calls the API and renders."""
