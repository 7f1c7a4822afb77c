"""The HQ agenda backlog: the candidates, and proposing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jahesh.cases.services import case_url
from jahesh.core.paging import paginate, query_without_page
from jahesh.meetings import services
from jahesh.meetings.forms import CandidateFilterForm, ProposeForm
from jahesh.meetings.models import CandidateState
from jahesh.meetings.permissions import candidates as candidate_policy
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province
from jahesh.organisation.selectors import home_province


def _province(actor: Actor) -> Province:
    province = home_province(actor)
    if province is None:
        raise Http404
    return province


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not candidate_policy.allows(actor, "list", province=province):
        raise PermissionDenied
    see_all = candidate_policy.allows(actor, "see_all", province=province)
    params = request.GET.copy()
    params.setdefault("state", CandidateState.PROPOSED)
    form = CandidateFilterForm(params, show_source=see_all)
    rows = candidate_policy.visible(actor).filter(province=province)
    if form.is_valid():
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
        if see_all and form.cleaned_data.get("source"):
            rows = rows.filter(source=form.cleaned_data["source"])
    page = paginate(request, rows.select_related("case", "proposed_by")
                    .order_by("-created_at", "-id"))
    for candidate in page:
        candidate.case_link = case_url(candidate.case) if candidate.case_id else ""
    return render(request, "meetings/candidate_list.html", {
        "form": form, "page": page, "query": query_without_page(request), "see_all": see_all,
        "province": province, "is_chamber_only": not see_all,
        "may_propose": candidate_policy.allows(actor, "propose", province=province),
    })


@login_required
def candidate_propose(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not candidate_policy.allows(actor, "propose", province=province):
        raise PermissionDenied
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.propose(province=province, source=candidate_policy.source_for(actor, province),
                         title=form.cleaned_data["title"],
                         description=form.cleaned_data["description"],
                         acting_user=request.user)
        messages.success(request, _("Your proposal was added to the items waiting for the "
                                    "HQ's agenda."))
        return redirect("meetings:candidate_list")
    return render(request, "meetings/candidate_form.html", {"form": form, "province": province,
                                                            "see_all": candidate_policy.allows(
                                                                actor, "see_all",
                                                                province=province)})
