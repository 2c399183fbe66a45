from django.urls import path

from .views import availability as views

urlpatterns = [
    path("availability/", views.AvailabilityView.as_view(), name="availability"),
    path("trainers/<int:pk>/availability/", views.AvailabilityView.as_view(), name="trainer_availability"),
    path("trainers/<int:pk>/availability/slots/", views.SlotAddView.as_view(), name="availability_slot_add"),
    path(
        "trainers/<int:pk>/availability/slots/<int:slot_pk>/",
        views.SlotEditView.as_view(),
        name="availability_slot_edit",
    ),
    path(
        "trainers/<int:pk>/availability/slots/<int:slot_pk>/delete/",
        views.SlotDeleteView.as_view(),
        name="availability_slot_delete",
    ),
    path("trainers/<int:pk>/availability/time-off/", views.TimeOffAddView.as_view(), name="time_off_add"),
    path(
        "trainers/<int:pk>/availability/time-off/<int:time_off_pk>/delete/",
        views.TimeOffDeleteView.as_view(),
        name="time_off_delete",
    ),
]
