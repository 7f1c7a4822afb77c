"""Builds the demo province through the same services the pages use."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from jahesh.demo import data
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, Province, RoleKind
from jahesh.plan.services import key_action_create


class DemoRefused(Exception):
    pass


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str


def _name(index: int) -> tuple[str, str]:
    # Deterministic: the same index always gives the same person.
    first = data.FIRST_NAMES[(index * 7) % len(data.FIRST_NAMES)]
    last = data.LAST_NAMES[(index * 5 + index // len(data.LAST_NAMES)) % len(data.LAST_NAMES)]
    return first, last


def demo_exists() -> bool:
    return Province.objects.filter(code=data.PROVINCE["code"]).exists()


@transaction.atomic
def load_demo_province() -> Province | None:
    """Create the demo province; return None (and change nothing) when it is already there."""
    if demo_exists():
        return None
    # Hashing once and reusing it keeps loading fast (PBKDF2 is slow on purpose).
    password_hash = make_password(data.DEMO_PASSWORD)
    province = org.province_create(acting_user=None, **data.PROVINCE)
    for number, title in enumerate(data.KEY_ACTIONS_1403, start=1):
        key_action_create(acting_user=None, province=province, year=1403, number=number,
                          title=title)
    sectors = {
        code: org.sector_create(acting_user=None, province=province, code=code, name=name)
        for code, name in data.SECTORS
    }
    agencies: dict[str, Agency] = {}
    for code, name, category, sector, parent in data.AGENCIES:
        agencies[code] = org.agency_create(
            acting_user=None, province=province, code=code, name=name, category=category,
            sector=sectors[sector], parent=agencies[parent] if parent else None,
        )
    index = 0
    for username, kinds, title in data.PROVINCE_PEOPLE:
        first, last = _name(index)
        index += 1
        person = org.person_create(
            acting_user=None, province=province, username=username, password=None,
            password_hash=password_hash, first_name=first, last_name=last, job_title=title,
        )
        for kind in kinds:
            org.role_grant(person=person, kind=kind, province=province, acting_user=None)
    for code, agency in agencies.items():
        people = [("reporter", RoleKind.REPORTER, "کارشناس برنامه‌ریزی"),
                  ("head", RoleKind.APPROVER, "مدیرکل")]
        if code in data.PARTICIPATION_OFFICERS:
            people.append(("participation", RoleKind.PARTICIPATION_OFFICER,
                           "کارشناس مردمی‌سازی"))
        for suffix, kind, title in people:
            first, last = _name(index)
            index += 1
            person = org.person_create(
                acting_user=None, province=province, username=f"{code}.{suffix}", password=None,
                password_hash=password_hash, first_name=first, last_name=last,
                job_title=f"{title} {agency.name}",
            )
            org.role_grant(person=person, kind=kind, province=province, agency=agency,
                           acting_user=None)
    return province


def demo_logins() -> list[DemoLogin]:
    """Every demo login with its role, for `make run` to print."""
    from jahesh.organisation.models import Role

    rows = (
        Role.objects.filter(province__code=data.PROVINCE["code"], person__is_active=True)
        .select_related("person", "agency")
        .order_by("agency__code", "person__username")
    )
    return [
        DemoLogin(
            username=r.person.username,
            role=RoleKind(r.kind).label,
            where=r.agency.name if r.agency else "",
        )
        for r in rows
    ]
