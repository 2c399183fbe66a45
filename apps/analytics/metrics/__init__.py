"""The analytics' read models: selectors that take a :class:`Scope` and a period and return dataclasses.

Each metric is defined in words in ``docs/guide/analytics.md`` and next to its code, and tested against figures
computed by hand (tests/analytics/). Everything is computed live from the tables, in a fixed number of queries
whatever the number of rows or trainers. Days are the gym's, in its timezone.
"""

from .scope import Figure, Scope, figure_change

__all__ = ["Figure", "Scope", "figure_change"]
