from django.urls import path

from . import calendar_feed_views, views

urlpatterns = [
    path("packages/", views.PackageListView.as_view(), name="package_list"),
    path("packages/expiring/", views.PackageExpiringView.as_view(), name="package_expiring"),
    path("packages/new/", views.PackageSellView.as_view(), name="package_sell"),
    path("packages/<int:pk>/", views.PackageDetailView.as_view(), name="package_detail"),
    path("packages/<int:pk>/cancel/", views.PackageCancelView.as_view(), name="package_cancel"),
    path("packages/<int:pk>/payments/", views.PaymentCreateView.as_view(kind="payment"), name="payment_create"),
    path("packages/<int:pk>/refunds/", views.PaymentCreateView.as_view(kind="refund"), name="payment_refund"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("payments/<int:pk>/receipt/", views.PaymentReceiptView.as_view(), name="payment_receipt"),
    path("sessions/", views.CalendarView.as_view(), name="calendar"),
    path("sessions/new/", views.SessionScheduleView.as_view(), name="session_schedule"),
    path("sessions/<int:pk>/edit/", views.SessionEditView.as_view(), name="session_edit"),
    path("sessions/<int:pk>/undo/", views.SessionUndoView.as_view(), name="session_undo"),
    path("sessions/<int:pk>/complete/", views.SessionActionView.as_view(action="complete"), name="session_complete"),
    path("sessions/<int:pk>/cancel/", views.SessionActionView.as_view(action="cancel"), name="session_cancel"),
    path("sessions/<int:pk>/no-show/", views.SessionActionView.as_view(action="no_show"), name="session_no_show"),
    # Issue 15: the trainer's private calendar feed.
    path("profile/calendar/", calendar_feed_views.CalendarFeedPageView.as_view(), name="calendar_feed"),
    path("calendar/<str:token>.ics", calendar_feed_views.CalendarFeedIcsView.as_view(), name="calendar_feed_ics"),
]
