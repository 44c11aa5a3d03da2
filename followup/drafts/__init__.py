"""Drafts of the notes the checklist asks for, and the same as files a mail program opens."""
