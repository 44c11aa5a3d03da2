"""Drafts as files: `.eml` messages any mail program opens, and plain text for cards.

Built with the standard library's `email` package: proper headers, names in any script (RFC 2047,
or raw UTF-8 when an address itself is not ASCII), a quoted-printable UTF-8 body, and `X-Unsent: 1`
so mail programs that know it open the file as a draft to edit and send. Writes are atomic.
"""

from __future__ import annotations

import base64
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

from followup.core.errors import UsageError
from followup.drafts.compose import Draft, DraftKind, header_problem
from followup.storage.files import atomic_write

#: Says who has no address, in the file itself, when a draft cannot be addressed.
PROBLEM_HEADER = "X-Followup-Problem"
#: How `.eml` files are read back: headers kept exactly as written, never decoded and refolded.
READ_BACK = policy.SMTPUTF8.clone(refold_source="none")
#: UTF-8 bytes per RFC 2047 encoded word: 45 bytes make 60 base64 characters, a 72-character word.
_WORD_BYTES = 45


def _check(label: str, value: str) -> None:
    why = header_problem(value)
    if why:
        raise UsageError(
            f"{label} {value!r} {why}; refused, because it could add lines to the email's headers"
        )


def _plain(value: str) -> bool:
    """True when `value` can stand in a header as it is: short printable ASCII, no encoded word."""
    return value.isascii() and value.isprintable() and "=?" not in value and len(value) <= 900


def _encoded_words(value: str) -> str:
    """`value` as base64 RFC 2047 encoded words, split on character boundaries.

    A reader decodes them once, back to exactly `value`: an encoded word inside `value` stays text.
    """
    words, chunk = [], b""
    for char in value:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += data
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _text(value: str) -> str:
    """An unstructured header value (a subject): as it is when plain, else encoded words."""
    return value if _plain(value) else _encoded_words(value)


def _mailbox(name: str, email: str) -> str:
    """'"Name" <address>', the name quoted when plain, else encoded; the address as it is."""
    _check("address", email)
    if "=?" in email or not parseaddr(f"<{email}>")[1] == email:
        raise UsageError(f"address {email!r} is not a plain email address; refused")
    if not name:
        return f"<{email}>"
    if _plain(name):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{email}>'
    return f"{_encoded_words(name)} <{email}>"


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


def eml_bytes(draft: Draft, *, sender: str | None = None) -> bytes:
    """The draft as the bytes of an `.eml` file, addressed when an address is known.

    The header lines are written here, one per header, from values that are either plain
    printable ASCII or base64 encoded words: whatever a name, a subject or a sender holds
    (line breaks, an encoded word that decodes to one), it cannot add a header. The standard
    library would decode such words and write what they hide as real lines.
    """
    if draft.kind is DraftKind.CARD:
        raise UsageError(
            f"{draft.title}: a handwritten card is not an email; write it as text instead"
        )
    for label, value in (("recipient", draft.to_name), ("subject", draft.subject)):
        _check(label, value)
    headers: list[tuple[str, str]] = []
    frm = sender_address(sender)
    if frm is not None:
        headers.append(("From", _mailbox(*frm)))
    if draft.to_email:
        headers.append(("To", _mailbox(draft.to_name, draft.to_email)))
    headers.append(("Subject", _text(draft.subject)))
    headers.append(("X-Unsent", "1"))
    if draft.problem:
        _check("problem", draft.problem)
        headers.append((PROBLEM_HEADER, _text(draft.problem)))
    body = EmailMessage(policy=policy.SMTP)
    body.set_content(draft.body, charset="utf-8", cte="quoted-printable")
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("utf-8")
    data = head + body.as_bytes()
    _same_headers(data, [name for name, _ in headers] + list(body.keys()), draft)
    return data


def _same_headers(data: bytes, expected: list[str], draft: Draft) -> None:
    """Parse the bytes back: exactly the headers written, or refuse (a last line of defence)."""
    found = BytesParser(policy=READ_BACK).parsebytes(data, headersonly=True).keys()
    if found != expected:
        raise UsageError(
            f"{draft.title}: the email's headers came out as {found}, expected {expected}; "
            "refused to write it"
        )


def message_for(draft: Draft, *, sender: str | None = None) -> EmailMessage:
    """The draft as an email message, parsed back from the bytes `write_eml` writes.

    Its `as_bytes()` gives those bytes again: headers are kept as written (READ_BACK).
    """
    message = BytesParser(policy=READ_BACK).parsebytes(eml_bytes(draft, sender=sender))
    assert isinstance(message, EmailMessage)
    return message


def write_eml(draft: Draft, folder: Path, *, sender: str | None = None) -> Path:
    """Write the draft as `<folder>/<file_stem>.eml`; returns the path."""
    data = eml_bytes(draft, sender=sender)
    path = Path(folder) / f"{draft.file_stem()}.eml"
    atomic_write(path, data)
    return path


def write_text(draft: Draft, folder: Path) -> Path:
    """Write the draft as `<folder>/<file_stem>.txt` (for cards, or to print); returns the path."""
    path = Path(folder) / f"{draft.file_stem()}.txt"
    atomic_write(path, draft.as_text().encode("utf-8"))
    return path
