"""Development mail: printed to the console and kept as .eml files under .data/mail."""

import sys

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileEmailBackend(FileBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            sys.stdout.write(message.message().as_string() + "\n" + "-" * 79 + "\n")
        sys.stdout.flush()
        return super().send_messages(email_messages)
