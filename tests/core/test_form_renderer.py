"""The fast form renderer gives Django's HTML byte for byte (issue 16)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from apps.core.form_renderer import FastDjangoTemplates


class Everything(forms.Form):
    text = forms.CharField(label="Name <b>", max_length=10, help_text="hint", widget=forms.TextInput(attrs={"x": True}))
    number = forms.IntegerField(required=False, min_value=0, max_value=120, widget=forms.NumberInput({"class": "a&b"}))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search", "off": False}))
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    pick = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any")), ("a", 'A "quoted" <label>'), (1, mark_safe("<i>safe</i>"))],
    )
    grouped = forms.ChoiceField(choices=[("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    many = forms.MultipleChoiceField(required=False, choices=[("1", "one"), ("2", "two")])
    radio = forms.ChoiceField(required=False, choices=[("1", "one")], widget=forms.RadioSelect)
    note = forms.CharField(required=False, widget=forms.Textarea)


DATA = [
    None,
    {
        "text": 'Anna "<script>"',
        "number": "7",
        "search": "a&b",
        "day": "2026-01-02",
        "agree": "on",
        "secret": "x<y",
        "pick": "1",
        "grouped": "y",
        "many": ["1", "2"],
    },
    {"text": "", "number": "-1", "pick": "nope"},
]


@pytest.mark.parametrize("data", DATA)
def test_every_widget_and_label_renders_as_django_does(data):
    slow = Everything(data, renderer=DjangoTemplates())
    fast = Everything(data, renderer=FastDjangoTemplates())
    if data is not None:
        slow.is_valid()
        fast.is_valid()
    assert str(fast) == str(slow)
    for name in slow.fields:
        assert str(fast[name]) == str(slow[name]), name
        assert fast[name].label_tag() == slow[name].label_tag(), name
        assert fast[name].label_tag(attrs={"class": "x"}, label_suffix="") == slow[name].label_tag(
            attrs={"class": "x"}, label_suffix=""
        )


def test_label_without_id_is_plain_text():
    slow = Everything(auto_id=False, renderer=DjangoTemplates())
    fast = Everything(auto_id=False, renderer=FastDjangoTemplates())
    assert fast["text"].label_tag() == slow["text"].label_tag()
    assert str(fast) == str(slow)


def test_the_project_uses_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastDjangoTemplates)
