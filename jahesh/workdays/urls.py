from django.urls import path

from jahesh.workdays import views

app_name = "workdays"

urlpatterns: list = [
    path("", views.holiday_list, name="holiday_list"),
    path("<int:pk>/remove/", views.holiday_remove, name="holiday_remove"),
]
