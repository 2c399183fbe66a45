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
    # About nine months of a small studio's history (counted back from today, so sessions and packages vary a
    # little with the date): enough for every analytics figure to say something.
    assert Client.objects.count() == 30
    assert Session.objects.count() > 1000
    assert SessionPackage.objects.count() > 100 and Payment.objects.count() > SessionPackage.objects.count()
    assert Session.objects.filter(status="cancelled", cancellation="trainer").exists()
    assert Payment.objects.filter(amount__lt=0).exists()
    owner = Trainer.objects.get(role="owner")
    assert owner.user.check_password("demo-pass-2026")
    assistant = Trainer.objects.get(role="assistant")
    assert Client.objects.visible_to(assistant).count() == Client.objects.exclude(trainer__role="owner").count() == 20
    assert SessionPackage.objects.visible_to(assistant).count() == 0
