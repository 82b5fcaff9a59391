"""Whose measures an actor may see, and how: the dashboards' one door.

A dashboard is about one scope (a nation, an authority, a school) and compares the scopes inside
it (a nation's authorities, an authority's schools). Who may open which:

- a school's leaders (VIEW_SCHOOL_MEASURES) their own school;
- an authority's officers (VIEW_AUTHORITY_MEASURES) their authority and each of its schools;
- a national analyst (VIEW_NATIONAL_FIGURES) their nation, and any authority or school in it.

Inside their own authority staff see every figure as it is. The analyst's figures leave the
authorities, so they pass through disclosure control (`suppressed`), and so does every figure of
a scope wider than the actor's own (the authority and the nation a school is compared with).
Anyone else gets 404, never a hint that a school or authority has figures.
"""

from dataclasses import dataclass

from django.http import Http404

from stagewise.accounts.actors import Actor
from stagewise.measurement.models import ScopeLevel
from stagewise.measurement.models.summaries import scope_key
from stagewise.organisations.models import LocalAuthority, Nation, Setting
from stagewise.policy import Capability, may


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel
    nation: Nation
    authority: LocalAuthority | None = None
    setting: Setting | None = None

    @property
    def key(self) -> str:
        return scope_key(
            self.level,
            setting_id=self.setting.pk if self.setting else None,
            authority_id=self.authority.pk if self.authority else None,
            nation_code=self.nation.code,
        )

    @property
    def name(self) -> str:
        organisation = self.setting or self.authority or self.nation
        return str(organisation)

    @property
    def level_label(self) -> str:
        return str(ScopeLevel(self.level).label)

    @property
    def address_key(self) -> str:
        """How the scope is named in its address: the nation's or authority's code, the school's
        public reference."""
        if self.setting is not None:
            return str(self.setting.pk)
        if self.authority is not None:
            return self.authority.code
        return self.nation.code

    @property
    def child_level(self) -> ScopeLevel | None:
        return {
            ScopeLevel.NATION: ScopeLevel.AUTHORITY,
            ScopeLevel.AUTHORITY: ScopeLevel.SCHOOL,
        }.get(self.level)

    def parents(self) -> list["Scope"]:
        """The wider scopes this one is compared with: a school's authority and nation."""
        wider = []
        if self.level == ScopeLevel.SCHOOL and self.authority is not None:
            wider.append(Scope(ScopeLevel.AUTHORITY, self.nation, self.authority))
        if self.level != ScopeLevel.NATION:
            wider.append(Scope(ScopeLevel.NATION, self.nation))
        return wider


@dataclass(frozen=True)
class Access:
    scope: Scope
    # Whether the scope's own figures (and those of the scopes inside it) leave the actor's
    # authority and so pass through disclosure control.
    suppressed: bool


def _membership_of(actor: Actor | None) -> tuple[int | None, int | None, int | None]:
    membership = actor.membership if actor else None
    if membership is None:
        return None, None, None
    return membership.nation_id, membership.authority_id, membership.setting_id


def measures_access(actor: Actor | None, level: str, key: str) -> Access:
    """The scope at `level` named `key` and how the actor sees it; 404 for anyone who may not."""
    nation_id, authority_id, setting_id = _membership_of(actor)
    analyst = may(actor, Capability.VIEW_NATIONAL_FIGURES) and nation_id is not None
    if level == ScopeLevel.NATION:
        nation = Nation.objects.filter(code=key).first()
        if nation is not None and analyst and nation.pk == nation_id:
            return Access(Scope(ScopeLevel.NATION, nation), suppressed=True)
    elif level == ScopeLevel.AUTHORITY:
        authority = LocalAuthority.objects.select_related("nation").filter(code=key).first()
        if authority is not None:
            scope = Scope(ScopeLevel.AUTHORITY, authority.nation, authority)
            if may(actor, Capability.VIEW_AUTHORITY_MEASURES) and authority.pk == authority_id:
                return Access(scope, suppressed=False)
            if analyst and authority.nation_id == nation_id:
                return Access(scope, suppressed=True)
    elif level == ScopeLevel.SCHOOL and key.isdigit():
        setting = Setting.objects.select_related("authority__nation").filter(pk=int(key)).first()
        if setting is not None:
            authority = setting.authority
            scope = Scope(ScopeLevel.SCHOOL, authority.nation, authority, setting)
            if may(actor, Capability.VIEW_SCHOOL_MEASURES) and setting.pk == setting_id:
                return Access(scope, suppressed=False)
            if may(actor, Capability.VIEW_AUTHORITY_MEASURES) and authority.pk == authority_id:
                return Access(scope, suppressed=False)
            if analyst and authority.nation_id == nation_id:
                return Access(scope, suppressed=True)
    raise Http404


def own_measures_scope(actor: Actor | None) -> tuple[str, str] | None:
    """The level and key of the actor's own dashboard, if their role has one."""
    membership = actor.membership if actor else None
    if membership is None:
        return None
    if may(actor, Capability.VIEW_NATIONAL_FIGURES) and membership.nation is not None:
        return ScopeLevel.NATION, membership.nation.code
    if may(actor, Capability.VIEW_AUTHORITY_MEASURES) and membership.authority is not None:
        return ScopeLevel.AUTHORITY, membership.authority.code
    if may(actor, Capability.VIEW_SCHOOL_MEASURES) and membership.setting_id:
        return ScopeLevel.SCHOOL, str(membership.setting_id)
    return None
