"""Keyset (cursor) pagination: a page costs what it shows, not how far into the list it is.

A list is ordered on a few keys that end in a unique one (the primary key). The next page is the
rows after the last row shown, found with a `WHERE keys > last keys` the database answers from an
index or from the scope's own rows, never by reading and throwing away the rows before it (OFFSET)
and never by counting the whole list (docs/adr/0031-lists-paged-by-keyset.md).

The cursor in a "next" or "previous" address is signed: a cursor that was altered, truncated or
made for another list is refused and the list starts again at its first page, never a 500.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db.models import Expression, F, Q, QuerySet

if TYPE_CHECKING:
    from django.http import QueryDict

KEY_PREFIX = "keyset_key_"


@dataclass(frozen=True)
class KeysetOrder:
    """The keys a list is ordered on, all one way; the last must be unique (usually "pk").

    A key is a field name or an expression that is never NULL (NULLs do not compare)."""

    keys: tuple[str | Expression, ...]
    descending: bool = False

    def names(self) -> list[str]:
        return [f"{KEY_PREFIX}{position}" for position in range(len(self.keys))]

    def ordering(self, *, reverse: bool = False) -> list[str]:
        prefix = "-" if self.descending != reverse else ""
        return [prefix + name for name in self.names()]


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list: its rows in list order, and signed cursors to the pages either side."""

    object_list: list[Any]
    next_cursor: str = ""
    previous_cursor: str = ""
    # The address carried a cursor that was not one this list made: shown as the first page.
    cursor_refused: bool = False

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


@dataclass(frozen=True)
class CappedCount:
    """How many rows a list has, counted no further than a cap: "more than `count`" past it."""

    count: int
    more: bool


def capped_count(queryset: QuerySet[Any], cap: int) -> CappedCount:
    """Count at most cap + 1 rows (one `COUNT` over a `LIMIT` subquery): exact up to the cap,
    and as cheap for a nation as for a school once the cap is passed."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(count=min(counted, cap), more=counted > cap)


def keyset_page(
    queryset: QuerySet[Any], *, order: KeysetOrder, cursor: str | None, per_page: int, salt: str
) -> KeysetPage:
    """The page `cursor` points at (the first page without one), of `per_page` rows.

    One query: per_page + 1 rows are read to know whether there is a page beyond. `salt` names
    the list, so that one list's cursor is refused by another."""
    names = order.names()
    keyed = _keyed(queryset, order)
    position = _cursor_position(cursor, salt, len(names)) if cursor else None
    refused = bool(cursor) and position is None
    backwards = position is not None and position[0] == "before"
    if position is not None:
        # Forwards in ascending order means greater keys; backwards, or descending, smaller.
        greater = order.descending == backwards
        keyed = keyed.filter(_beyond(names, position[1], greater=greater))
    rows = list(keyed.order_by(*order.ordering(reverse=backwards))[: per_page + 1])
    beyond = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage(object_list=[], cursor_refused=refused)
    # Going back, the row the cursor was made from lies after this page; going on, before it.
    more_after = backwards or beyond
    more_before = beyond if backwards else position is not None
    return KeysetPage(
        object_list=rows,
        next_cursor=_make_cursor("after", rows[-1], names, salt) if more_after else "",
        previous_cursor=_make_cursor("before", rows[0], names, salt) if more_before else "",
        cursor_refused=refused,
    )


def keyset_rows_before(queryset: QuerySet[Any], *, order: KeysetOrder, row: Any) -> int:
    """How many rows of the list come before `row` (a row of a page of it): a row's place in
    the whole list is this plus one. One `COUNT` that reads the index of the order up to the
    row, so it grows with the place, not with what is skipped in full as OFFSET does; use it
    where a place must be told (a waiting list), on lists a scope keeps short."""
    names = order.names()
    keyed = _keyed(queryset, order)
    values = [_key_of(row, name) for name in names]
    return keyed.filter(_beyond(names, values, greater=order.descending)).order_by().count()


def _keyed(queryset: QuerySet[Any], order: KeysetOrder) -> QuerySet[Any]:
    """The list with its keys annotated under the names the cursor carries."""
    return queryset.annotate(
        **{
            name: F(key) if isinstance(key, str) else key
            for name, key in zip(order.names(), order.keys, strict=True)
        }
    )


def _key_of(row: Any, name: str) -> Any:
    # A page's rows are model instances, or dicts where the list is read with values().
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _beyond(names: Sequence[str], values: Sequence[Any], *, greater: bool) -> Q:
    """Rows past `values` in the order of `names`: (a > x) or (a = x and b > y) or ..., with
    a >= x alone beside it so that an index on the keys can start reading at the cursor."""
    lookup = "gt" if greater else "lt"
    clauses = [
        Q(**dict(zip(names[:position], values[:position], strict=True)))
        & Q(**{f"{names[position]}__{lookup}": values[position]})
        for position in range(len(names))
    ]
    return Q(**{f"{names[0]}__{lookup}e": values[0]}) & reduce(or_, clauses)


def _make_cursor(direction: str, row: Any, names: Sequence[str], salt: str) -> str:
    values = [_encode(_key_of(row, name)) for name in names]
    return signing.dumps({"d": direction, "k": values}, salt=salt, compress=True)


def _cursor_position(cursor: str, salt: str, length: int) -> tuple[str, list[Any]] | None:
    """The direction and keys a cursor carries, or None for one this list did not make."""
    try:
        data = signing.loads(cursor, salt=salt)
        direction, raw = data["d"], data["k"]
        if direction not in ("after", "before") or len(raw) != length:
            return None
        return direction, [_decode(value) for value in raw]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# JSON carries strings and numbers; dates and times travel tagged and come back as themselves.
def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"datetime"}:
            return datetime.fromisoformat(value["datetime"])
        if set(value) == {"date"}:
            return date.fromisoformat(value["date"])
        raise ValueError("not a key")
    if value is None or not isinstance(value, str | int | float):
        raise ValueError("not a key")
    return value


def query_without_cursor(query: "QueryDict", *parameters: str) -> str:
    """The address's query without the cursor parameters named (`cursor` unless others are
    given), for the pagination links to add their own to."""
    rest = query.copy()
    for parameter in parameters or ("cursor",):
        rest.pop(parameter, None)
    return rest.urlencode()
