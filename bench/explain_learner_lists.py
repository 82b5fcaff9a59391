"""PostgreSQL's plans, run (`EXPLAIN (ANALYZE, BUFFERS)`), for the learner list's queries on the
national dataset bench_national_pages.py leaves: the support-for-learning lead's first page, the
Glasgow officer's first page, and the officer's name search for "smith", each with its count.

    .venv/bin/python bench/explain_learner_lists.py [--database stagewise_national_pages]

Reads the queries the list's own selectors make (learners/selectors/record.py) through the
keyset page and the capped count, as the view does, for the staff bench_pages.py adds.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import bench_staff, setup_django

SEARCH = "smith"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_national_pages")
    arguments = parser.parse_args()
    setup_django(arguments.database)

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stagewise.accounts.actors import actors_for
    from stagewise.keyset import keyset_page
    from stagewise.learners.selectors import (
        LearnerFilters,
        learner_list,
        learner_list_count,
        learner_list_order,
        learner_list_scopes,
    )

    people = bench_staff()
    cases = [
        ("support-for-learning lead, first page", people.support_lead, ""),
        ("Glasgow officer, first page", people.officer, ""),
        (f"Glasgow officer, name search '{SEARCH}'", people.officer, SEARCH),
    ]
    for label, user, name in cases:
        actor = actors_for(user)[0]
        filters = LearnerFilters(scope=learner_list_scopes(actor)[0], name=name)
        with CaptureQueriesContext(connection) as page:
            keyset_page(
                learner_list(actor=actor, filters=filters),
                order=learner_list_order(filters),
                cursor=None,
                per_page=settings.LEARNER_LIST_PAGE_SIZE,
                salt="learners:list",
            )
        with CaptureQueriesContext(connection) as count:
            learner_list_count(actor=actor, filters=filters, cap=1000)
        for part, captured in (("page", page), ("count", count)):
            for query in captured.captured_queries:
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(
                    f"\n## {label}: {part} ({(time.perf_counter() - started) * 1000:.0f} ms "
                    f"with EXPLAIN)\n\n{plan}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
