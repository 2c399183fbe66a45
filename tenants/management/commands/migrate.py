from .migrate_schemas import Command  # noqa: F401  (pytest-django and `migrate` use the fast path too)
