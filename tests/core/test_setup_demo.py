from django.core.management import call_command
from django.db import connection

from apps.clients.models import Client
from apps.trainers.models import PricingTemplate, Specialty, Trainer
from apps.training.models import Payment, Session, SessionPackage
from tenants.models import Organization


def test_setup_demo_creates_a_working_demo_and_is_idempotent(db, capsys):
    call_command("setup_demo")
    first_output = capsys.readouterr().out
    call_command("setup_demo")
    assert capsys.readouterr().out == first_output
    for email in ("admin@platform.localhost", "owner@demo.localhost", "assistant@demo.localhost"):
        assert email in first_output

    demo = Organization.objects.get(slug="demo")
    connection.set_tenant(demo)
    assert sorted(Trainer.objects.values_list("role", flat=True)) == ["assistant", "owner", "senior", "trainer"]
    assert Specialty.objects.count() == 5
    assert PricingTemplate.objects.count() == 6
    assert Client.objects.count() == 9
    assert Session.objects.count() == 36
    assert (SessionPackage.objects.count(), Payment.objects.count()) == (9, 9)
    owner = Trainer.objects.get(role="owner")
    assert owner.user.check_password("demo-pass-2026")
    assistant = Trainer.objects.get(role="assistant")
    assert Client.objects.visible_to(assistant).count() == Client.objects.exclude(trainer__role="owner").count() == 7
    assert SessionPackage.objects.visible_to(assistant).count() == 0
