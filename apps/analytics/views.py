from apps.core.views import TrainerPageView

from .dashboard import dashboard


class DashboardView(TrainerPageView):
    """The day ahead and the month so far, for the trainers the switcher shows."""

    template_name = "trainers/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = dashboard(actor=self.actor, trainer_id=getattr(self.view_as, "pk", None))
        return context
