from django.urls import path

from .views import pricing

urlpatterns = [
    path("pricing/", pricing.PricingListView.as_view(), name="pricing_list"),
    path("pricing/new/", pricing.PricingCreateView.as_view(), name="pricing_create"),
    path("pricing/<int:pk>/edit/", pricing.PricingUpdateView.as_view(), name="pricing_update"),
    path("pricing/<int:pk>/toggle/", pricing.PricingToggleView.as_view(), name="pricing_toggle"),
]
