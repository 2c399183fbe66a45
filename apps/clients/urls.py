from django.urls import path

from . import views

urlpatterns = [
    path("", views.ClientListView.as_view(), name="client_list"),
    path("new/", views.ClientCreateView.as_view(), name="client_create"),
    path("import/", views.ClientImportView.as_view(), name="client_import"),
    path("export.csv", views.ClientExportView.as_view(), name="client_export"),
    path("<int:pk>/", views.ClientDetailView.as_view(), name="client_detail"),
    path("<int:pk>/edit/", views.ClientUpdateView.as_view(), name="client_update"),
    path("<int:pk>/archive/", views.ClientStatusView.as_view(archive=True), name="client_archive"),
    path("<int:pk>/unarchive/", views.ClientStatusView.as_view(archive=False), name="client_unarchive"),
    path("<int:pk>/screening/", views.ScreeningView.as_view(), name="client_screening"),
    path("<int:pk>/data.json", views.ClientDataExportView.as_view(), name="client_data_export"),
    path("<int:pk>/erase/", views.ClientEraseView.as_view(), name="client_erase"),
]
