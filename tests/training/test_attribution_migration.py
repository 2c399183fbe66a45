"""Migration 0005 classifies the cancellations stored before sessions recorded who cancelled."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from apps.training.models import Session
from tests.factories import SessionFactory

fill = importlib.import_module("apps.training.migrations.0005_attribution_and_cancellation").fill


def test_old_cancellations_are_classified_by_credit_and_cut_off(in_gym_a):
    now = timezone.now()
    early = SessionFactory(starts_at=now + timedelta(days=3), status="cancelled", status_changed_at=now)
    inside = SessionFactory(starts_at=now + timedelta(hours=2), status="cancelled", status_changed_at=now)
    with_credit = SessionFactory(starts_at=now + timedelta(days=3), status="cancelled", used_credit=True,
                                 status_changed_at=now)  # fmt: skip
    completed = SessionFactory(starts_at=now - timedelta(days=1), status="completed")
    in_gym_a.late_cancellation_hours = 24
    fill(None, SimpleNamespace(connection=connection))
    found = dict(Session.objects.values_list("pk", "cancellation"))
    assert found == {early.pk: "client", inside.pk: "late", with_credit.pk: "late", completed.pk: ""}
