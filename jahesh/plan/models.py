"""The province's plan for a year: its key actions (and, later, programmes and projects)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Province


class KeyActionQuerySet(models.QuerySet["KeyAction"]):
    def for_year(self, province: Province, year: int) -> "KeyActionQuerySet":
        return self.filter(province=province, year=year).order_by("number")


class KeyAction(models.Model):
    """One of the province's key actions (اقدام اساسی) for one fiscal year."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="key_actions")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    objects = KeyActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("key action")
        verbose_name_plural = _("key actions")
        ordering = ["province", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "number"], name="key_action_number_unique"
            ),
            models.UniqueConstraint(
                fields=["province", "year", "title"], name="key_action_title_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="key_action_number_positive"),
        ]

    def __str__(self) -> str:
        return self.title
