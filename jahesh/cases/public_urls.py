"""The public form and tracking page (no login), at /obstacle/."""

from django.urls import path

from jahesh.cases import public

app_name = "public_cases"

urlpatterns = [
    path("", public.submit, name="submit"),
    path("sent/", public.submitted, name="submitted"),
    path("track/", public.track, name="track"),
    path("track/confirm/", public.confirm, name="confirm"),
    path("track/reopen/", public.reopen, name="reopen"),
    path("track/file/<int:pk>/", public.attachment, name="attachment"),
]
