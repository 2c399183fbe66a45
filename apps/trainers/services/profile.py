"""Profile writes: the trainer's own details, certifications and photo (specialties: specialties.py).

Every function checks the actor's right itself (views check it too, to answer 404), validates, saves and
records an audit entry in the same transaction. A call that changes nothing writes nothing, audit included.
"""

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from apps.access import Actor
from apps.audit.services import audit_record, field_changes, snapshot
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError, FieldErrors, full_clean_or_raise
from apps.core.files import delete_files_on_commit

from ..models import Certification, Specialty, Trainer
from ..permissions import can_edit_profile
from ..photos import OUTPUT_EXTENSION, process_photo

if TYPE_CHECKING:
    pass

PROFILE_FIELDS = ("public_name", "bio", "years_of_experience", "languages", "phone", "specialties", "tags")
CERTIFICATION_FIELDS = ("name", "issuing_body", "earned_on", "expires_on")
PHOTO_FIELDS = ("photo_medium", "photo_small")
MAX_YEARS = 70
MAX_LABELS = 10  # languages, tags
LABEL_LENGTH = 40
MAX_CERTIFICATIONS = 50
PHONE = re.compile(r"\+?[0-9 ().\-/]+")
PHONE_DIGITS = (6, 15)


# --- helpers -------------------------------------------------------------------------------------------------


def _require_edit(actor: Actor | None, trainer: Trainer) -> None:
    if not can_edit_profile(actor, trainer):
        raise ApplicationError(_("You cannot change this profile."))


def _line(value: object) -> str:
    """One line of text: surrounding and repeated whitespace removed."""
    return " ".join(str(value or "").split())


def _labels(values: str | Iterable[object] | None, *, field: str, too_many: str, strip_hash: bool = False) -> list[str]:
    """A short list of free labels (languages, tags): trimmed, without blanks or case-insensitive repeats.

    ``values`` is a list or a comma-separated string.
    """
    if isinstance(values, str):
        values = values.split(",")
    labels: list[str]
    seen: set[str]
    labels, seen = [], set()
    for raw in values or []:
        label = _line(raw)
        if strip_hash:
            label = label.lstrip("#").strip()
        if not label or label.casefold() in seen:
            continue
        if len(label) > LABEL_LENGTH:
            raise ApplicationError(
                _("“%(label)s” is too long: at most %(max)d characters.")
                % {"label": label[:LABEL_LENGTH] + "…", "max": LABEL_LENGTH},
                {"field": field},
            )
        seen.add(label.casefold())
        labels.append(label)
    if len(labels) > MAX_LABELS:
        raise ApplicationError(too_many % {"max": MAX_LABELS}, {"field": field})
    return labels


def _years(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = -1
    if not 0 <= years <= MAX_YEARS:
        raise ApplicationError(
            _("Years of experience must be a whole number from 0 to %(max)d.") % {"max": MAX_YEARS},
            {"field": "years_of_experience"},
        )
    return years


def _phone(value: object) -> str:
    phone = _line(value)
    if not phone:
        return ""
    digits = sum(char.isdigit() for char in phone)
    if not PHONE.fullmatch(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ApplicationError(
            _("Enter a phone number with digits, spaces and + ( ) - only, for example +82 10 1234 5678."),
            {"field": "phone"},
        )
    return phone


def _bio(value: object) -> str:
    bio = str(value or "").replace("\r\n", "\n").strip()
    limit = cast(
        int, Trainer._meta.get_field("bio").max_length
    )  # a TextField's max_length is not checked by full_clean()
    if len(bio) > limit:
        raise ApplicationError(
            _("The bio can be at most %(max)d characters long (it has %(count)d).") % {"max": limit, "count": len(bio)},
            {"field": "bio"},
        )
    return bio


CLEANERS: dict[str, Callable[[Any], object]] = {
    "public_name": _line,
    "bio": _bio,
    "years_of_experience": _years,
    "phone": _phone,
    "languages": lambda value: _labels(value, field="languages", too_many=_("List at most %(max)d languages.")),
    "tags": lambda value: _labels(value, field="tags", too_many=_("Add at most %(max)d tags."), strip_hash=True),
}


def clean_profile_fields(values: Mapping[str, object]) -> dict[str, object]:
    """The profile fields among ``values`` (specialties aside: they are looked up), each cleaned, or one
    ApplicationError naming every field refused. Forms call it on the fields they could parse."""
    errors = FieldErrors()
    cleaned = {name: errors.check(name, CLEANERS[name], value) for name, value in values.items() if name in CLEANERS}
    errors.raise_if_any()
    return cleaned


def _specialties(held: Iterable[Specialty], chosen: Iterable[Specialty | int | str] | None) -> list[Specialty]:
    """The Specialty rows for ``chosen`` (rows or ids): each must exist and be on offer, unless already ``held``."""
    ids: set[int] | None
    try:
        ids = {int(cast("int | str", getattr(item, "pk", item))) for item in chosen or []}
    except (TypeError, ValueError):
        ids = None
    found = list(Specialty.objects.filter(pk__in=ids)) if ids is not None else []
    if ids is None or len(found) != len(ids):
        raise ApplicationError(_("Choose specialties from the list."), {"field": "specialties"})
    held_ids = {specialty.pk for specialty in held}
    for specialty in found:
        if not specialty.is_active and specialty.pk not in held_ids:
            raise ApplicationError(
                _("“%(name)s” is no longer offered.") % {"name": specialty.name}, {"field": "specialties"}
            )
    return sorted(found, key=lambda specialty: specialty.name)


# --- profile -------------------------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, actor: Trainer, trainer: Trainer, **fields: Any) -> Trainer:
    """Change any of PROFILE_FIELDS; fields not given keep their value.

    ``languages`` and ``tags`` are lists (or comma-separated text), ``specialties`` Specialty rows or ids.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"profile_update() got unknown fields: {', '.join(sorted(unknown))}")
    _require_edit(actor, trainer)
    trainer = Trainer.objects.locked(trainer)
    errors = FieldErrors()
    values = errors.check(None, clean_profile_fields, fields) or {}
    held: list[Specialty]
    specialties: list[Specialty] | None
    held, specialties = [], None
    if "specialties" in fields:
        held = sorted(trainer.specialties.all(), key=lambda specialty: specialty.name)
        specialties = errors.check("specialties", _specialties, held, fields["specialties"])
    errors.raise_if_any()

    before = snapshot(trainer, values)
    for name, value in values.items():
        setattr(trainer, name, value)
    full_clean_or_raise(trainer)
    changes = field_changes(trainer, before, values)
    if changes:
        trainer.save(update_fields=list(changes))
    if specialties is not None and {s.pk for s in held} != {s.pk for s in specialties}:
        trainer.specialties.set(specialties)
        changes["specialties"] = [[s.name for s in held], [s.name for s in specialties]]
    if changes:
        audit_record(
            actor=actor,
            event="trainer.profile_update",
            target=trainer,
            params={"name": trainer.display_name, "fields": list(changes)},
            changes=changes,
        )
    return trainer


# --- certifications ------------------------------------------------------------------------------------------


def _earned_on(value: date | None) -> date:
    if value is None:
        raise ApplicationError(_("Enter the date the certification was earned."), {"field": "earned_on"})
    if value > gym_today():
        raise ApplicationError(_("The date earned cannot be in the future."), {"field": "earned_on"})
    return value


def clean_certification_fields(values: Mapping[str, Any]) -> None:
    """The certification fields among ``values``, each checked on its own (the model's rules included), or one
    ApplicationError naming every field refused. Forms call it on the fields they could parse."""
    given = {name: value for name, value in values.items() if name in CERTIFICATION_FIELDS}
    certification = Certification(
        **{name: _line(value) if name in {"name", "issuing_body"} else value for name, value in given.items()}
    )
    errors = FieldErrors()
    if "earned_on" in given:
        errors.check("earned_on", _earned_on, given["earned_on"])
    others = [field.name for field in Certification._meta.fields if field.name not in given]
    errors.check(
        None, full_clean_or_raise, certification, exclude=[*others, *filter(None, errors.errors)], fields_only=True
    )
    errors.raise_if_any()


def _check_certification(certification: Certification) -> None:
    clean_certification_fields({name: getattr(certification, name) for name in CERTIFICATION_FIELDS})
    # Across fields, once each is valid.
    if certification.expires_on is not None and certification.expires_on <= certification.earned_on:
        raise ApplicationError(_("The expiry date must be after the date earned."), {"field": "expires_on"})
    full_clean_or_raise(certification)


@transaction.atomic
def certification_create(
    *, actor: Trainer, trainer: Trainer, name: str, issuing_body: str, earned_on: date, expires_on: date | None = None
) -> Certification:
    """Add a certification (dates are ``datetime.date``; ``expires_on`` None when it never expires)."""
    _require_edit(actor, trainer)
    trainer = Trainer.objects.locked(trainer)  # also serialises the count below
    if trainer.certifications.count() >= MAX_CERTIFICATIONS:
        raise ApplicationError(
            _("A profile holds at most %(max)d certifications. Remove an old one first.") % {"max": MAX_CERTIFICATIONS}
        )
    certification = Certification(
        trainer=trainer,
        name=_line(name),
        issuing_body=_line(issuing_body),
        earned_on=earned_on,
        expires_on=expires_on,
    )
    _check_certification(certification)
    certification.save()
    audit_record(
        actor=actor,
        event="certification.create",
        target=certification,
        params={"certification": certification.name, "name": trainer.display_name},
        changes=field_changes(certification, {}, CERTIFICATION_FIELDS),
    )
    return certification


@transaction.atomic
def certification_update(*, actor: Trainer, certification: Certification, **fields: Any) -> Certification:
    """Change any of CERTIFICATION_FIELDS of ``certification``."""
    unknown = set(fields) - set(CERTIFICATION_FIELDS)
    if unknown:
        raise TypeError(f"certification_update() got unknown fields: {', '.join(sorted(unknown))}")
    _require_edit(actor, certification.trainer)
    certification = (
        Certification.objects.select_for_update(of=("self",)).select_related("trainer__user").get(pk=certification.pk)
    )
    before = snapshot(certification, fields)
    for name, value in fields.items():
        setattr(certification, name, _line(value) if name in {"name", "issuing_body"} else value)
    _check_certification(certification)
    changes = field_changes(certification, before, fields)
    if changes:
        certification.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            event="certification.update",
            target=certification,
            params={"certification": certification.name, "name": certification.trainer.display_name},
            changes=changes,
        )
    return certification


@transaction.atomic
def certification_delete(*, actor: Trainer, certification: Certification) -> None:
    _require_edit(actor, certification.trainer)
    certification = (  # type: ignore[assignment]  # None once deleted: handled just below
        Certification.objects.select_for_update(of=("self",))
        .select_related("trainer__user")
        .filter(pk=certification.pk)
    ).first()
    if certification is None:
        return  # already gone (a second click): nothing to do
    # Recorded first: the entry keeps the certification's id, which the row loses when deleted.
    audit_record(
        actor=actor,
        event="certification.delete",
        target=certification,
        params={"certification": certification.name, "name": certification.trainer.display_name},
        changes={field: [value, None] for field, value in snapshot(certification, CERTIFICATION_FIELDS).items()},
    )
    certification.delete()


# --- photo ---------------------------------------------------------------------------------------------------


def _photo_names(trainer: Trainer) -> list[str]:
    return [getattr(trainer, field).name or "" for field in PHOTO_FIELDS]


def _delete_files(names: Iterable[str]) -> None:
    storage = Trainer._meta.get_field("photo_medium").storage
    for name in names:
        if name:
            storage.delete(name)


def _delete_files_on_commit(names: Iterable[str]) -> None:
    delete_files_on_commit(Trainer._meta.get_field("photo_medium").storage, names)


@transaction.atomic
def photo_set(*, actor: Trainer, trainer: Trainer, upload: "UploadedFile[bytes]") -> Trainer:
    """Replace the trainer's photo with ``upload`` (an uploaded file), re-encoded in two sizes.

    A refused file raises ApplicationError({"field": "photo"}) before anything is written: the old photo stays.
    """
    _require_edit(actor, trainer)
    processed = process_photo(upload)  # the slow part, before any row is locked
    trainer = Trainer.objects.locked(trainer)
    old = _photo_names(trainer)
    token = secrets.token_hex(8)  # unguessable, and a new address each time so browsers never show a stale photo
    try:
        trainer.photo_medium.save(f"{token}-medium.{OUTPUT_EXTENSION}", ContentFile(processed.medium), save=False)
        trainer.photo_small.save(f"{token}-small.{OUTPUT_EXTENSION}", ContentFile(processed.small), save=False)
        new = _photo_names(trainer)
        full_clean_or_raise(trainer)
        trainer.save(update_fields=list(PHOTO_FIELDS))
        audit_record(
            actor=actor,
            event="trainer.photo_set",
            target=trainer,
            params={"name": trainer.display_name},
            changes={field: [before, after] for field, before, after in zip(PHOTO_FIELDS, old, new, strict=True)},
        )
    except BaseException:
        _delete_files(name for name in _photo_names(trainer) if name not in old)
        raise
    _delete_files_on_commit(old)
    return trainer


@transaction.atomic
def photo_remove(*, actor: Trainer, trainer: Trainer) -> Trainer:
    _require_edit(actor, trainer)
    trainer = Trainer.objects.locked(trainer)
    old = _photo_names(trainer)
    if not any(old):
        return trainer  # no photo (a second click): nothing to do
    for field in PHOTO_FIELDS:
        setattr(trainer, field, "")
    trainer.save(update_fields=list(PHOTO_FIELDS))
    audit_record(
        actor=actor,
        event="trainer.photo_remove",
        target=trainer,
        params={"name": trainer.display_name},
        changes={field: [before, ""] for field, before in zip(PHOTO_FIELDS, old, strict=True)},
    )
    _delete_files_on_commit(old)
    return trainer
