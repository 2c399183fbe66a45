"""FieldErrors (several field checks, one ApplicationError), the forms' use of the services' field checks, and the
issue's example: a new client with every value wrong hears about every one of them at once."""

import pytest
from django import forms

from apps.clients.models import Client
from apps.clients.services import client_create
from apps.core.errors import ApplicationError, FieldErrors
from apps.core.forms import ServiceForm
from tenants.models import Role
from tests.factories import TrainerFactory


def _positive(value, field="number"):
    if value <= 0:
        raise ApplicationError("Must be positive.", {"field": field})
    return value


def test_nothing_refused_raises_nothing_and_returns_the_values():
    errors = FieldErrors()
    assert errors.check("a", _positive, 3) == 3
    assert not errors
    errors.raise_if_any()


def test_every_complaint_is_kept_in_order_and_raised_once():
    errors = FieldErrors()
    assert errors.check("height", _positive, -1, field="height") is None
    assert errors.check("weight", _positive, 0, field="weight") is None
    errors.add("weight", "Too light.")
    errors.add(None, "Something about the whole form.")
    with pytest.raises(ApplicationError) as raised:
        errors.raise_if_any()
    error = raised.value
    assert error.message == "Must be positive."  # the first complaint, for callers that show one
    assert error.field == "height"
    assert error.field_errors == {
        "height": ["Must be positive."],
        "weight": ["Must be positive.", "Too light."],
        None: ["Something about the whole form."],
    }


def test_a_complaint_without_a_field_is_filed_under_the_field_checked():
    def refuse(value):
        raise ApplicationError("No.")

    errors = FieldErrors()
    errors.check("colour", refuse, "red")
    assert errors.errors == {"colour": ["No."]}


def test_a_check_that_names_several_fields_keeps_them():
    def two(value):
        inner = FieldErrors()
        inner.add("a", "A is wrong.")
        inner.add("b", "B is wrong.")
        inner.raise_if_any()

    errors = FieldErrors()
    errors.check(None, two, 1)
    assert errors.errors == {"a": ["A is wrong."], "b": ["B is wrong."]}


def test_an_error_of_one_field_lists_itself():
    error = ApplicationError("Bad.", {"field": "name"})
    assert error.field_errors == {"name": ["Bad."]}
    assert ApplicationError("Bad.").field_errors == {None: ["Bad."]}


def _check_sizes(values):
    errors = FieldErrors()
    for name in ("small", "large"):
        if name in values:
            errors.check(name, _positive, values[name], field=name)
    errors.raise_if_any()


class SizesForm(ServiceForm):
    service_field_check = _check_sizes
    service_fields = {"large": "big"}

    small = forms.IntegerField()
    big = forms.IntegerField()
    other = forms.IntegerField()


def test_a_form_runs_the_service_field_check_on_what_parsed_when_django_refuses_a_field():
    form = SizesForm({"small": "-1", "big": "-2", "other": "many"})
    assert not form.is_valid()
    assert form.errors == {
        "other": ["Enter a whole number."],
        "small": ["Must be positive."],
        "big": ["Must be positive."],  # the service's "large"
    }


def test_django_s_own_complaint_about_a_field_is_not_repeated_by_the_service():
    form = SizesForm({"small": "x", "big": "5", "other": "1"})
    assert not form.is_valid()
    assert form.errors == {"small": ["Enter a whole number."]}


def test_a_valid_form_leaves_every_rule_to_the_service():
    form = SizesForm({"small": "-1", "big": "-2", "other": "1"})
    assert form.is_valid()  # the view calls the service, which reports both
    try:
        _check_sizes({"small": -1, "large": -2})
    except ApplicationError as error:
        form.add_application_error(error)
    assert form.errors == {"small": ["Must be positive."], "big": ["Must be positive."]}


def test_the_issue_s_new_client_hears_of_every_bad_value_at_once(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    with pytest.raises(ApplicationError) as raised:
        client_create(
            actor=owner,
            first_name="Minji",
            date_of_birth="2090-01-01",
            height_cm="1000",
            weight_kg="-4",
            email="minji@",
            phone="abc",
        )
    assert raised.value.field_errors == {
        "date_of_birth": ["The date of birth cannot be in the future."],
        "height_cm": ["Enter a value from 50 to 272 cm."],
        "weight_kg": ["Enter a value from 2 to 500 kg."],
        "email": ["Enter a valid email address."],
        "phone": ["Enter a phone number with digits."],
    }
    assert not Client.objects.exists()
