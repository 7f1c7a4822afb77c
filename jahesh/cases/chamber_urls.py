"""The chamber working group's pages: its demands. Included at /cases/chamber/ in the `cases`
namespace (the agenda proposals are at meetings:candidate_list and candidate_propose)."""

from django.urls import path

from jahesh.cases import chamber

urlpatterns = [
    path("", chamber.chamber_demands, name="chamber_demands"),
    path("new/", chamber.chamber_demand_create, name="chamber_demand_create"),
    path("<uuid:uid>/", chamber.chamber_demand_detail, name="chamber_demand_detail"),
    path("<uuid:uid>/confirm/", chamber.chamber_demand_confirm, name="chamber_demand_confirm"),
    path("<uuid:uid>/reopen/", chamber.chamber_demand_reopen, name="chamber_demand_reopen"),
    path("<uuid:uid>/files/<int:pk>/", chamber.chamber_attachment, name="chamber_attachment"),
]
