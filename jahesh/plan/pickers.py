"""Choosing a project or an indicator of the year by typing (the search picker of
`jahesh.core.pickers`): a province has thousands of each, too many for a <select>.

    self.fields["project"] = project_field(province=province, year=year, required=False)
    self.fields["indicator"] = indicator_field(province=province, year=year, required=False)
    self.fields["projects"] = projects_field(province=province, year=year, required=False)

The indicator picker is narrowed by the form's `project` field: once a project is chosen, it
lists that project's indicators as soon as it is entered.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import fold
from jahesh.core.pickers import (
    PICKER_LIMIT,
    SearchChoiceField,
    SearchMultipleChoiceField,
    find_by_number_or_name,
)
from jahesh.organisation.models import Province
from jahesh.plan.models import Indicator, Project


def project_label(project: Project) -> str:
    return f"{project.title} ({project.programme.agency.name})"


def indicator_label(indicator: Indicator) -> str:
    return f"{indicator.name} ({indicator.project.title})"


def projects_of_year(province: Province, year: int) -> QuerySet[Project]:
    return (Project.objects.filter(programme__province=province, programme__year=year)
            .select_related("programme__agency"))


def indicators_of_year(province: Province, year: int) -> QuerySet[Indicator]:
    return (Indicator.objects
            .filter(project__programme__province=province, project__programme__year=year)
            .select_related("project"))


def find_project(queryset: QuerySet[Project], text: str) -> Project:
    """The project `text` names: its record number or its exact title."""
    return find_by_number_or_name(queryset, text, name_of=lambda p: p.title)


def find_indicator(queryset: QuerySet[Indicator], text: str) -> Indicator:
    """The indicator `text` names: its record number or its exact name."""
    return find_by_number_or_name(queryset, text, name_of=lambda i: i.name)


def matching_projects(queryset: QuerySet[Project], text: str,
                      limit: int = PICKER_LIMIT) -> list[Project]:
    """Up to `limit` projects whose title holds `text` (folded); nothing for an empty search."""
    if not fold(text):
        return []
    return list(queryset.search(text).order_by("title", "id")[:limit])


def matching_indicators(queryset: QuerySet[Indicator], text: str, *,
                        project: Project | None = None,
                        limit: int = PICKER_LIMIT) -> list[Indicator]:
    """Up to `limit` indicators matching `text`; of one project, all of them (up to `limit`)
    when nothing is typed, and those whose name holds the folded text when something is."""
    if project is not None:
        rows = list(queryset.filter(project=project).order_by("id")[:200])
        key = fold(text)
        if key:
            rows = [i for i in rows if key in fold(i.name)]
        return rows[:limit]
    if not fold(text):
        return []
    return list(queryset.search(text).order_by("name", "id")[:limit])


class ProjectChoiceField(SearchChoiceField):
    default_error_messages = {
        "invalid_choice": _("No project of this year matches “%(value)s”. Choose one from "
                            "the list."),
        "ambiguous": _("More than one project is titled “%(value)s”. Choose one from the "
                       "list."),
    }


class ProjectsChoiceField(SearchMultipleChoiceField):
    default_error_messages = ProjectChoiceField.default_error_messages


class IndicatorChoiceField(SearchChoiceField):
    default_error_messages = {
        "invalid_choice": _("No indicator of this year matches “%(value)s”. Choose one from "
                            "the list."),
        "ambiguous": _("More than one indicator is named “%(value)s”. Choose one from the "
                       "list, after choosing its project."),
    }


def project_field(*, province: Province, year: int, **kwargs: Any) -> ProjectChoiceField:
    return ProjectChoiceField(
        queryset=projects_of_year(province, year), find=find_project, label_of=project_label,
        search_url=reverse_lazy("plan:project_search"), placeholder=_("Part of its title"),
        results_label=_("Projects found"), **kwargs)


def projects_field(*, province: Province, year: int, **kwargs: Any) -> ProjectsChoiceField:
    """Several projects of the year: ticked boxes, and a search box to add more."""
    return ProjectsChoiceField(
        queryset=projects_of_year(province, year), find=find_project, label_of=project_label,
        search_url=reverse_lazy("plan:project_search"), placeholder=_("Part of its title"),
        results_label=_("Projects found"), **kwargs)


def indicator_field(*, province: Province, year: int, **kwargs: Any) -> IndicatorChoiceField:
    return IndicatorChoiceField(
        queryset=indicators_of_year(province, year), find=find_indicator,
        label_of=indicator_label, search_url=reverse_lazy("plan:indicator_search"),
        placeholder=_("Part of its name, or its project's title"),
        results_label=_("Indicators found"), narrow_by="project", **kwargs)
