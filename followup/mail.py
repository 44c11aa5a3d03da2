"""Drafts as files: `.eml` messages any mail program opens, and plain text for cards.

Built with the standard library's `email` package: proper headers, names in any script (RFC 2047,
or raw UTF-8 when an address itself is not ASCII), a quoted-printable UTF-8 body, and `X-Unsent: 1`
so mail programs that know it open the file as a draft to edit and send. Writes are atomic.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from followup.drafts import Draft, DraftKind, header_problem
from followup.errors import UsageError
from followup.store import atomic_write

#: Says who has no address, in the file itself, when a draft cannot be addressed.
PROBLEM_HEADER = "X-Followup-Problem"


def _check(label: str, value: str) -> None:
    why = header_problem(value)
    if why:
        raise UsageError(
            f"{label} {value!r} {why}; refused, because it could add lines to the email's headers"
        )


def _address(name: str, email: str) -> Address | str:
    if email.isascii():
        local, _, domain = email.rpartition("@")
        return Address(display_name=name, username=local, domain=domain)
    # Address() refuses a non-ASCII local part; SMTPUTF8 messages carry it as it is.
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{email}>' if name else email


def format_sender(name: str | None, email: str | None) -> str | None:
    """'"Name" <address>' for the From header, or the bare address, or None without one."""
    if not email:
        return None
    if not name:
        return email
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{email}>'


def sender_address(sender: str | None) -> tuple[str, str] | None:
    """('Name', 'address') from 'Name <address>' or 'address'; None when there is no address."""
    if not sender:
        return None
    _check("sender", sender)
    name, email = parseaddr(sender)
    if "@" not in email:
        return None
    return name, email


def message_for(draft: Draft, *, sender: str | None = None) -> EmailMessage:
    """The draft as an email message, addressed when an address is known."""
    if draft.kind is DraftKind.CARD:
        raise UsageError(
            f"{draft.title}: a handwritten card is not an email; write it as text instead"
        )
    for label, value in (("recipient", draft.to_name), ("subject", draft.subject)):
        _check(label, value)
    frm = sender_address(sender)
    addresses = [draft.to_email or "", frm[1] if frm else ""]
    utf8 = not all(a.isascii() for a in addresses)
    message = EmailMessage(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
    if frm is not None:
        message["From"] = _address(*frm)
    if draft.to_email:
        _check("address", draft.to_email)
        message["To"] = _address(draft.to_name, draft.to_email)
    message["Subject"] = draft.subject
    message["X-Unsent"] = "1"
    if draft.problem:
        _check("problem", draft.problem)
        message[PROBLEM_HEADER] = draft.problem
    message.set_content(draft.body, charset="utf-8", cte="quoted-printable")
    return message


def write_eml(draft: Draft, folder: Path, *, sender: str | None = None) -> Path:
    """Write the draft as `<folder>/<file_stem>.eml`; returns the path."""
    data = message_for(draft, sender=sender).as_bytes()
    path = Path(folder) / f"{draft.file_stem()}.eml"
    atomic_write(path, data)
    return path


def write_text(draft: Draft, folder: Path) -> Path:
    """Write the draft as `<folder>/<file_stem>.txt` (for cards, or to print); returns the path."""
    path = Path(folder) / f"{draft.file_stem()}.txt"
    atomic_write(path, draft.as_text().encode("utf-8"))
    return path
