"""A real SMTP server for browser tests (aiosmtpd, in the test process) and readers for the mail it receives."""

import email
import email.policy
import queue
import re

import pytest

MAIL_TIMEOUT = 30  # seconds for an email to reach the SMTP server


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives, parsed, for the test to wait on."""

    def __init__(self):
        self._queue = queue.Queue()
        self.port = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self._queue.put((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def next_message(self, timeout=MAIL_TIMEOUT):
        """The next message received: (envelope recipients, email.message.EmailMessage)."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no email reached the SMTP server on 127.0.0.1:{self.port} within {timeout}s")

    def assert_empty(self):
        assert self._queue.empty(), f"unexpected email: {self._queue.get_nowait()[1]['Subject']!r}"


def text_body(message):
    return message.get_body(("plain",)).get_content()


def html_body(message):
    return message.get_body(("html",)).get_content()


def invitation_link(message):
    """The acceptance link of an invitation email, the same in its text and HTML parts."""
    links = re.findall(r"https?://\S+/invitations/[\w-]+/", text_body(message))
    assert len(links) == 1, f"expected one invitation link in the text part, found {links}"
    assert links[0] in html_body(message), "the HTML part must carry the same link"
    return links[0]
