"""Development mail: printed to the console readably and kept under .data/mail, one message per pair of files.

``NAME.eml`` is the message as it would go out (base64 or quoted-printable bodies, encoded headers); ``NAME.txt``
beside it has the headers and the plain-text body decoded, so an invitation link sits whole on one line and can be
copied. The console shows the decoded text too.
"""

import sys
import uuid
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.utils import timezone

RULE = "-" * 79


def readable(message: EmailMessage) -> str:
    """The message as a person reads it: decoded headers, the plain-text body, and the names of attachments."""
    lines = [
        f"From: {message.from_email}",
        f"To: {', '.join(message.to)}",
        *([f"Reply-To: {', '.join(message.reply_to)}"] if message.reply_to else []),
        f"Subject: {message.subject}",
        "",
        message.body.rstrip("\n"),
    ]
    names = [name for name in (getattr(item, "filename", None) for item in message.attachments) if name]
    if names:
        lines += ["", *(f"[attached: {name}]" for name in names)]
    return "\n".join(lines) + "\n"


class ConsoleAndFileEmailBackend(FileBackend):
    def send_messages(self, email_messages):
        count = 0
        folder = Path(self.file_path)
        for message in email_messages:
            text = readable(message)
            stem = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
            (folder / f"{stem}.eml").write_bytes(message.message().as_bytes())
            (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
            sys.stdout.write(f"{text}(kept as {folder / stem}.eml and .txt)\n{RULE}\n")
            count += 1
        sys.stdout.flush()
        return count
