"""Files in a gym's media storage."""

from collections.abc import Iterable
from typing import Any, cast

from django.db import connection, transaction
from django_tenants.utils import schema_context


def delete_files_on_commit(storage: Any, names: Iterable[str]) -> None:
    """Remove replaced files of ``storage`` once the change is committed, in the media folder of the gym whose
    schema is active now, whatever schema runs the callback. A file left behind never turns a saved change into an
    error (``robust``)."""
    names = [name for name in names if name]
    if not names:
        return
    schema = cast(Any, connection).schema_name

    def delete_all() -> None:
        for name in names:
            storage.delete(name)

    def delete() -> None:
        if cast(Any, connection).schema_name == schema:
            delete_all()
        else:
            with schema_context(schema):
                delete_all()

    transaction.on_commit(delete, robust=True)
