"""The plan's forms expose what monthly reporting needs: how an indicator is reported each
month (cumulative or for the month) and a project's weight in its programme."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jahesh.audit.models import AuditEvent
from jahesh.plan.models import Indicator, Project
from jahesh.plan.tests.views_support import (
    assert_field_error,
    indicator_data,
    make_programme,
    project_data,
    tr,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(province):  # type: ignore[no-untyped-def]
    return make_programme(province)


def test_an_indicator_is_reported_for_the_month_when_chosen(client_for, draft) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    url = reverse("plan:indicator_create", args=[draft.project.pk])
    assert 'name="measure"' in client.get(url).content.decode()
    assert client.post(url, indicator_data(name="شغل ایجادشده", measure="monthly")
                       ).status_code == 302
    indicator = Indicator.objects.get(name="شغل ایجادشده")
    assert indicator.measure == "monthly"
    event = AuditEvent.objects.filter(event="indicator.created").latest("id")
    assert event.after["measure"] == "monthly"
    # A form that does not post it keeps what the indicator has.
    edit = reverse("plan:indicator_edit", args=[indicator.pk])
    assert client.post(edit, indicator_data(name="شغل ایجادشده")).status_code == 302
    indicator.refresh_from_db()
    assert indicator.measure == "monthly"
    assert client.post(edit, indicator_data(measure="yearly")).status_code == 200


def test_a_project_has_a_weight_in_its_programme(client_for, draft) -> None:  # type: ignore[no-untyped-def]
    client = client_for("agri.reporter")
    url = reverse("plan:project_edit", args=[draft.project.pk])
    assert 'name="weight"' in client.get(url).content.decode()
    project = draft.project
    assert client.post(url, project_data(project, weight="۲٫۵")).status_code == 302
    project.refresh_from_db()
    assert project.weight == Decimal("2.5")
    response = client.post(url, project_data(Project.objects.get(pk=project.pk), weight="۰"))
    assert assert_field_error(response, "weight") == [tr("The weight must be more than zero.")]
    # Empty means 1.
    created = client.post(reverse("plan:project_create", args=[draft.programme.pk]),
                          project_data(title="پروژه تازه ۱۰ واحد"))
    assert created.status_code == 302
    assert Project.objects.get(title="پروژه تازه ۱۰ واحد").weight == 1
