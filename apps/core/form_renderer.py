"""The form renderer (``FORM_RENDERER``): Django's, with the few widget templates every page uses done in Python.

Issue 16's profile: a list page's filter form (six fields, about twenty options) cost more than its 25 rows, since
Django renders every input, select, option and label through a template (one ``{% include %}`` per option and per
attribute list). The same HTML, byte for byte, comes from string joins here (``tests/core/test_form_renderer.py``
compares both on every widget of the project's forms); anything else still goes through Django's templates. The
default renderer's engine always takes these templates from Django itself (its ``DIRS`` come first), so no
override can be missed.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
# Django's input widgets whose template is exactly ``{% include "django/forms/widgets/input.html" %}``.
INPUT_NAMES = ("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password")
INPUT_TEMPLATES = frozenset(WIDGETS + name + ".html" for name in (*INPUT_NAMES, "search", "tel", "text", "time", "url"))
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
LABEL = "django/forms/label.html"


def _attrs(attrs):
    """``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _option(option):
    # The template file ends with a newline, which its ``{% include %}`` in select.html keeps.
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


class FastDjangoTemplates(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == SELECT:
            return self._select(context["widget"], context, request)
        if template_name == LABEL:
            label = conditional_escape(context["label"])
            if not context["use_tag"]:
                return label.strip()
            tag = context["tag"]
            return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>".strip()
        return super().render(template_name, context, request)

    def _select(self, widget, context, request):
        if any(option["template_name"] != OPTION for _, group, _ in widget["optgroups"] for option in group):
            return super().render(SELECT, context, request)
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(f"\n  {_option(option)}" for option in group)
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
