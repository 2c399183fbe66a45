from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def _trainer_for(user):
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
        request.trainer = None
        if getattr(request, "tenant", None) is not None and request.user.is_authenticated:
            trainer = _trainer_for(request.user)
            if trainer is None or not trainer.is_active or not request.user.is_active:
                logout(request)
                messages.error(request, _("Your access to this gym has ended. Ask the owner if this is a mistake."))
                return redirect("account_login")
            request.trainer = trainer
        return self.get_response(request)
