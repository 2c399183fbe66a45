"""The API key page: a trainer's keys (the owner sees every key of the gym), create one, revoke one.

The whole key appears once, in the answer to the POST that created it; afterwards only its prefix is shown.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from apps.access import is_active_member
from apps.core.errors import ApplicationError
from apps.core.views import ScopedObjectMixin, TrainerPageView, TrainerRequiredMixin

from ..forms.api_keys import ApiKeyForm
from ..models import ApiKey
from ..selectors.api_keys import api_keys_of
from ..services import api_keys as services


class ApiKeyListView(TrainerPageView):
    permission = is_active_member
    template_name = "trainers/api_keys.html"
    http_method_names = ["get", "post"]

    def render_page(self, form, status=200, created=None, secret=None):
        context = self.get_context_data(form=form, keys=api_keys_of(actor=self.actor), created=created, secret=secret)
        response = self.render_to_response(context, status=status)
        if secret:
            response["Cache-Control"] = "no-store"  # the only copy of the secret must not sit in a cache
        return response

    def get(self, request, *args, **kwargs):
        return self.render_page(ApiKeyForm())

    def post(self, request, *args, **kwargs):
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            try:
                key, secret = services.api_key_create(actor=self.actor, **form.service_kwargs())
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return self.render_page(ApiKeyForm(), created=key, secret=secret)
        return self.render_page(form, status=400)


class ApiKeyRevokeView(ScopedObjectMixin, TrainerRequiredMixin, View):
    permission = is_active_member
    object_source = ApiKey.objects.select_related("trainer__user")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        key = self.get_scoped_object()
        try:
            services.api_key_revoke(actor=self.actor, key=key)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Key “%(name)s” revoked. Programs using it are refused from now on.") % {"name": key.name}
            )
        return redirect("api_keys")
