"""Name search folds accents, in the database's search column and in the words searched, the
same way on PostgreSQL and SQLite: "o suilleabhain" finds Aoife Ó Súilleabháin, "sian" finds
Siân, and a name written with its accents still finds itself."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.conftest import World, build_world, make_support_lead
from stagewise.learners.models import Learner
from stagewise.learners.name_folding import FOLDED_LETTERS, fold_for_search
from stagewise.learners.selectors import LearnerFilters, learner_list
from stagewise.testing.factories import enrolled_learner
from stagewise.testing.worlds import built_once_per_module

# Real names of the nations' families: Irish, Scottish Gaelic, Welsh, Polish and others.
NAMES = [
    ("Aoife", "Ó Súilleabháin"),
    ("Siân", "Prydderch"),
    ("Dafydd", "ap Gruffudd-Ŵyn"),
    ("Eilidh", "NicDhòmhnaill"),
    ("Seònaid", "MacIllÈathain"),
    ("Łukasz", "Wróblewski"),
    ("Zofia", "Gąsiorowska-Żak"),
    ("Gwenllïan", "Ŷr"),
    ("Björn", "Ødegård"),
    ("Ciarán", "Mac Giolla Phádraig"),
]


@dataclass
class FoldingWorld:
    world: World
    support_lead: User


def _build() -> FoldingWorld:
    world = build_world()
    for first_name, last_name in NAMES:
        enrolled_learner(world.school, legal_first_name=first_name, legal_last_name=last_name)
    return FoldingWorld(world=world, support_lead=make_support_lead(world))


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[FoldingWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def fw(module_world: FoldingWorld, db: None) -> FoldingWorld:
    return module_world


def found_last_names(fw: FoldingWorld, words: str) -> set[str]:
    actor = actors_for(fw.support_lead)[0]
    found = learner_list(actor=actor, filters=LearnerFilters(scope="setting", name=words))
    return {learner.legal_last_name for learner in found}


@pytest.mark.parametrize(
    ("words", "last_name"),
    [
        ("o suilleabhain", "Ó Súilleabháin"),
        ("AOIFE SÚILLEABHÁIN", "Ó Súilleabháin"),
        ("sian", "Prydderch"),
        ("Siân", "Prydderch"),
        ("gruffudd-wyn", "ap Gruffudd-Ŵyn"),
        ("nicdhomhnaill", "NicDhòmhnaill"),
        ("seonaid illeathain", "MacIllÈathain"),
        ("lukasz wroblewski", "Wróblewski"),
        ("ŁUKASZ", "Wróblewski"),
        ("gasiorowska-zak", "Gąsiorowska-Żak"),
        ("gwenllian", "Ŷr"),
        ("bjorn odegard", "Ødegård"),
        ("ciaran phadraig", "Mac Giolla Phádraig"),
    ],
)
def test_a_name_is_found_without_its_accents_and_with_them(fw, words, last_name):
    assert found_last_names(fw, words) == {last_name}


def test_folding_does_not_make_different_names_alike(fw):
    assert found_last_names(fw, "sean") == set()
    assert found_last_names(fw, "zofia wroblewski") == set()


def test_the_search_column_is_filled_for_every_learner_however_written(fw):
    """A bulk load (as the synthetic population writes learners) bypasses save(): the database
    computes the folded column itself."""
    (bulk,) = Learner.objects.bulk_create(
        [
            Learner(
                legal_first_name="Máire",
                legal_last_name="Ní Bhriain",
                date_of_birth=fw.world.learner.date_of_birth,
                sex="female",
                candidate_number="777000001",
            )
        ]
    )
    Learner.objects.filter(pk=fw.world.learner.pk).update(legal_last_name="Ó Dónaill")

    assert Learner.objects.get(pk=bulk.pk).search_name == "maire  ni bhriain"
    assert "o donaill" in Learner.objects.get(pk=fw.world.learner.pk).search_name


# Any mix of folded letters, ASCII letters, spaces and hyphens (the characters names are made of).
name_text = st.text(
    alphabet=st.sampled_from(FOLDED_LETTERS + "abcXYZ -'"), min_size=1, max_size=30
).filter(str.strip)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(first_name=name_text, last_name=name_text)
def test_the_database_folds_a_name_exactly_as_the_search_words_are_folded(first_name, last_name):
    learner = Learner.objects.create(
        legal_first_name=first_name,
        legal_last_name=last_name,
        date_of_birth=Learner._meta.get_field("date_of_birth").to_python("2014-03-01"),
        sex="female",
        candidate_number="",
    )
    learner.refresh_from_db(fields=["search_name"])

    assert learner.search_name == fold_for_search(f"{first_name}  {last_name}"), connection.vendor
    assert learner.search_name.isascii()
    learner.delete()
