"""Writes of clients: create, update, archive, unarchive, health screening, erase; reads worth auditing.

Every service is keyword-only and atomic, validates (at the field, with ``ApplicationError``), keeps
``search_text`` up to date and writes an audit entry.
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import Actor, acts_for, can_own_clients, is_assistant
from apps.audit import events as audit_events
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record, audit_replace_name, field_changes, snapshot
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError, FieldErrors, full_clean_or_raise
from apps.trainers.models import Trainer

from .models import SCREENING_KEYS, Client, ClientStatus, Sex
from .permissions import (
    can_archive_client,
    can_choose_trainer,
    can_create_client,
    can_edit_client,
    can_erase_client,
)
from .search import search_text_for

if TYPE_CHECKING:
    from django.db.models import DecimalField, Field

PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "height_cm",
    "weight_kg",
    "email",
    "phone",
    "goals",
    "notes",
]
MAX_AGE_YEARS = 120
HEIGHT_RANGE = (Decimal(50), Decimal(272))
WEIGHT_RANGE = (Decimal(2), Decimal(500))


def _text(value: object, field: str, *, required: bool = False, single_line: bool = True) -> str:
    text = str(value or "")
    text = " ".join(text.split()) if single_line else text.strip()
    if required and not text:
        raise ApplicationError(_("This field is required."), {"field": field})
    limit = cast("Field[Any, Any]", Client._meta.get_field(field)).max_length
    if limit and len(text) > limit:
        raise ApplicationError(_("Use at most %(limit)d characters.") % {"limit": limit}, {"field": field})
    return text


def _date_of_birth(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ApplicationError(_("Enter the date of birth as YYYY-MM-DD."), {"field": "date_of_birth"}) from None
    if not isinstance(value, date):
        raise ApplicationError(_("Enter the date of birth as YYYY-MM-DD."), {"field": "date_of_birth"})
    today = gym_today()
    if value > today:
        raise ApplicationError(_("The date of birth cannot be in the future."), {"field": "date_of_birth"})
    if today.year - value.year > MAX_AGE_YEARS or (
        today.year - value.year == MAX_AGE_YEARS and (value.month, value.day) < (today.month, today.day)
    ):
        raise ApplicationError(
            _("The date of birth cannot be more than %(years)d years ago.") % {"years": MAX_AGE_YEARS},
            {"field": "date_of_birth"},
        )
    return value


def _measure(value: object, field: str, bounds: tuple[Decimal, Decimal], unit: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ApplicationError(_("Enter a number."), {"field": field})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("Enter a number."), {"field": field}) from None
    if not number.is_finite() or number < bounds[0] or number > bounds[1]:
        raise ApplicationError(
            _("Enter a value from %(low)s to %(high)s %(unit)s.") % {"low": bounds[0], "high": bounds[1], "unit": unit},
            {"field": field},
        )
    places = cast("DecimalField[Any, Any]", Client._meta.get_field(field)).decimal_places
    return number.quantize(Decimal(1).scaleb(-places))


def _email(value: object) -> str:
    email = str(value or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), {"field": "email"}) from None
    if len(email) > cast(int, Client._meta.get_field("email").max_length):  # an EmailField's: always set
        raise ApplicationError(_("Enter a valid email address."), {"field": "email"})
    return email


def _phone(value: object) -> str:
    phone = _text(value, "phone")
    if phone and not any(char.isdigit() for char in phone):
        raise ApplicationError(_("Enter a phone number with digits."), {"field": "phone"})
    return phone


def _sex(value: str | None) -> str:
    value = value or Sex.NOT_STATED
    if value not in Sex.values:
        raise ApplicationError(_("Choose female, male or not stated."), {"field": "sex"})
    return value


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "first_name": lambda value: _text(value, "first_name", required=True),
    "last_name": lambda value: _text(value, "last_name"),
    "date_of_birth": _date_of_birth,
    "sex": _sex,
    "height_cm": lambda value: _measure(value, "height_cm", HEIGHT_RANGE, "cm"),
    "weight_kg": lambda value: _measure(value, "weight_kg", WEIGHT_RANGE, "kg"),
    "email": _email,
    "phone": _phone,
    "goals": lambda value: _text(value, "goals", single_line=False),
    "notes": lambda value: _text(value, "notes", single_line=False),
}


def clean_client_fields(values: Mapping[str, object]) -> dict[str, Any]:
    """The profile fields among ``values`` (see PROFILE_FIELDS; other keys are ignored), each cleaned, or one
    ApplicationError naming every field refused. The only home of these rules: forms call it on what they parsed."""
    errors = FieldErrors()
    cleaned = {name: errors.check(name, CLEANERS[name], value) for name, value in values.items() if name in CLEANERS}
    errors.raise_if_any()
    return cleaned


def _refresh_search_text(client: Client) -> None:
    client.search_text = search_text_for(
        first_name=client.first_name, last_name=client.last_name, email=client.email, phone=client.phone
    )


def _owning_trainer(actor: Trainer, trainer: Trainer | None) -> Trainer:
    """The trainer new clients belong to: the actor's pick among those they may act for (the owner anyone active who
    can own clients, an assistant one of the trainers they assist), by default the actor."""
    if trainer is None and is_assistant(actor):
        raise ApplicationError(_("Choose one of the trainers you assist."), {"field": "trainer"})
    trainer = actor if trainer is None else trainer
    if not acts_for(actor, trainer.pk):
        if is_assistant(actor):
            raise ApplicationError(_("Choose one of the trainers you assist."), {"field": "trainer"})
        raise ApplicationError(_("You can only add clients of your own."), {"field": "trainer"})
    # The scoped queryset yields Any (ScopedQuerySet is a QuerySet[Any]): say what it finds.
    trainer = cast("Trainer | None", Trainer.objects.select_related("user").filter(pk=trainer.pk).first())
    if trainer is None or not trainer.is_active:
        raise ApplicationError(_("Clients can only belong to an active trainer."), {"field": "trainer"})
    if not can_own_clients(trainer):
        raise ApplicationError(_("Assistants cannot own clients."), {"field": "trainer"})
    return trainer


def _lock(client: Client) -> Client:
    return cast(
        Client, Client.objects.select_for_update(of=("self",)).select_related("trainer__user").get(pk=client.pk)
    )


def _check_may_edit(actor: Actor | None, client: Client) -> None:
    if client.erased_at is not None:
        raise ApplicationError(_("This client was erased and can no longer be changed."))
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You cannot change this client."))


def _check_may_archive(actor: Actor | None, client: Client) -> None:
    _check_may_edit(actor, client)
    if not can_archive_client(actor, client):
        raise ApplicationError(_("Assistants cannot archive clients."))


@transaction.atomic
def client_create(*, actor: Trainer, trainer: Trainer | None = None, **fields: Any) -> Client:
    """Create a client of ``trainer`` (the owner's choice) or of the actor. ``fields``: see PROFILE_FIELDS."""
    return client_creator(actor=actor, trainer=trainer)(**fields)


def client_creator(*, actor: Trainer, trainer: Trainer | None = None) -> Callable[..., Client]:
    """``client_create`` for many rows (the CSV import): the actor and the trainer are checked once, here, and the
    function returned creates one client per call, each in its own savepoint, with the same rules for the row."""
    if not can_create_client(actor):
        raise ApplicationError(_("You cannot add clients."))
    trainer = _owning_trainer(actor, trainer)

    def create(**fields: Any) -> Client:
        return _create_for_checked_trainer(actor=actor, trainer=trainer, **fields)

    return create


def _consent_time(client: Client, consent: bool | None) -> None:
    """Issue 15: ticking the reminders box records when (kept while it stays ticked); unticking clears it."""
    if consent is None:
        return
    if consent and client.reminders_consent_at is None:
        client.reminders_consent_at = timezone.now()
    elif not consent:
        client.reminders_consent_at = None


@transaction.atomic
def _create_for_checked_trainer(
    *, actor: Trainer, trainer: Trainer, reminders_consent: bool | None = None, **fields: Any
) -> Client:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    client = Client(trainer=trainer, **clean_client_fields({name: fields.get(name) for name in PROFILE_FIELDS}))
    _consent_time(client, reminders_consent)
    _refresh_search_text(client)
    full_clean_or_raise(client, exclude=["trainer"])
    client.save()
    audit_record(
        actor=actor,
        event="client.create",
        target=client,
        params={"trainer": trainer.display_name},
        changes=field_changes(client, {}, ["first_name", "last_name", "email", "phone", "reminders_consent_at"]),
    )
    return client


@transaction.atomic
def client_update(
    *,
    actor: Trainer,
    client: Client,
    trainer: Trainer | None = None,
    reminders_consent: bool | None = None,
    **fields: Any,
) -> Client:
    """Change the given fields (the others keep their value). Only the owner may give the client to someone else.
    ``reminders_consent`` (None: unchanged) records or withdraws the client's consent to reminder mails."""
    _check_may_edit(actor, client)
    client = _lock(client)
    _check_may_edit(actor, client)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    before = snapshot(client, [*PROFILE_FIELDS, "trainer", "reminders_consent_at"])
    for name, value in clean_client_fields(fields).items():
        setattr(client, name, value)
    _consent_time(client, reminders_consent)
    if trainer is not None and trainer.pk != client.trainer_id:
        if not can_choose_trainer(actor):
            raise ApplicationError(_("Only the owner can give a client to another trainer."), {"field": "trainer"})
        client.trainer = _owning_trainer(actor, trainer)
    changes = field_changes(client, before, [*PROFILE_FIELDS, "trainer", "reminders_consent_at"])
    if not changes:
        return client
    _refresh_search_text(client)
    full_clean_or_raise(client, exclude=["trainer"])
    update_fields = [("trainer" if name == "trainer" else name) for name in changes]
    client.save(update_fields=[*update_fields, "search_text", "updated_at"])
    audit_record(
        actor=actor,
        event="client.update",
        target=client,
        # Notes, goals and the like are personal; the log names what changed, not the new text.
        changes={
            name: value if name in {"trainer", "sex", "reminders_consent_at"} else ["…", "…"]
            for name, value in changes.items()
        },
    )
    return client


def _set_status(
    actor: Actor | None, client: Client, status: str
) -> tuple[Client, dict[str, list[Any]] | Literal[False]]:
    _check_may_archive(actor, client)
    client = _lock(client)
    _check_may_archive(actor, client)
    if client.status == status:
        return client, False
    before = snapshot(client, ["status"])
    client.status = status
    client.archived_at = timezone.now() if status == ClientStatus.ARCHIVED else None
    client.save(update_fields=["status", "archived_at", "updated_at"])
    return client, field_changes(client, before, ["status"])


@transaction.atomic
def client_archive(*, actor: Trainer, client: Client) -> Client:
    """Archive: the client leaves the active list; nothing of theirs is deleted."""
    client, changes = _set_status(actor, client, ClientStatus.ARCHIVED)
    if changes:
        audit_record(actor=actor, event="client.archive", target=client, changes=changes)
    return client


@transaction.atomic
def client_unarchive(*, actor: Trainer, client: Client) -> Client:
    client, changes = _set_status(actor, client, ClientStatus.ACTIVE)
    if changes:
        audit_record(actor=actor, event="client.unarchive", target=client, changes=changes)
    return client


REPORT_LANGUAGES = ("en", "ko")


@transaction.atomic
def client_report_language_set(*, actor: Trainer, client: Client, language: str) -> Client:
    """Remember the language of the client's reports ("en" or "ko")."""
    _check_may_edit(actor, client)
    client = _lock(client)
    _check_may_edit(actor, client)
    if language not in REPORT_LANGUAGES:
        raise ApplicationError(_("Choose English or Korean."), {"field": "language"})
    if client.report_language != language:
        before = client.report_language
        client.report_language = language
        client.save(update_fields=["report_language"])
        audit_record(
            actor=actor,
            event="client.report_language",
            target=client,
            params={"language": language},
            changes={"report_language": [before, language]},
        )
    return client


def clean_screening(values: Mapping[str, object], *, partial: bool = False) -> dict[str, bool]:
    """The answers ({question key: yes (True) or no}) among ``values``, whose "consent" must be true; or one
    ApplicationError naming every question left unanswered. ``partial``: only the keys given are checked."""
    errors = FieldErrors()
    cleaned = {}
    for key in SCREENING_KEYS:
        if partial and key not in values:
            continue
        value = values.get(key)
        if isinstance(value, bool):
            cleaned[key] = value
        else:
            errors.add(key, _("Answer every question with yes or no."))
    if (not partial or "consent" in values) and not values.get("consent"):
        errors.add("consent", _("The client must consent to the screening being recorded."))
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def screening_update(*, actor: Trainer, client: Client, answers: Mapping[str, object] | None, consent: bool) -> Client:
    """Record the health-screening answers (every question yes or no) and the client's consent (now).

    ``consent`` must be true: answers are recorded only with the client's consent, whose time is kept.
    """
    _check_may_edit(actor, client)
    client = _lock(client)
    _check_may_edit(actor, client)
    client.screening = clean_screening({**(answers or {}), "consent": consent})
    client.consent_at = timezone.now()
    client.save(update_fields=["screening", "consent_at", "updated_at"])
    audit_record(
        actor=actor,
        event="client.screening_clearance" if client.needs_medical_clearance else "client.screening_no_risk",
        target=client,
    )
    return client


def client_record_viewed(*, actor: Trainer, client: Client, what: str = "view") -> AuditEntry:
    """A read of a client record, written to the audit log (ARCHITECTURE.md: every read of a client record)."""
    if what not in {"view", "export"}:
        raise ValueError(f"unknown read of a client record: {what!r}")
    return audit_record(actor=actor, event=f"client.{what}", target=client)


def _scrub_name_from_other_entries(old_name: str, new_name: str) -> None:
    """Entries about their sessions, packages or payments carry the client's name in their text: replace it."""
    if len(old_name) < 3:
        return
    audit_replace_name(old_name, new_name)


def clients_exported(*, actor: Trainer, count: int, filters: Mapping[str, object]) -> AuditEntry:
    """A CSV export of the list is a read of many client records: one entry with the number and the filters."""
    return AuditEntry.objects.create(
        actor_id=actor.pk,
        actor_name=actor.display_name,
        action="client.export_csv",
        target_type=Client._meta.label_lower,
        target_id="",
        target_repr=_("Client list"),
        event="client.export_csv",
        params=audit_events.dump_params("client.export_csv", {"count": count}),
        changes={"filters": {key: str(value) for key, value in filters.items()}},
    )


@transaction.atomic
def client_anonymise(*, actor: Trainer, client: Client) -> Client:
    """The client's own part of an erasure (``apps.clientfile.services.client_erase`` also clears the free text of
    their assessments): the personal data of the row is cleared, and audit entries about them lose the old values.

    Kept: trainer, sex, height, weight, the birth year, dates of their records. Cleared: names, contact, date of
    birth, goals, notes, health screening, consent, search text.
    """
    if not can_erase_client(actor, client):
        if client.erased_at is not None:
            raise ApplicationError(_("This client was already erased."))
        raise ApplicationError(_("Only the owner can erase a client."))
    client = _lock(client)
    if client.erased_at is not None:
        raise ApplicationError(_("This client was already erased."))
    old_name = str(client)
    client.birth_year = client.date_of_birth.year if client.date_of_birth else client.birth_year
    client.first_name = _("Erased client #%(id)d") % {"id": client.pk}
    client.last_name = ""
    client.date_of_birth = None
    client.email = ""
    client.phone = ""
    client.goals = ""
    client.notes = ""
    client.screening = {}
    client.consent_at = None
    client.reminders_consent_at = None
    client.search_text = ""
    client.status = ClientStatus.ARCHIVED
    client.archived_at = client.archived_at or timezone.now()
    client.erased_at = timezone.now()
    client.save()
    AuditEntry.objects.filter(target_type=Client._meta.label_lower, target_id=str(client.pk)).update(
        target_repr=str(client), changes={}
    )
    _scrub_name_from_other_entries(old_name, str(client))
    audit_record(actor=actor, event="client.erase", target=client)
    return client
