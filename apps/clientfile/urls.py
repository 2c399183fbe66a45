from django.urls import path

from . import views

urlpatterns = [
    path("", views.ClientListView.as_view(), name="client_list"),
    path("export.csv", views.ClientExportView.as_view(), name="client_export"),
    path("<int:pk>/", views.ClientDetailView.as_view(), name="client_detail"),
    path("<int:pk>/data.json", views.ClientDataExportView.as_view(), name="client_data_export"),
    path("<int:pk>/erase/", views.ClientEraseView.as_view(), name="client_erase"),
    path("<int:pk>/payments/new/", views.ClientPaymentCreateView.as_view(), name="client_payment_create"),
]
