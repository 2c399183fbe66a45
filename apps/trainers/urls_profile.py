from django.urls import path

from .views import api_keys, profile

urlpatterns = [
    path("profile/", profile.MyProfileView.as_view(), name="my_profile"),
    path("profile/api-keys/", api_keys.ApiKeyListView.as_view(), name="api_keys"),
    path("profile/api-keys/<int:pk>/revoke/", api_keys.ApiKeyRevokeView.as_view(), name="api_key_revoke"),
    path("trainers/<int:pk>/", profile.ProfileView.as_view(), name="trainer_profile"),
    path("trainers/<int:pk>/edit/", profile.ProfileEditView.as_view(), name="trainer_profile_edit"),
    path("trainers/<int:pk>/photo/", profile.PhotoView.as_view(), name="trainer_photo"),
    path("trainers/<int:pk>/photo/remove/", profile.PhotoRemoveView.as_view(), name="trainer_photo_remove"),
    path("trainers/<int:pk>/certifications/", profile.CertificationCreateView.as_view(), name="certification_create"),
    path(
        "trainers/<int:pk>/certifications/<int:certification_pk>/",
        profile.CertificationUpdateView.as_view(),
        name="certification_update",
    ),
    path(
        "trainers/<int:pk>/certifications/<int:certification_pk>/delete/",
        profile.CertificationDeleteView.as_view(),
        name="certification_delete",
    ),
    path("team/specialties/", profile.SpecialtyListView.as_view(), name="specialty_list"),
    path(
        "team/specialties/<int:pk>/rename/",
        profile.SpecialtyActionView.as_view(action="rename"),
        name="specialty_rename",
    ),
    path(
        "team/specialties/<int:pk>/deactivate/",
        profile.SpecialtyActionView.as_view(action="deactivate"),
        name="specialty_deactivate",
    ),
    path(
        "team/specialties/<int:pk>/reactivate/",
        profile.SpecialtyActionView.as_view(action="reactivate"),
        name="specialty_reactivate",
    ),
    path(
        "team/specialties/<int:pk>/delete/",
        profile.SpecialtyActionView.as_view(action="delete"),
        name="specialty_delete",
    ),
]
