from django.urls import path

from . import views

# The list, the client's page, the JSON export and erasure read across apps: apps/clientfile/urls.py.
urlpatterns = [
    path("new/", views.ClientCreateView.as_view(), name="client_create"),
    path("import/", views.ClientImportView.as_view(), name="client_import"),
    path("<int:pk>/edit/", views.ClientUpdateView.as_view(), name="client_update"),
    path("<int:pk>/archive/", views.ClientStatusView.as_view(archive=True), name="client_archive"),
    path("<int:pk>/unarchive/", views.ClientStatusView.as_view(archive=False), name="client_unarchive"),
    path("<int:pk>/screening/", views.ScreeningView.as_view(), name="client_screening"),
]
