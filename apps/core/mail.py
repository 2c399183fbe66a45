"""Development mail: printed to the console and kept as .eml files under .data/mail."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileEmailBackend(FileBackend):
    def send_messages(self, email_messages):
        ConsoleBackend().send_messages(email_messages)
        return super().send_messages(email_messages)
