"""The choices the learner list's filters offer: an authority's schools and its nation's
reasons for support, read from the shared cache in one round trip (ADR 0044, amended: the
learner list).

They change when a school is added, renamed or moved, or a reason is added, renamed or retired:
seldom, against a list opened all day. Reading them from their tables on every request was two
queries and, for Glasgow, 191 model instances built and labelled; the cache holds the names in
both languages, so one entry serves English and Welsh readers alike. An actor's authority and
nation come from their membership, so a membership that changes reads another entry.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from stagewise.organisations.models import Setting
from stagewise.statutory.models import ReasonForSupport
from stagewise.statutory.selectors import reason_list

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# Every save and delete of a school or a reason forgets its entries at once (below); the expiry
# only bounds how long a write that sends no signal (a raw `update()`) can go unseen.
FILTER_CHOICES_CACHED_FOR = 60 * 60


# One option as cached: its value, its label in English and in Welsh ("" where the same), the
# labels HTML-escaped. Plain tuples: they unpickle several times faster than objects would, and
# there are hundreds.
NamedChoice = tuple[int, str, str]


@dataclass(frozen=True)
class ListFilterChoices:
    # None for an actor who is not an authority's: their list has no school filter.
    settings: list[tuple[str, str]] | None
    reasons: list[tuple[str, str]]


# In the keys: a change to what an entry holds reads new keys, never an old entry's shape.
CACHE_FORMAT = "2"


def settings_cache_key(authority_id: int) -> str:
    return f"learner-list:{CACHE_FORMAT}:schools:{authority_id}"


def reasons_cache_key(nation_id: int) -> str:
    return f"learner-list:{CACHE_FORMAT}:reasons:{nation_id}"


def _settings_of(authority_id: int) -> list[NamedChoice]:
    """The authority's schools, named as a select labels them (`Setting.__str__`), by name."""
    rows = (
        Setting.objects.filter(authority_id=authority_id)
        .order_by("name", "pk")
        .values_list("pk", "name", "name_cy")
    )
    return [(pk, escape(name), escape(name_cy)) for pk, name, name_cy in rows]


def _reasons_of(nation_id: int) -> list[NamedChoice]:
    """The nation's reasons in use, as `ReasonForSupport.__str__` labels them ("code label")."""
    rows = reason_list(nation_id).values_list("pk", "code", "label", "label_cy")
    return [
        (pk, escape(f"{code} {label}"), escape(f"{code} {label_cy}") if label_cy else "")
        for pk, code, label, label_cy in rows
    ]


def learner_list_filter_choices(
    actor: "Actor | None", *, nation_id: int | None
) -> ListFilterChoices:
    """The schools (for an authority's staff) and reasons the actor's list can be filtered by,
    labelled in the reader's language: one cache read, and a query for each entry missing."""
    membership = actor.membership if actor else None
    authority_id = membership.authority_id if membership else None
    wanted: dict[str, Any] = {}
    if authority_id is not None:
        wanted[settings_cache_key(authority_id)] = lambda: _settings_of(authority_id)
    if nation_id is not None:
        wanted[reasons_cache_key(nation_id)] = lambda: _reasons_of(nation_id)
    found = cache.get_many(list(wanted)) if wanted else {}
    missing = {key: read() for key, read in wanted.items() if key not in found}
    if missing:
        cache.set_many(missing, FILTER_CHOICES_CACHED_FOR)
    found |= missing
    welsh = (get_language() or "").startswith("cy")

    def shown(key: str) -> list[tuple[str, str]]:
        # Written as they are: the value is digits and the labels were escaped once, when
        # cached (a number would be localised, and a label escaped, on every page).
        return [
            (SafeString(value), SafeString(label_cy if welsh and label_cy else label))
            for value, label, label_cy in found.get(key, [])
        ]

    settings = shown(settings_cache_key(authority_id)) if authority_id is not None else None
    reasons = shown(reasons_cache_key(nation_id)) if nation_id is not None else []
    # An authority with no schools yet offers no school filter, as before.
    return ListFilterChoices(settings=settings or None, reasons=reasons)


def learner_list_filters_forget(
    *,
    authority_ids: Collection[int | None] = (),
    nation_ids: Collection[int | None] = (),
) -> None:
    """Forget the cached choices of these authorities and nations: now, in the writer's
    transaction (the database cache is a table), and again once it commits, so that a reader who
    missed the entry and read the tables before the commit cannot leave their stale copy."""
    keys = [settings_cache_key(pk) for pk in authority_ids if pk is not None]
    keys += [reasons_cache_key(pk) for pk in nation_ids if pk is not None]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# What each model's rows are cached under: a school by its authority, a reason by its nation.
_CACHED_UNDER = {
    Setting: ("authority_id", "authority_ids"),
    ReasonForSupport: ("nation_id", "nation_ids"),
}


def _scope_before(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """The authority (or nation) a row was under before a save that may move it."""
    field, _ = _CACHED_UNDER[sender]
    instance._list_filters_scope_before = None
    if instance.pk is not None and not instance._state.adding:
        instance._list_filters_scope_before = (
            sender._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
        )


def _changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    field, argument = _CACHED_UNDER[sender]
    scopes = {getattr(instance, field), getattr(instance, "_list_filters_scope_before", None)}
    learner_list_filters_forget(**{argument: scopes})


def connect_list_filter_signals() -> None:
    """Every save and delete of a school or a reason, from a service, the admin site or a
    fixture, forgets the entries it was listed under. A queryset `update()`, `bulk_create()` or
    COPY sends no signal: code that writes them that way calls `learner_list_filters_forget`."""
    for model in _CACHED_UNDER:
        uid = f"learner_list_filters_{model._meta.label_lower}"
        pre_save.connect(_scope_before, sender=model, dispatch_uid=f"{uid}_before")
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")
