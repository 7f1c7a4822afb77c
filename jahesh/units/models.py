"""Production units (واحدهای تولیدی): the factories, workshops and firms whose obstacles
become cases, and the industrial parks they sit in."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Province
from jahesh.plan.models import County, PriorityIndustry


class IndustrialPark(models.Model):
    """An industrial park or zone (شهرک یا ناحیه صنعتی) of a province."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="industrial_parks")
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="industrial_parks",
        verbose_name=_("county"),
    )
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("industrial park")
        verbose_name_plural = _("industrial parks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="industrial_park_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductionUnitQuerySet(models.QuerySet["ProductionUnit"]):
    def active(self) -> "ProductionUnitQuerySet":
        return self.filter(is_active=True)

    def search(self, text: str) -> "ProductionUnitQuerySet":
        from jahesh.core.persian import fold, to_latin_digits

        key = fold(text)
        if not key:
            return self
        digits = to_latin_digits(text).strip()
        if digits.isdigit() and len(digits) >= 5:
            return self.filter(Q(national_id__startswith=digits) | Q(search_text__contains=key))
        return self.filter(search_text__contains=key)


class ProductionUnit(models.Model):
    """A production unit: who it is, what it makes, where it is, whom to call."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="production_units")
    name = models.CharField(_("name"), max_length=200)
    # شناسه ملی اشخاص حقوقی: 11 digits with a check digit (see units/validators.py).
    national_id = models.CharField(_("national business id"), max_length=11, blank=True)
    isic_code = models.CharField(_("ISIC code"), max_length=10, blank=True)
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="production_units",
        verbose_name=_("county"),
    )
    industrial_park = models.ForeignKey(
        IndustrialPark, on_delete=models.PROTECT, null=True, blank=True,
        related_name="production_units", verbose_name=_("industrial park"),
    )
    priority_industry = models.ForeignKey(
        PriorityIndustry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("priority industry"),
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    is_knowledge_based = models.BooleanField(_("knowledge-based company"), default=False)
    is_cooperative = models.BooleanField(_("cooperative"), default=False)
    is_home_business = models.BooleanField(_("home business"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Folded name, national id, activity and contact (jahesh.core.persian.fold), for search.
    search_text = models.CharField(max_length=800, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductionUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")
        ordering = ["name", "id"]
        constraints = [
            # One unit per business id in a province; units without an id are allowed (home
            # businesses often have none).
            models.UniqueConstraint(
                fields=["province", "national_id"], condition=~Q(national_id=""),
                name="unit_national_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(national_id="") | Q(national_id__regex=r"^[0-9]{11}$"),
                name="unit_national_id_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "is_active", "name"], name="unit_list_idx"),
        ]

    def __str__(self) -> str:
        return self.name
