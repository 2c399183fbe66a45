from django import forms

from apps.clients.models import Client


def test_the_empty_choice_of_a_select_is_our_translatable_string():
    """Django's "- Select an option -" has no Korean translation; the project's "Choose…" has one."""
    assert Client._meta.get_field("report_language").formfield().choices[0] == ("", "Choose…")
    assert forms.ModelChoiceField(queryset=Client.objects.none()).empty_label == "Choose…"
