"""Who takes part: provinces, their sectors and executive agencies, people and their roles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province and its Production Leap HQ. A national deployment holds many."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    hq_name = models.CharField(_("headquarters"), max_length=200)
    council_name = models.CharField(_("deciding body"), max_length=200, blank=True)
    secretariat_name = models.CharField(_("secretariat"), max_length=200)
    current_year = models.PositiveSmallIntegerField(
        _("current fiscal year"), help_text=_("The Jalali year the headquarters is working on.")
    )
    slogan = models.CharField(_("slogan of the year"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_year__gte=1300, current_year__lte=1600),
                name="province_current_year_is_jalali",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """An economic sector (industry, agriculture, …) that agencies are grouped and ranked by."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="sectors")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="sector_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyCategory(models.TextChoices):
    DRIVER = "driver", _("Driver")
    SUPPORTING = "supporting", _("Supporting")
    SERVICE = "service", _("Service")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> "AgencyQuerySet":
        return self.filter(is_active=True)

    def search(self, text: str) -> "AgencyQuerySet":
        from jahesh.core.persian import fold

        key = fold(text)
        return self.filter(search_text__contains=key) if key else self


class Agency(models.Model):
    """An executive agency (دستگاه اجرایی): every provincial department with a mission in the HQ."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies")
    code = models.SlugField(
        _("short code"),
        max_length=30,
        help_text=_("Latin letters, digits and hyphens; used in usernames such as agri.reporter."),
    )
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=AgencyCategory.choices)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="agencies",
        verbose_name=_("sector"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent agency"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Folded name and code (see jahesh.core.persian.fold), kept by the services for search.
    search_text = models.CharField(max_length=400, editable=False, default="")
    # Bumped on every change so that two people editing at once are detected.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="agency_code_unique"),
            models.UniqueConstraint(fields=["province", "name"], name="agency_name_unique"),
            models.CheckConstraint(
                condition=Q(category__in=AgencyCategory.values), name="agency_category_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="agency_not_own_parent"),
        ]
        indexes = [
            # The agency list: WHERE province_id = ? [AND is_active] ORDER BY name.
            models.Index(fields=["province", "is_active", "name"], name="agency_list_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    HQ_MEMBER = "hq_member", _("HQ member")
    CHAMBER = "chamber", _("Chamber working group")
    EVALUATOR = "evaluator", _("Evaluator")
    REPORTER = "reporter", _("Agency reporter")
    APPROVER = "approver", _("Agency head")
    PARTICIPATION_OFFICER = "participation_officer", _("People-participation officer")


# Roles held for one agency; the others are held for a whole province.
AGENCY_ROLES = frozenset(
    {RoleKind.REPORTER, RoleKind.APPROVER, RoleKind.PARTICIPATION_OFFICER}
)
# Sorted, so that the constraint below (and its migration) is the same on every run.
_AGENCY_ROLE_VALUES = sorted(k.value for k in AGENCY_ROLES)


class PersonQuerySet(models.QuerySet["Person"]):
    def search(self, text: str) -> "PersonQuerySet":
        from jahesh.core.persian import fold

        key = fold(text)
        return self.filter(search_text__contains=key) if key else self


class PersonManager(UserManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    pass


class Person(AbstractUser):
    """Anyone who logs in. What they may do comes from their roles, never from the person alone."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("province"),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="roles")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="roles",
        verbose_name=_("agency"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=_AGENCY_ROLE_VALUES, agency__isnull=False)
                    | (~Q(kind__in=_AGENCY_ROLE_VALUES) & Q(agency__isnull=True))
                ),
                name="role_agency_matches_kind",
            ),
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="role_kind_valid"),
            models.UniqueConstraint(
                fields=["person", "kind", "province"],
                condition=Q(agency__isnull=True),
                name="role_unique_province_role",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "agency"],
                condition=Q(agency__isnull=False),
                name="role_unique_agency_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency or self.province
        return f"{self.get_kind_display()} — {where}"
