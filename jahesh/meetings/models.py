"""What waits for the HQ's decision. The meetings capability (bodies, meetings, minutes and
resolutions) builds on this backlog; for now it holds the candidates other capabilities put
forward: cases escalated to the HQ and items the chamber working group proposes."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Province


class CandidateSource(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    AGENCY = "agency", _("An agency")
    CHAMBER = "chamber", _("Chamber working group")
    CASE = "case", _("Escalated case")


class CandidateState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a meeting")
    # Taken onto a meeting's agenda (the meetings capability sets this).
    SCHEDULED = "scheduled", _("On a meeting's agenda")
    # No longer needs the HQ: its case was resolved, or the proposer withdrew it.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgendaCandidate(models.Model):
    """An item proposed for the HQ's agenda, with where it came from."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="agenda_candidates")
    source = models.CharField(_("source"), max_length=20, choices=CandidateSource.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # The case escalated to the HQ, when that is the source; one candidate per case.
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True,
        related_name="agenda_candidate",
    )
    state = models.CharField(_("state"), max_length=20, choices=CandidateState.choices,
                             default=CandidateState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda candidate")
        verbose_name_plural = _("agenda candidates")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=CandidateSource.values),
                                   name="agenda_candidate_source_valid"),
            models.CheckConstraint(condition=Q(state__in=CandidateState.values),
                                   name="agenda_candidate_state_valid"),
            models.CheckConstraint(condition=~Q(source="case") | Q(case__isnull=False),
                                   name="agenda_candidate_case_source_has_case"),
        ]
        indexes = [models.Index(fields=["province", "state", "-created_at"],
                                name="agenda_candidate_list_idx")]

    def __str__(self) -> str:
        return self.title
