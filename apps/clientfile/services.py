"""Writes that reach across a client's whole file."""

from django.db import transaction

from apps.assessments.services import assessments_erase_personal_text
from apps.clients.models import Client
from apps.clients.services import client_anonymise
from apps.trainers.models import Trainer


@transaction.atomic
def client_erase(*, actor: Trainer, client: Client) -> Client:
    """Anonymise a client's personal data; sessions, packages, payments and assessments stay for the statistics.

    The client's row is cleared by ``client_anonymise`` (which checks the right to erase); the notes and override
    reasons of their assessments may name the person, so they are cleared too, and the scores stay.
    """
    client = client_anonymise(actor=actor, client=client)
    assessments_erase_personal_text(client=client)
    return client
