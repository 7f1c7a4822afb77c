from django.urls import path

from jahesh.organisation import views

app_name = "organisation"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/active/", views.agency_set_active, name="agency_set_active"),
    path("account/password/", views.own_password, name="own_password"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
    path("people/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("people/<int:pk>/roles/<int:role_pk>/revoke/", views.role_revoke, name="role_revoke"),
]
