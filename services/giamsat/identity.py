"""Who is acting, and over which part of the unit tree: roles, grants, the principal.

Low in the layers so every domain can check permissions without importing `accounts`; the
accounts domain stores these roles, and `Principal.of` reads any user with `roles`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Role(str, enum.Enum):
    #: Administers the whole province tenant (users, rules, catalogues).
    tenant_admin = "tenant_admin"
    #: Administers one unit's subtree: users and residential areas.
    unit_admin = "unit_admin"
    #: Cán bộ: records and handles the work of the unit.
    staff = "staff"
    #: Lãnh đạo: approves and signs off (reports, forwards).
    leader = "leader"
    #: Sees the unit's subtree, changes nothing.
    readonly = "readonly"


@dataclass(frozen=True)
class Grant:
    role: Role
    unit_id: int
    #: The granted unit's materialized path; the grant covers every unit below it.
    unit_path: str
    organization_id: int | None = None


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    full_name: str
    locale: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, user: Any) -> Principal:
        """The principal of a stored user (anything with the accounts User's attributes)."""
        grants = tuple(Grant(r.role, r.unit_id, r.unit.path, r.organization_id) for r in user.roles)
        return cls(user.id, user.username, user.full_name, user.locale, grants)

    @property
    def root_paths(self) -> tuple[str, ...]:
        """Tops of the subtrees this user may see; a path inside another is dropped."""
        paths = sorted({g.unit_path for g in self.grants})
        return tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))

    def sees_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self.root_paths)

    def has_role_over(self, path: str, roles: frozenset[Role] | set[Role]) -> bool:
        """Holds one of `roles` at the unit with `path` or at one of its ancestors."""
        return any(g.role in roles and path.startswith(g.unit_path) for g in self.grants)

    @property
    def is_tenant_admin(self) -> bool:
        return any(g.role == Role.tenant_admin for g in self.grants)

    @property
    def actor_label(self) -> str:
        return self.username


#: The actor of work done by the platform itself (manifest apply, CLI bootstrap, jobs).
class SystemActor:
    user_id = None
    actor_label = "system"


@dataclass(frozen=True)
class Actor:
    """Anyone the audit log can name: a user acting on their own things, or a command ("cli")."""

    user_id: int | None
    actor_label: str

    @classmethod
    def of_user(cls, user: Any) -> Actor:
        return cls(user.id, user.username)
