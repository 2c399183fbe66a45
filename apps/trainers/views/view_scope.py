from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from apps.core.views import TrainerRequiredMixin

from ..forms.view_scope import ViewAsForm
from ..view_scope import can_switch_view, set_view_as, switchable_trainers


class ViewAsView(TrainerRequiredMixin, View):
    """POST ``trainer`` (an id, or empty for all): whose data the lists show from now on in this browser session.

    A choice outside what the actor may pick answers 404 and leaves the current choice as it was.
    """

    permission = can_switch_view
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ViewAsForm(request.POST, trainers=switchable_trainers(actor=self.actor))
        if not form.is_valid():
            raise Http404
        trainer = form.cleaned_data["trainer"]
        set_view_as(request, trainer)  # the banner on every page says whose data is shown (templates/base.html)
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = "dashboard"
        return redirect(next_url)
