"""Base views. Every gym page derives from one of these, so scoping cannot be forgotten."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import ListView, TemplateView


class TrainerRequiredMixin(LoginRequiredMixin):
    """Signed in as an active trainer of this gym; ``self.actor`` is that trainer.

    ``permission`` is a predicate ``(actor) -> bool``; refusing answers 404, like a missing page,
    so a role learns nothing about pages it may not use.
    """

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.actor = request.trainer
        if self.actor is None or not self.actor.is_active:
            raise Http404
        if self.permission is not None and not type(self).permission(self.actor):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def view_as(self):
        """The trainer chosen in the switcher (apps/trainers/view_scope.py), or None for all the actor sees."""
        from apps.trainers.view_scope import current_view_as

        return current_view_as(self.request)

    def trainer_filter_kwargs(self, kwargs):
        """A list's selector arguments narrowed to the switcher's trainer, when one is chosen."""
        if self.view_as is not None:
            kwargs["trainer_id"] = self.view_as.pk
        return kwargs


class TrainerPageView(TrainerRequiredMixin, TemplateView):
    pass


class ScopedListView(TrainerRequiredMixin, ListView):
    """A list whose rows always come from a selector that takes the actor."""

    selector = None
    paginate_by = 25

    def get_queryset(self):
        return type(self).selector(actor=self.actor, **self.selector_kwargs())

    def selector_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The filters of this page, for the pagination links (components/pagination.html).
        context["querystring"] = self.request.GET.copy()
        context["querystring"].pop("page", None)
        return context
