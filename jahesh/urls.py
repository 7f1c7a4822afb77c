from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from jahesh.core import views as core_views
from jahesh.core.forms import LoginForm

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("jahesh.organisation.urls")),
    path("audit/", include("jahesh.audit.urls")),
    path("plan/", include("jahesh.plan.urls")),
    path("macro-table/", include("jahesh.macrotable.urls")),
    path("progress/", include("jahesh.progress.urls")),
    path("evaluation/", include("jahesh.evaluation.urls")),
    path("dashboard/", include("jahesh.dashboards.urls")),
    path("notifications/", include("jahesh.notifications.urls")),
    path("units/", include("jahesh.units.urls")),
    path("cases/", include("jahesh.cases.urls")),
    path("visits/", include("jahesh.visits.urls")),
    path("holidays/", include("jahesh.workdays.urls")),
    path("agenda/", include("jahesh.meetings.urls")),
    # The public form and tracking page: no login.
    path("obstacle/", include("jahesh.cases.public_urls")),
]
