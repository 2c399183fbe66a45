from datetime import timedelta

from django.utils import timezone

from apps.team.services import clients_transfer
from apps.training.models import Session, SessionPackage
from apps.training.services import packages as package_services
from apps.training.services import payments as payment_services
from apps.training.services import sessions as session_services
from tests.factories import TrainerFactory


def test_transfer_still_moves_future_sessions_and_active_packages(owner, coach, client_of_coach):
    taking = TrainerFactory(role="trainer")
    package = package_services.package_sell(actor=coach, client=client_of_coach, name="P", total_sessions=3, price=90)
    payment_services.payment_record(actor=coach, package=package, amount="30")
    now = timezone.now()
    future = session_services.session_schedule(
        actor=coach,
        client=client_of_coach,
        starts_at=now + timedelta(days=2),
        package=package,
        confirm_unavailable=True,
    )
    past = session_services.session_schedule(
        actor=coach,
        client=client_of_coach,
        starts_at=now - timedelta(days=2),
        package=package,
        confirm_unavailable=True,
    )
    session_services.session_complete(actor=coach, session=past)
    assert clients_transfer(actor=owner, clients=[client_of_coach], to_trainer=taking) == 1
    assert SessionPackage.objects.get(pk=package.pk).trainer == taking
    assert Session.objects.get(pk=future.pk).trainer == taking
    assert Session.objects.get(pk=past.pk).trainer == coach
    # the new trainer now takes the payments of the package; the old one no longer sees it
    payment_services.payment_record(actor=taking, package=SessionPackage.objects.get(pk=package.pk), amount="10")
    assert list(SessionPackage.objects.visible_to(coach)) == []
