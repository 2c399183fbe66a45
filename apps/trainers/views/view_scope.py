from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from apps.access import can_switch_view
from apps.core.views import TrainerRequiredMixin

from ..context_processors import switchable_trainers
from ..forms.view_scope import ViewAsForm
from ..middleware import set_view_as


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
        set_view_as(request, form.cleaned_data["trainer"])  # the banner on every page says whose data is shown
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = "dashboard"
        return redirect(next_url)
