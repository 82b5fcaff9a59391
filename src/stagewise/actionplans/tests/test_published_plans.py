"""The published action plans as data: every action of seeds 001 and 002 with its number, its
words exactly as published, its theme, recommendation, responsible bodies, timeframe (as written
and as a date range), status and published progress update dated to its plan's publication.
Loading them is idempotent: a second load creates nothing and undoes no tracking."""

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from stagewise.actionplans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ProgressUpdate,
    StatusChange,
    Theme,
)
from stagewise.actionplans.services import PUBLISHED_PLANS, published_plans_load
from stagewise.actionplans.timeframes import timeframe_range
from stagewise.audit.models import AuditEvent
from stagewise.organisations.models import NationalBody
from stagewise.policy import SYSTEM
from stagewise.testing.worlds import built_once_per_module

SOURCES = Path(PUBLISHED_PLANS).parent / "sources"
DATA = json.loads(PUBLISHED_PLANS.read_text(encoding="utf-8"))


def normalised(text: str) -> str:
    return " ".join(text.split())


def source_text(plan: dict[str, Any]) -> str:
    return normalised((SOURCES / plan["source_file"]).read_text(encoding="utf-8"))


ALL_ACTIONS = [(plan, action) for plan in DATA["plans"] for action in plan["actions"]]


# The data file, against the documents ------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "action"), ALL_ACTIONS, ids=[action["number"] for _, action in ALL_ACTIONS]
)
def test_every_actions_words_are_in_its_source_document_as_published(plan, action):
    assert normalised(action["text"]) in source_text(plan)
    for paragraph in filter(None, action["progress_update"].split("\n\n")):
        assert normalised(paragraph) in source_text(plan)
    if action["timeframe"]:
        assert action["timeframe"] in source_text(plan)


def test_both_plans_hold_every_numbered_action_once():
    numbers = {plan["code"]: [a["number"] for a in plan["actions"]] for plan in DATA["plans"]}

    assert numbers == {
        "asl-action-plan-november-2022": [f"LI {n}" for n in range(1, 32)],
        "asl-action-plan-update-2024": ["6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.1.5"],
    }


def test_the_source_copies_are_the_seed_documents_word_for_word_where_the_seeds_are_at_hand():
    seeds = Path("/work/shared/seeds")
    if not seeds.exists():
        pytest.skip("the seed documents are not on this machine")
    for plan, seed in zip(DATA["plans"], ("001_*.txt", "002_*.txt"), strict=True):
        (original,) = seeds.glob(seed)
        assert (SOURCES / plan["source_file"]).read_bytes() == original.read_bytes()


def test_every_responsible_body_is_one_of_the_bodies_and_named_where_the_data_says():
    codes = {body["code"] for body in DATA["bodies"]}
    # How each body is written in the plans' words.
    written_as = {
        "scottish-government": "Scottish Government",
        "cosla": "COSLA",
        "ades": "ADES",
        "solace": "SOLACE",
        "sagrabis": "SAGRABIS",
        "local-authorities": r"Local (?:authorities|Government|Authorities)",
        "education-scotland": r"Education Scotland|\bES\b",
        "asl-project-board": r"Project Board",
        "enquire": "Enquire",
    }
    for _plan, action in ALL_ACTIONS:
        assert set(action["responsible_bodies"]) <= codes
        words = {"action": action["text"], "progress_update": action["progress_update"]}.get(
            action["bodies_named_in"], ""
        )
        for code in action["responsible_bodies"]:
            assert re.search(written_as[code], words), (action["number"], code)
        assert bool(action["responsible_bodies"]) == bool(action["bodies_named_in"])


# Timeframes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("By end 2024", (date(2022, 11, 1), date(2024, 12, 31))),
        ("Spring 2023", (date(2023, 3, 1), date(2023, 5, 31))),
        ("Autumn 2024", (date(2024, 9, 1), date(2024, 11, 30))),
        ("Winter 2023", (date(2023, 12, 1), date(2024, 2, 29))),
        ("March 2024", (date(2024, 3, 1), date(2024, 3, 31))),
        ("June 2023", (date(2023, 6, 1), date(2023, 6, 30))),
        ("", (None, None)),
        ("Ongoing", (None, None)),
        ("Smarch 2024", (None, None)),
    ],
)
def test_a_timeframe_as_published_becomes_the_date_range_it_means(words, expected):
    assert timeframe_range(words, published_on=date(2022, 11, 1)) == expected


# Loading -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with built_once_per_module(lambda: published_plans_load(actor=SYSTEM), django_db_blocker):
        yield


pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (NationalBody, ActionPlan, Theme, Action, ProgressUpdate)
    }


def test_loading_creates_both_plans_their_actions_bodies_and_published_updates(loaded):
    assert counts() == {
        "NationalBody": len(DATA["bodies"]),
        "ActionPlan": 2,
        "Theme": 2,
        "Action": 36,
        "ProgressUpdate": sum(1 for _, a in ALL_ACTIONS if a["progress_update"]),
    }


def test_loading_twice_creates_nothing_twice(loaded):
    before = counts()
    events = AuditEvent.objects.count()

    result = published_plans_load(actor=SYSTEM)

    assert counts() == before
    assert result.describe() == "Published action plans loaded: nothing new."
    assert AuditEvent.objects.count() == events


def test_the_command_loads_idempotently_too(loaded, capsys):
    before = counts()

    call_command("load_action_plans")

    assert counts() == before
    assert "nothing new" in capsys.readouterr().out


def test_loading_again_keeps_what_a_policy_officer_changed(loaded):
    action = Action.objects.get(number="6.1.5")
    action.status = ActionStatus.COMPLETE
    action.save()

    published_plans_load(actor=SYSTEM)

    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE
    assert not StatusChange.objects.exists()


def test_li_9_as_loaded(loaded):
    action = Action.objects.get(number="LI 9")
    (update,) = action.updates.all()

    assert action.plan.published_as == "November 2022"
    assert action.plan.source_url.startswith("https://www.gov.scot/publications/")
    assert action.theme.title == "Leadership & improvement"
    assert [body.code for body in action.responsible_bodies.all()] == ["asl-project-board"]
    assert (action.timeframe, action.timeframe_starts_on, action.timeframe_ends_on) == (
        "Spring 2023",
        date(2023, 3, 1),
        date(2023, 5, 31),
    )
    assert action.status == ""  # the November 2022 plan states no status for LI 9
    assert update.published_in == action.plan
    assert update.written_on == date(2022, 11, 1)
    assert update.text.startswith("Since November 2021, the National Measurement sub group")


def test_theme_6_actions_carry_their_recommendation_and_published_status(loaded):
    statuses = dict(
        Action.objects.filter(plan__code="asl-action-plan-update-2024").values_list(
            "number", "status"
        )
    )
    complete = Action.objects.get(number="6.1.2")

    assert statuses == {
        "6.1.1": "ongoing",
        "6.1.2": "complete",
        "6.1.3": "ongoing",
        "6.1.4": "ongoing",
        "6.1.5": "ongoing",
    }
    assert str(complete.recommendation) == "6.1 Relationships between schools and parents"
    assert not complete.updates.exists()  # none was published for a completed action


def test_only_stagewise_itself_loads_the_plans(loaded):
    with pytest.raises(PermissionDenied):
        published_plans_load(actor=None)  # type: ignore[arg-type]
