"""The checklist's steps, one module each, and the registry every face iterates."""
