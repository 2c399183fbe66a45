"""The set-up checklist on a new gym's dashboard: what the owner does in the first week, each step ticked from the
gym's real rows (settings saved, a teammate invited, a pricing template, a client, a session), in one query.

It shows to the owner until every step is done or they put it away (``Organization.setup_checklist_dismissed_at``,
written by ``apps.team.gym_settings.setup_checklist_dismiss``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Value
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.access import Actor, can_edit_gym_settings
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.trainers.models import PricingTemplate, Trainer
from apps.training.models import Session
from tenants.models import Invitation, Organization

#: The audit action of the settings page's save (apps.team.gym_settings): the settings were looked at and saved.
SETTINGS_SAVED = "organization.settings_update"


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str | Promise
    hint: str | Promise
    done: bool
    url: str
    action: str | Promise


@dataclass(frozen=True)
class SetupChecklist:
    steps: list[SetupStep]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def setup_checklist(*, actor: Actor | None, organization: Any) -> SetupChecklist | None:
    """The owner's checklist for ``organization`` (the request's gym), or None when it does not show: not the owner,
    put away, or every step done. One query: each step is an EXISTS over the gym's rows."""
    if not can_edit_gym_settings(actor) or actor is None or organization is None:
        return None
    if getattr(organization, "setup_checklist_dismissed_at", None) is not None:
        return None  # once put away, always away: the request's copy of the gym is enough to know
    # The copy may predate the owner's "hide" in another process (the host cache): the query asks the row too.
    dismissed = Organization.objects.filter(pk=organization.pk, setup_checklist_dismissed_at__isnull=False)
    found = (
        Trainer.objects.filter(pk=actor.pk)
        .annotate(
            is_dismissed=Exists(dismissed),
            has_settings_saved=Exists(AuditEntry.objects.filter(action=SETTINGS_SAVED)),
            has_teammates=Exists(Trainer.objects.exclude(pk=actor.pk)),
            # The owner's own invitation (made when the gym was provisioned) invites nobody else.
            has_invited=Exists(
                Invitation.objects.filter(organization_id=organization.pk).exclude(
                    email__iexact=getattr(organization, "owner_email", "")
                )
            )
            if organization.pk
            else Value(False),
            has_priced=Exists(PricingTemplate.objects.visible_to(actor)),
            has_clients=Exists(Client.objects.visible_to(actor)),
            has_booked=Exists(Session.objects.visible_to(actor)),
        )
        .values(
            "is_dismissed",
            "has_settings_saved",
            "has_teammates",
            "has_invited",
            "has_priced",
            "has_clients",
            "has_booked",
        )
        .first()
    )
    if found is None or found["is_dismissed"]:
        return None
    checklist = SetupChecklist(
        steps=[
            SetupStep(
                "settings",
                _("Check the gym's settings"),
                _("Currency, VAT, card fee, timezone and the late-cancellation window."),
                found["has_settings_saved"],
                reverse("gym_settings"),
                _("Open the settings"),
            ),
            SetupStep(
                "team",
                _("Invite your team"),
                _("Trainers and assistants get an invitation by e-mail."),
                found["has_teammates"] or found["has_invited"],
                reverse("team"),
                _("Invite someone"),
            ),
            SetupStep(
                "prices",
                _("Set your prices"),
                _("A pricing template fills in the sale of a package in one choice."),
                found["has_priced"],
                reverse("pricing_create"),
                _("Add a pricing template"),
            ),
            SetupStep(
                "client",
                _("Add your first client"),
                _("Their page is where you sell packages, book sessions and run assessments."),
                found["has_clients"],
                reverse("client_create"),
                _("Add a client"),
            ),
            SetupStep(
                "session",
                _("Book the first session"),
                _("From the client's page or the calendar."),
                found["has_booked"],
                reverse("session_schedule"),
                _("Book a session"),
            ),
        ]
    )
    return None if checklist.complete else checklist
