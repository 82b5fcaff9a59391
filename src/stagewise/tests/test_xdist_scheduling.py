"""Under pytest-xdist each module is one unit of work (its world built once), the large tables are
shared out case by case, and the browser journeys' modules are handed out before anything else."""

from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from xdist.scheduler import LoadScopeScheduling

from stagewise.testing.xdist_scheduling import pytest_xdist_make_scheduler, scope_of

JOURNEY = "src/stagewise/tests/browser/test_plan_journeys.py::test_teacher_writes[chromium-cy]"
SAME_MODULE_JOURNEY = (
    "src/stagewise/tests/browser/test_plan_journeys.py::test_lead_writes[chromium]"
)
OTHER_JOURNEY = "src/stagewise/tests/browser/test_family_journey.py::test_parent_sees[chromium-en]"
UNIT_TEST = "src/stagewise/planning/tests/test_cycle.py::test_a_draft_is_due_to_be_finalised"
LONG_TEST = "src/stagewise/synthetic/tests/test_synth_on_a_new_database.py::test_synth_migrates"


HARNESS_CASE = "src/stagewise/tests/test_access_harness.py::test_each_actor_reaches[teacher-x]"
POLICY_CASE = "src/stagewise/tests/test_policy.py::test_refused[teacher-plan_create]"


def test_each_journey_module_is_a_unit_so_both_workers_can_drive_a_browser():
    assert scope_of(JOURNEY) == scope_of(SAME_MODULE_JOURNEY)
    assert scope_of(JOURNEY) == "src/stagewise/tests/browser/test_plan_journeys.py"
    assert scope_of(JOURNEY) != scope_of(OTHER_JOURNEY)


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
    assert scheduler._split_scope(UNIT_TEST) == "src/stagewise/planning/tests/test_cycle.py"
    for other in ("loadfile", "loadscope", "each"):
        assert pytest_xdist_make_scheduler(config(other), log=None) is None  # type: ignore[arg-type]


class Worker:
    """What the scheduler asks of a worker: to run some of the tests it collected."""

    def __init__(self, collection: list[str]) -> None:
        self.collection = collection
        self.sent: list[str] = []

    def send_runtest_some(self, indexes: list[int]) -> None:
        self.sent += [self.collection[index] for index in indexes]


BIG_MODULE = [f"src/stagewise/planning/tests/test_cycle.py::test_{n}" for n in range(10)]


def first_units(collection: list[str]) -> tuple[Any, list[Worker]]:
    """The scheduler given `collection`, once each of two workers has had its first unit."""
    scheduler: Any = pytest_xdist_make_scheduler(config("load"), log=None)  # type: ignore[arg-type]
    workers = [Worker(collection), Worker(collection)]
    scheduler.registered_collections = {worker: collection for worker in workers}
    scheduler.workqueue = OrderedDict((scope_of(nodeid), {}) for nodeid in collection)
    for nodeid in collection:
        scheduler.workqueue[scope_of(nodeid)][nodeid] = False
    for worker in workers:
        scheduler._assign_work_unit(worker)
    return scheduler, workers


def test_journey_modules_are_handed_out_before_larger_units():
    scheduler, workers = first_units([*BIG_MODULE, JOURNEY, SAME_MODULE_JOURNEY, OTHER_JOURNEY])

    assert workers[0].sent == [JOURNEY, SAME_MODULE_JOURNEY]
    assert workers[1].sent == [OTHER_JOURNEY]
    assert list(scheduler.workqueue) == ["src/stagewise/planning/tests/test_cycle.py"]


def test_a_long_module_follows_the_journeys_before_larger_units():
    _scheduler, workers = first_units([*BIG_MODULE, LONG_TEST, JOURNEY])

    assert workers[0].sent == [JOURNEY]
    assert workers[1].sent == [LONG_TEST]
