"""The holiday calendar a province's deadlines count around (Fridays are always off)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Province


class Holiday(models.Model):
    """An official holiday (تعطیل رسمی) in a province, edited by the secretariat."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("occasion"), max_length=150)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["province", "date"], name="holiday_date_unique"),
        ]

    def __str__(self) -> str:
        return self.name
