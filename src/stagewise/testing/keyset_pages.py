"""Checks shared by the tests of lists paged by cursor (stagewise/keyset.py): walk a list's pages
by its "next" links counting each page's queries, and read PostgreSQL's plan for a page."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stagewise.keyset import KeysetOrder, keyset_page

RULED_OUT = ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort")
NEXT_LINK = re.compile(r'href="\?([^"#]*)(?:#[^"]*)?" rel="next"')


@dataclass(frozen=True)
class WalkedPage:
    response: Any
    queries: int

    @property
    def text(self) -> str:
        return str(self.response.content.decode())


def walk_pages(client: Client, address: str, query: str = "") -> list[WalkedPage]:
    """Every page of the list at `address`, from `query` to the last by its "next" links, with
    the queries each took."""
    pages: list[WalkedPage] = []
    while True:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{address}?{query}")
        assert response.status_code == 200
        pages.append(WalkedPage(response, len(captured)))
        found = NEXT_LINK.search(pages[-1].text)
        if not found:
            return pages
        query = found.group(1).replace("&amp;", "&")
        assert len(pages) < 100, "the pages never end"


def page_plan(queryset: Any, *, order: KeysetOrder, cursor: str | None, salt: str) -> str:
    """PostgreSQL's plan for the query of one page of `queryset`, with sequential scans, bitmap
    scans (which lose the order) and sorts made as dear as the planner allows: a plan that still
    sorts, or reads no index of the list, shows the list's order and filter are not ones an
    index serves. On a nation, reading the scope in the index's order is the cheap way; on a
    test's few rows the planner would sort whatever it was offered, so it is told not to."""
    with CaptureQueriesContext(connection) as captured:
        keyset_page(queryset, order=order, cursor=cursor, per_page=25, salt=salt)
    with connection.cursor() as database:
        for setting in RULED_OUT:
            database.execute(f"SET LOCAL {setting} = off")
        database.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in database.fetchall())
        for setting in RULED_OUT:
            database.execute(f"SET LOCAL {setting} = on")
    return plan


def sorts(plan: str) -> bool:
    """Whether the plan sorts the rows it reads (a Sort node, not an index read in order)."""
    return re.search(r"(^|->\s*)(Incremental )?Sort\b", plan, re.MULTILINE) is not None
