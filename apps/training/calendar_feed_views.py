"""The trainer's calendar feed: the page that makes the private link (and names clients in it), and the anonymous
``/calendar/<token>.ics`` it points at."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.errors import ApplicationError
from apps.core.views import TrainerPageView

from .feed import AHEAD, PAST, feed_ical
from .models import CalendarFeed
from .services import calendar_feed as services


class CalendarFeedPageView(TrainerPageView):
    """GET: the feed's state. POST ``action=new``: a new link, shown once (replacing one needs ``confirm``);
    ``action=names``: full names or first name and initial."""

    permission = services.can_have_calendar_feed
    template_name = "training/calendar_feed.html"
    http_method_names = ["get", "post"]

    def render_page(self, *, status=200, url=None, error=None):
        feed = CalendarFeed.objects.visible_to(self.actor).first()
        context = self.get_context_data(feed=feed, url=url, error=error, past_days=PAST.days, ahead_days=AHEAD.days)
        response = self.render_to_response(context, status=status)
        if url:
            response["Cache-Control"] = "no-store"  # the only time the link is shown: keep it out of caches
        return response

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "new":
                exists = CalendarFeed.objects.visible_to(self.actor).exists()
                if exists and request.POST.get("confirm") != "on":
                    message = _("Tick the box to confirm: the current link stops working.")
                    return self.render_page(status=400, error=message)
                _feed, token = services.calendar_feed_create(actor=self.actor)
                path = reverse("calendar_feed_ics", kwargs={"token": token})
                return self.render_page(url=request.build_absolute_uri(path))
            if action == "names":
                services.calendar_feed_names_set(actor=self.actor, full_names=request.POST.get("full_names") == "on")
                messages.success(request, _("Calendar settings saved."))
                return redirect("calendar_feed")
        except ApplicationError as error:
            return self.render_page(status=400, error=error.message)
        return self.render_page(status=400, error=_("Choose what to do."))


class CalendarFeedIcsView(View):
    """Anonymous on the gym's host: the token is the credential. 404 for a wrong, old or ended link (an inactive
    trainer); a suspended gym never gets here (the tenant middleware answers first)."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        feed = services.calendar_feed_for_token(token)
        if feed is None:
            raise Http404
        response = HttpResponse(feed_ical(feed, request.tenant), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="sessions.ics"'
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response
