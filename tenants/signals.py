"""Keep the host -> organization cache honest. Cache upkeep only: no business logic here."""

from django.core.signals import request_finished
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Domain, Organization
from .resolution import forget_hosts


def _forget_on_commit(hostnames):
    hostnames = list(hostnames)
    forget_hosts(hostnames)
    # Forget again after commit: a request between save and commit may have cached the old row.
    transaction.on_commit(lambda: forget_hosts(hostnames))


@receiver([post_save, post_delete], sender=Organization)
def organization_changed(sender, instance, **kwargs):
    hostnames = list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    _forget_on_commit([*hostnames, instance.host])


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender, instance, **kwargs):
    _forget_on_commit([instance.domain])


@receiver(request_finished)
def leave_connection_on_public(sender, **kwargs):
    """A persistent connection (CONN_MAX_AGE) outlives its request: point it back at the public schema, so that
    nothing running before the next request's tenant middleware (another middleware, a ``request_started``
    handler) can read the previous gym's rows. Sets no SQL now; the search_path follows on the next query."""
    connection.set_schema_to_public()
