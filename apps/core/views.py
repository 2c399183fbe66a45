"""Base views. Every gym page derives from one of these, so scoping cannot be forgotten."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView, TemplateView

from .permissions import page_actor
from .scoping import get_object_or_404


class TrainerRequiredMixin(LoginRequiredMixin):
    """Signed in as an active trainer of this gym; ``self.actor`` is that trainer (``request.actor``).

    ``permission`` is a predicate ``(actor) -> bool`` of the role alone; refusing answers the friendly 403 page
    ("not available for your role"). Objects are checked later (``ScopedObjectMixin``) and answer 404.
    """

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        permission = type(self).permission
        self.actor = page_actor(request, permission)
        return super().dispatch(request, *args, **kwargs)

    @property
    def view_as(self):
        """The trainer chosen in the switcher (``request.view_as``), or None for all the actor sees."""
        return getattr(self.request, "view_as", None)

    def trainer_filter_kwargs(self, kwargs):
        """A list's selector arguments narrowed to the switcher's trainer, when one is chosen."""
        if self.view_as is not None:
            kwargs["trainer_id"] = self.view_as.pk
        return kwargs


class TrainerPageView(TrainerRequiredMixin, TemplateView):
    pass


class ScopedObjectMixin:
    """One object from the URL through :func:`apps.core.scoping.get_object_or_404`: ``object_source`` (a scoped
    model or queryset) filtered by ``visible_to(actor)``; 404 when it is not visible or ``object_permission(actor,
    obj)`` refuses. Use with ``TrainerRequiredMixin``."""

    object_source = None  # a model, or a queryset of one, whose queryset is a ScopedQuerySet
    object_permission = None  # (actor, obj) -> bool
    pk_url_kwarg = "pk"

    def get_object_source(self):
        return type(self).object_source

    def get_scoped_object(self, permission=None):
        return get_object_or_404(
            self.actor,
            self.get_object_source(),
            self.kwargs[self.pk_url_kwarg],
            permission=permission or type(self).object_permission,
        )


class ScopedListView(TrainerRequiredMixin, ListView):
    """A list whose rows always come from ``selector(actor=..., **selector_kwargs())``.

    ``get_queryset`` is final: a subclass that overrides it (and could skip ``visible_to``) fails at import.
    """

    selector = None
    paginate_by = 25

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} overrides get_queryset: give a selector and selector_kwargs() instead")

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
