"""Under pytest-xdist the browser journeys form one unit of work, so one worker drives one browser
at a time while the others run every other test."""

from types import SimpleNamespace

from xdist.scheduler import LoadScopeScheduling

from stagewise.testing.xdist_scheduling import (
    BROWSER_JOURNEYS,
    pytest_xdist_make_scheduler,
    scope_of,
)

JOURNEY = "src/stagewise/tests/browser/test_plan_journeys.py::test_teacher_writes[chromium-cy]"
OTHER_JOURNEY = "src/stagewise/tests/browser/test_family_journey.py::test_parent_sees[chromium-en]"
UNIT_TEST = "src/stagewise/planning/tests/test_cycle.py::test_a_draft_is_due_to_be_finalised"


HARNESS_CASE = "src/stagewise/tests/test_access_harness.py::test_each_actor_reaches[teacher-x]"
POLICY_CASE = "src/stagewise/tests/test_policy.py::test_refused[teacher-plan_create]"


def test_every_journey_is_in_one_unit():
    assert scope_of(JOURNEY) == scope_of(OTHER_JOURNEY) == BROWSER_JOURNEYS
    assert scope_of("src/stagewise/tests/test_browser_support.py::test_x") != BROWSER_JOURNEYS


def test_each_case_of_the_large_tables_is_its_own_unit():
    assert scope_of(HARNESS_CASE) == HARNESS_CASE
    assert scope_of(POLICY_CASE) == POLICY_CASE


def test_every_other_test_goes_with_its_module_so_its_world_is_built_once():
    assert scope_of(UNIT_TEST) == "src/stagewise/planning/tests/test_cycle.py"
    assert scope_of(UNIT_TEST + "[en]") == scope_of(UNIT_TEST.replace("draft", "plan"))


def config(dist: str) -> SimpleNamespace:
    option = SimpleNamespace(dist=dist, loadscopereorder=True, tx=["popen"] * 2, numprocesses=2)
    return SimpleNamespace(option=option, getvalue=lambda name: getattr(option, name))


def test_the_scheduler_replaces_xdists_load_distribution_only():
    scheduler = pytest_xdist_make_scheduler(config("load"), log=None)  # type: ignore[arg-type]

    assert isinstance(scheduler, LoadScopeScheduling)
    assert scheduler._split_scope(JOURNEY) == BROWSER_JOURNEYS
    assert scheduler._split_scope(UNIT_TEST) == "src/stagewise/planning/tests/test_cycle.py"
    for other in ("loadfile", "loadscope", "each"):
        assert pytest_xdist_make_scheduler(config(other), log=None) is None  # type: ignore[arg-type]
