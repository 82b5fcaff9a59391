"""Each enrolment's copies of what the learner lists read in order (ADR 0050): its setting's
authority, its learner's sort keys and search name. The database keeps them (triggers, migration
learners/0012), so they stay in step however a learner or an enrolment is written: through the
services (created, renamed, moved, enrolment ended), by a queryset's `update()`, by bulk
inserts, by the synthetic population's bulk writer, and when a setting changes authority.
A writer that sends its own values for them is overruled. On PostgreSQL, the lists' pages are
read from the new indexes in order, and an authority's name search from its trigram index."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import BigIntegerField, F, Q, Value
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from stagewise.accounts.actors import actors_for
from stagewise.conftest import make_authority_officer, make_support_lead
from stagewise.keyset import keyset_page
from stagewise.learners.models import Enrolment, Learner
from stagewise.learners.selectors import LearnerFilters, learner_list, learner_list_order
from stagewise.learners.selectors.record import listed_learner_search
from stagewise.learners.services.moves import learner_move
from stagewise.learners.services.record import learner_update
from stagewise.organisations.models import LocalAuthority
from stagewise.synthetic.services import population_create
from stagewise.testing.factories import LearnerFactory, enrolled_learner
from stagewise.testing.keyset_pages import page_plan, sorts

START = date(2025, 8, 18)
READS_OF_EVERY_ROW = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")


def out_of_step() -> list[int]:
    """The enrolments whose copies differ from what they copy (none, if the triggers work)."""
    return list(
        Enrolment.objects.filter(
            Q(authority_id__isnull=True)
            | ~Q(authority_id=F("setting__authority_id"))
            | ~Q(learner_sort_last_name=Lower("learner__legal_last_name"))
            | ~Q(learner_sort_first_name=Lower("learner__legal_first_name"))
            | ~Q(learner_search_name=F("learner__search_name"))
        ).values_list("pk", flat=True)
    )


def test_a_new_enrolment_copies_its_authority_and_its_learners_names(world):
    learner = enrolled_learner(world.school, legal_first_name="Siân", legal_last_name="O'Brien")
    enrolment = Enrolment.objects.get(learner=learner)

    assert enrolment.authority_id == world.school.authority_id
    assert enrolment.learner_sort_last_name == "o'brien"
    assert enrolment.learner_search_name == Learner.objects.get(pk=learner.pk).search_name
    assert "sian" in enrolment.learner_search_name
    assert out_of_step() == []


def test_renaming_a_learner_through_the_service_renames_every_enrolment(world, support_lead):
    Enrolment.objects.create(
        learner=world.learner,
        setting=world.other_school,
        year_group="P6",
        started_on=START - timedelta(days=400),
        ended_on=START - timedelta(days=1),
    )
    actor = actors_for(support_lead)[0]

    learner_update(
        actor=actor,
        learner=world.learner,
        data={"legal_last_name": "Ní Bhriain", "preferred_name": "Aoife"},
    )

    copies = set(
        Enrolment.objects.filter(learner=world.learner).values_list(
            "learner_sort_last_name", "learner_search_name"
        )
    )
    assert len(copies) == 1
    sort_last_name, search_name = copies.pop()
    assert (
        sort_last_name
        == Learner.objects.filter(pk=world.learner.pk)
        .values_list(Lower("legal_last_name"), flat=True)
        .get()
    )
    assert "ni bhriain" in search_name and "aoife" in search_name
    assert out_of_step() == []


def test_moving_school_and_ending_the_enrolment_keep_the_copies(world, support_lead):
    actor = actors_for(support_lead)[0]
    moved_on = timezone.localdate() - timedelta(days=3)

    learner_move(
        actor=actor,
        learner=world.learner,
        to_setting=world.fife_school,
        moved_on=moved_on,
        year_group="P6",
        reason="Family moved",
    )

    arriving = Enrolment.objects.get(learner=world.learner, setting=world.fife_school)
    left = Enrolment.objects.get(learner=world.learner, setting=world.school)
    assert arriving.authority_id == world.fife_school.authority_id != left.authority_id
    assert left.ended_on == moved_on - timedelta(days=1)
    assert out_of_step() == []
    # Gone from the school's list and the authority's, on the new authority's.
    lead = actors_for(support_lead)[0]
    assert world.learner not in learner_list(actor=lead, filters=LearnerFilters(scope="setting"))


def test_bulk_writes_and_queryset_updates_keep_the_copies(world):
    learners = LearnerFactory.create_batch(3)
    Enrolment.objects.bulk_create(
        Enrolment(learner=one, setting=world.other_school, year_group="P5", started_on=START)
        for one in learners
    )
    Learner.objects.filter(pk__in=[one.pk for one in learners]).update(legal_last_name="Łukasz")
    Enrolment.objects.filter(learner__in=learners).update(setting=world.fife_school)

    assert out_of_step() == []
    assert set(
        Enrolment.objects.filter(learner__in=learners).values_list("authority_id", flat=True)
    ) == {world.fife_school.authority_id}


def test_a_writer_cannot_set_the_copies_itself(world):
    enrolment = Enrolment.objects.get(learner=world.learner)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        learner_sort_last_name="aaaa", learner_search_name="nobody", authority=None
    )
    enrolment.refresh_from_db()
    enrolment.year_group = "P6"
    enrolment.save()

    assert out_of_step() == []


def test_a_setting_moved_to_another_authority_moves_its_enrolments(world):
    fife = LocalAuthority.objects.get(pk=world.fife_school.authority_id)
    world.other_school.authority = fife
    world.other_school.save()
    enrolled_learner(world.other_school)
    world.school.authority = fife
    world.school.save(update_fields=["authority"])

    assert set(
        Enrolment.objects.filter(setting=world.school).values_list("authority_id", flat=True)
    ) == {fife.pk}
    assert out_of_step() == []


def test_the_synthetic_populations_bulk_writer_fills_the_copies(db):
    population_create(nation="scotland", scale=0.001, seed=3, as_of=date(2026, 11, 20))

    assert Enrolment.objects.count() > 100
    assert out_of_step() == []


def test_a_learner_enrolled_twice_in_the_authority_is_listed_once(world, authority_officer):
    Enrolment.objects.create(
        learner=world.learner, setting=world.other_school, year_group="P7", started_on=START
    )
    actor = actors_for(authority_officer)[0]
    filters = LearnerFilters(scope="authority")

    listed = [one.pk for one in learner_list(actor=actor, filters=filters)]

    assert listed.count(world.learner.pk) == 1


def main_path(plan: str) -> str:
    """The plan without its subplans (the columns each row of the page shows, worked out for
    the page's rows alone: a learner's current enrolment, their latest stage decision)."""
    kept: list[str] = []
    inside: int | None = None
    for line in plan.splitlines():
        indent = len(line) - len(line.lstrip())
        if inside is not None and indent > inside:
            continue
        inside = None
        if line.lstrip().startswith(("SubPlan", "InitPlan")):
            inside = indent
            continue
        kept.append(line)
    return "\n".join(kept)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
@pytest.mark.parametrize("who", ["support_lead", "authority_officer"])
def test_a_schools_and_an_authoritys_pages_are_read_in_order_from_their_enrolments(world, who):
    """With sorts and sequential scans made as dear as the planner allows, the page is read
    from the scope's name-ordered index of enrolments: its cost is the page, not the scope."""
    user = make_support_lead(world) if who == "support_lead" else make_authority_officer(world)
    scope = "setting" if who == "support_lead" else "authority"
    index = "enrolment_setting_roster" if scope == "setting" else "enrolment_authority_roster"
    filters = LearnerFilters(scope=scope)
    learners = learner_list(actor=actors_for(user)[0], filters=filters)
    first = keyset_page(
        learners, order=learner_list_order(filters), cursor=None, per_page=1, salt="plan"
    )

    for cursor in (None, first.next_cursor):
        plan = page_plan(learners, order=learner_list_order(filters), cursor=cursor, salt="plan")
        assert index in main_path(plan), plan
        assert not sorts(main_path(plan)), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigram index")
def test_an_authoritys_name_search_can_be_answered_from_the_authoritys_trigram_index(world):
    """The search's conditions on an enrolment (in the authority, and each word in the name or
    as the candidate number) are ones the trigram index over (authority, name) and
    the learner index serve. With whole reads of the table or an index ruled out (on a test's
    few rows the planner would read them all, as on a nation it would not), it reads those."""
    others = LearnerFactory.create_batch(3000)
    Enrolment.objects.bulk_create(
        Enrolment(learner=one, setting=world.school, year_group="S4", started_on=START)
        for one in others
    )
    # The authority as the list compares it (learners/access.py), the column's own type.
    in_authority = Q(authority_id=Cast(Value(world.school.authority_id), BigIntegerField()))
    search = Enrolment.objects.filter(
        in_authority & listed_learner_search("campbell", prefix="")
    ).values("pk")
    sql, params = search.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE learners_enrolment")
        # The authority's roster index answers "in the authority" too, and on a test's few rows
        # the planner may take it for the whole search: what is asked here is whether the
        # trigram index can answer it (the authority compared as its own type), so the roster
        # index is dropped for this test's transaction, which rolls back.
        cursor.execute("DROP INDEX enrolment_authority_roster")
        for whole_reads in READS_OF_EVERY_ROW:
            cursor.execute(f"SET LOCAL {whole_reads} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for whole_reads in READS_OF_EVERY_ROW:
            cursor.execute(f"SET LOCAL {whole_reads} = on")

    trigram_read = plan[plan.index("enrolment_authority_search_trgm") :]
    # The authority is a condition of the index read, not a filter after it (with the
    # authority compared as an integer, btree_gin cannot use it and reads the name alone).
    assert "authority_id" in trigram_read.split("\n")[1], plan
