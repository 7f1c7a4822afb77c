"""The application's URLs plus a bare "hello" view: the floor `make bench` compares against."""

from django.urls import path

from jahesh.core.views import hello
from jahesh.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("bench/hello", hello), *app_urlpatterns]
