"""The one place where "who may see which rows" is decided for tenant data.

Every tenant model that holds trainer data uses a queryset subclassing ``ScopedQuerySet`` and
defines ``visible_to(actor)``. Selectors take the actor and always go through it; views never
query those models another way (tests/core/test_scoping.py checks the subclasses).
"""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "visible_to", None)):
            raise TypeError(f"{cls.__name__} must define visible_to(actor)")
