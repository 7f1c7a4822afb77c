"""Industry-day visits (روز صنعت): the governor, agency managers and bank managers visit
production units, usually on Wednesdays; each problem heard there becomes a case."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Province
from jahesh.units.models import ProductionUnit


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=VisitState.choices,
                             default=VisitState.PLANNED)
    # People with an account (the governor, agency managers) and, as text, those without one
    # (bank managers, guests).
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                          verbose_name=_("participants"))
    other_participants = models.TextField(
        _("other participants"), blank=True,
        help_text=_("One per line, for example a bank's provincial manager."))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("industry-day visit")
        verbose_name_plural = _("industry-day visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=VisitState.values),
                                   name="visit_state_valid"),
        ]
        indexes = [models.Index(fields=["province", "-date"], name="visit_list_idx")]

    def __str__(self) -> str:
        return self.title or str(self.date)


class VisitStop(models.Model):
    """A production unit on a visit's route."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="stops")
    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="visit_stops",
                             verbose_name=_("production unit"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    visited = models.BooleanField(_("visited"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("unit visited")
        verbose_name_plural = _("units visited")
        ordering = ["visit", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "unit"], name="visit_stop_unit_unique"),
        ]

    def __str__(self) -> str:
        return str(self.unit)
