"""Forms of the profile pages. They only shape input; the services in services/profile.py decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm

from ..selectors.profile import specialty_choices
from ..services.profile import MAX_YEARS, clean_certification_fields, clean_profile_fields


class CommaListField(forms.CharField):
    """Comma-separated text in, a list of strings out (the service trims, de-duplicates and checks limits)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [item for item in (part.strip() for part in text.split(",")) if item]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProfileForm(ServiceForm):
    service_field_check = clean_profile_fields

    public_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How clients and colleagues see you. Leave it empty to use your account name."),
    )
    bio = forms.CharField(label=_("Bio"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    # The range is the service's rule (and message); the browser is only told of it.
    years_of_experience = forms.IntegerField(
        label=_("Years of experience"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_YEARS}),
    )
    languages = CommaListField(label=_("Languages"), required=False, help_text=_("Separate languages with commas."))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    specialties = forms.ModelMultipleChoiceField(
        label=_("Specialties"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chosen from the list your gym's owner keeps."),
    )
    tags = CommaListField(
        label=_("Other specialties"),
        required=False,
        help_text=_("Free tags, separated with commas: at most 10, each up to 40 characters."),
    )

    def __init__(self, *args, trainer, **kwargs):
        if "initial" not in kwargs and not args:
            kwargs["initial"] = {
                "public_name": trainer.public_name,
                "bio": trainer.bio,
                "years_of_experience": trainer.years_of_experience,
                "languages": trainer.languages,
                "phone": trainer.phone,
                "specialties": [specialty.pk for specialty in trainer.specialties.all()],
                "tags": trainer.tags,
            }
        super().__init__(*args, **kwargs)
        self.fields["specialties"].queryset = specialty_choices(trainer=trainer)
        self.fields["specialties"].label_from_instance = self._specialty_label

    @staticmethod
    def _specialty_label(specialty):
        if specialty.is_active:
            return specialty.name
        return _("%(name)s (no longer offered)") % {"name": specialty.name}


class PhotoForm(ServiceForm):
    photo = forms.FileField(
        label=_("New photo"),
        help_text=_("JPEG, PNG or WebP, up to 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class CertificationForm(ServiceForm):
    service_field_check = clean_certification_fields

    name = forms.CharField(label=_("Certification"), max_length=120)
    issuing_body = forms.CharField(label=_("Issued by"), max_length=120)
    earned_on = forms.DateField(label=_("Date earned"), widget=DateInput)
    expires_on = forms.DateField(
        label=_("Expires"), required=False, widget=DateInput, help_text=_("Leave empty if it does not expire.")
    )

    @classmethod
    def for_certification(cls, certification, *args, **kwargs):
        initial = {
            field: getattr(certification, field) for field in ("name", "issuing_body", "earned_on", "expires_on")
        }
        return cls(*args, initial=initial, **kwargs)


class SpecialtyForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=60)
