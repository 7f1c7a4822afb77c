"""What a person is allowed to be: their roles, loaded once per request.

Permission policies ask the Actor, never the Role table directly, so a page costs one query
for roles however many checks it makes.
"""

from dataclasses import dataclass, field
from typing import Any

from jahesh.organisation.models import AGENCY_ROLES, Role, RoleKind


@dataclass(frozen=True)
class Grant:
    kind: str
    province_id: int
    agency_id: int | None


@dataclass(frozen=True)
class Actor:
    person: Any | None
    grants: tuple[Grant, ...] = field(default=())

    @property
    def is_authenticated(self) -> bool:
        return self.person is not None

    def has(self, kind: str, *, province_id: int | None = None, agency_id: int | None = None) -> bool:
        return any(
            g.kind == kind
            and (province_id is None or g.province_id == province_id)
            and (agency_id is None or g.agency_id == agency_id)
            for g in self.grants
        )

    def provinces(self, *kinds: str) -> set[int]:
        """Provinces where the person holds any of `kinds` (any role at all when none given)."""
        return {g.province_id for g in self.grants if not kinds or g.kind in kinds}

    def agencies(self, *kinds: str) -> set[int]:
        """Agencies where the person holds any of `kinds` (any agency role when none given)."""
        wanted = set(kinds) or set(AGENCY_ROLES)
        return {g.agency_id for g in self.grants if g.kind in wanted and g.agency_id is not None}

    def is_secretariat_of(self, province_id: int | None) -> bool:
        return province_id is not None and self.has(RoleKind.SECRETARIAT, province_id=province_id)

    @property
    def home_province_id(self) -> int | None:
        if self.person is not None and self.person.province_id:
            return self.person.province_id
        return min(self.provinces(), default=None)


ANONYMOUS = Actor(person=None)


def actor_for(user: Any) -> Actor:
    """The Actor for `user`, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_jahesh_actor", None)
    if cached is None:
        rows = Role.objects.filter(person_id=user.pk).values_list("kind", "province_id", "agency_id")
        cached = Actor(person=user, grants=tuple(Grant(*row) for row in rows))
        user._jahesh_actor = cached
    return cached
