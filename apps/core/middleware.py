from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def _trainer_for(request):
    user = request.user
    if not user.is_authenticated:
        return None
    from apps.trainers.models import Trainer

    trainer = Trainer.objects.filter(user_id=user.pk).first()
    if trainer is not None:
        trainer.user = user  # already loaded by the auth middleware: no second query
    return trainer


class TrainerMiddleware:
    """Put the signed-in trainer on ``request.trainer``; end the session of a deactivated one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "tenant", None) is None:
            request.trainer = None
            return self.get_response(request)
        request.trainer = SimpleLazyObject(lambda: _trainer_for(request))
        user = request.user
        if user.is_authenticated and (not user.is_active or request.trainer is None or not request.trainer.is_active):
            logout(request)
            messages.error(request, _("Your access to this gym has ended. Ask the owner if this is a mistake."))
            return redirect("account_login")
        return self.get_response(request)
