"""Profile pages: view, edit, photo, certifications; the owner's list of specialties.

A profile the actor may not see (or, for the edit pages, not change) answers 404 like a missing one.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.errors import ApplicationError
from apps.core.scoping import get_object_or_404
from apps.core.views import ScopedListView, TrainerRequiredMixin

from ..forms.profile import CertificationForm, PhotoForm, ProfileForm, SpecialtyForm
from ..permissions import can_edit_profile, can_manage_specialties, can_view_profile
from ..selectors import profile as selectors
from ..services import profile as services
from ..services import specialties as specialty_services


class ProfileObjectMixin:
    """Puts the trainer of the URL's ``pk`` on ``self.profile``, or answers 404.

    Comes after TrainerRequiredMixin in the bases, so that ``self.actor`` is set when this runs.
    """

    editing = False

    def dispatch(self, request, *args, **kwargs):
        permission = can_edit_profile if self.editing else can_view_profile
        self.profile = get_object_or_404(self.actor, selectors.profile_source(), kwargs["pk"], permission=permission)
        return super().dispatch(request, *args, **kwargs)

    def edit_url(self, anchor=""):
        return reverse("trainer_profile_edit", args=[self.profile.pk]) + anchor


class MyProfileView(TrainerRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        return redirect("trainer_profile", pk=self.actor.pk)


class ProfileView(TrainerRequiredMixin, ProfileObjectMixin, TemplateView):
    template_name = "trainers/profile/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = self.profile
        context["is_own"] = self.profile.pk == self.actor.pk
        context["can_edit"] = can_edit_profile(self.actor, self.profile)
        return context


class ProfileEditView(TrainerRequiredMixin, ProfileObjectMixin, TemplateView):
    """The edit page: details, photo and certifications, each with its own form and URL to post to."""

    editing = True
    template_name = "trainers/profile/edit.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = self.profile
        context["is_own"] = self.profile.pk == self.actor.pk
        context["can_manage_specialties"] = can_manage_specialties(self.actor)
        context["profile_form"] = kwargs.get("profile_form") or ProfileForm(trainer=self.profile)
        context["photo_form"] = kwargs.get("photo_form") or PhotoForm()
        context["certification_form"] = kwargs.get("certification_form") or CertificationForm()
        return context

    def invalid(self, **forms):
        return self.render_to_response(self.get_context_data(**forms), status=400)

    def post(self, request, pk):
        form = ProfileForm(request.POST, trainer=self.profile)
        if form.is_valid():
            try:
                services.profile_update(actor=self.actor, trainer=self.profile, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("trainer_profile", pk=self.profile.pk)
        return self.invalid(profile_form=form)


class PhotoView(ProfileEditView):
    def get(self, request, pk):
        return redirect(self.edit_url())

    def post(self, request, pk):
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.photo_set(actor=self.actor, trainer=self.profile, upload=form.cleaned_data["photo"])
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Photo updated."))
                return redirect(self.edit_url())
        return self.invalid(photo_form=form)


class PhotoRemoveView(TrainerRequiredMixin, ProfileObjectMixin, View):
    editing = True
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.photo_remove(actor=self.actor, trainer=self.profile)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Photo removed."))
        return redirect(self.edit_url())


class CertificationCreateView(ProfileEditView):
    def get(self, request, pk):
        return redirect(self.edit_url("#certifications"))

    def post(self, request, pk):
        form = CertificationForm(request.POST)
        if form.is_valid():
            try:
                services.certification_create(actor=self.actor, trainer=self.profile, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Certification added."))
                return redirect(self.edit_url("#certifications"))
        return self.invalid(certification_form=form)


class CertificationMixin(ProfileObjectMixin):
    """The certification of the URL, on a profile the actor may change; 404 otherwise."""

    editing = True

    def certification(self):
        certification = selectors.certification_get(
            actor=self.actor, trainer=self.profile, pk=self.kwargs["certification_pk"]
        )
        if certification is None:
            raise Http404
        return certification


class CertificationUpdateView(TrainerRequiredMixin, CertificationMixin, TemplateView):
    template_name = "trainers/profile/certification_form.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = self.profile
        context["certification"] = self.object
        context["form"] = kwargs.get("form") or CertificationForm.for_certification(self.object)
        return context

    def get(self, request, *args, **kwargs):
        self.object = self.certification()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.certification()
        form = CertificationForm(request.POST)
        if form.is_valid():
            try:
                services.certification_update(actor=self.actor, certification=self.object, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Certification saved."))
                return redirect(self.edit_url("#certifications"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CertificationDeleteView(TrainerRequiredMixin, CertificationMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        certification = self.certification()
        try:
            services.certification_delete(actor=self.actor, certification=certification)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Certification “%(name)s” removed.") % {"name": certification.name})
        return redirect(self.edit_url("#certifications"))


class SpecialtyListView(ScopedListView):
    """The owner's list of specialties, with how many trainers use each, and a form to add one."""

    permission = can_manage_specialties
    selector = selectors.specialty_list
    template_name = "trainers/profile/specialties.html"
    context_object_name = "specialties"
    paginate_by = None
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or SpecialtyForm()
        return context

    def post(self, request):
        form = SpecialtyForm(request.POST)
        if form.is_valid():
            try:
                specialty = specialty_services.specialty_create(actor=self.actor, name=form.cleaned_data["name"])
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Specialty “%(name)s” added.") % {"name": specialty.name})
                return redirect("specialty_list")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SpecialtyActionView(TrainerRequiredMixin, View):
    """POST-only changes to one specialty: rename, deactivate, reactivate, delete."""

    permission = can_manage_specialties
    http_method_names = ["post"]
    action = None

    def post(self, request, pk):
        specialty = selectors.specialty_get(actor=self.actor, pk=pk)
        if specialty is None:
            raise Http404
        name = specialty.name
        try:
            if self.action == "rename":
                specialty = specialty_services.specialty_rename(
                    actor=self.actor, specialty=specialty, name=request.POST.get("name", "")
                )
                message = _("Specialty “%(old)s” renamed to “%(name)s”.")
            elif self.action == "deactivate":
                specialty_services.specialty_deactivate(actor=self.actor, specialty=specialty)
                message = _("“%(name)s” is no longer offered. Trainers who have it keep it.")
            elif self.action == "reactivate":
                specialty_services.specialty_reactivate(actor=self.actor, specialty=specialty)
                message = _("“%(name)s” is offered again.")
            else:
                specialty_services.specialty_delete(actor=self.actor, specialty=specialty)
                message = _("Specialty “%(name)s” deleted.")
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, message % {"old": name, "name": specialty.name})
        return redirect("specialty_list")
