"""The routes a disagreement can take, per nation and in order of escalation, and the subjects
each route hears: a data table (data/routes.json), read here and nowhere else.

A route's time limits are statutory timescales named by key (`apply_rule`: the time to ask for
the route, counted from the day the previous step ended; `step_rule`: how long the route itself
should take), so a correction to a limit is made once, in the statutory rules, with its audit
trail. Which advice, advocacy and dispute services to show at each route is named by what they
help with (organisations.ServiceHelp), never by name.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stagewise.organisations.public_information_models import in_reader_language

DATA = Path(__file__).resolve().parent / "data" / "routes.json"


@dataclass(frozen=True)
class DisagreementSubject:
    key: str
    nation: str
    label_en: str
    label_cy: str

    @property
    def label(self) -> str:
        return in_reader_language(self.label_en, self.label_cy)


@dataclass(frozen=True)
class Route:
    key: str
    nation: str
    order: int
    name_en: str
    name_cy: str
    description_en: str
    description_cy: str
    # The subject keys the route hears; None: every subject.
    subjects: frozenset[str] | None
    apply_rule: str | None
    apply_rules_by_subject: dict[str, str]
    step_rule: str | None
    service_help: tuple[str, ...]

    @property
    def name(self) -> str:
        return in_reader_language(self.name_en, self.name_cy)

    @property
    def description(self) -> str:
        return in_reader_language(self.description_en, self.description_cy)

    def hears(self, subject: str) -> bool:
        return self.subjects is None or subject in self.subjects

    def apply_rule_for(self, subject: str) -> str | None:
        """The statutory time limit to ask for this route about `subject`, if it has one."""
        return self.apply_rules_by_subject.get(subject, self.apply_rule)


@dataclass(frozen=True)
class RouteTable:
    version: str
    subjects: tuple[DisagreementSubject, ...]
    routes: tuple[Route, ...]


@cache
def route_table() -> RouteTable:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    subjects = tuple(
        DisagreementSubject(
            key=row["key"], nation=row["nation"], label_en=row["label"], label_cy=row["label_cy"]
        )
        for row in data["subjects"]
    )
    routes = tuple(
        sorted(
            (
                Route(
                    key=row["key"],
                    nation=row["nation"],
                    order=row["order"],
                    name_en=row["name"],
                    name_cy=row["name_cy"],
                    description_en=row["description"],
                    description_cy=row["description_cy"],
                    subjects=None if row["subjects"] == "all" else frozenset(row["subjects"]),
                    apply_rule=row["apply_rule"],
                    apply_rules_by_subject=dict(row["apply_rules_by_subject"]),
                    step_rule=row["step_rule"],
                    service_help=tuple(row["service_help"]),
                )
                for row in data["routes"]
            ),
            key=lambda route: (route.nation, route.order),
        )
    )
    return RouteTable(version=data["version"], subjects=subjects, routes=routes)


def routes_for(nation: str) -> list[Route]:
    """The nation's routes, in order of escalation."""
    return [route for route in route_table().routes if route.nation == nation]


def route_get(key: str) -> Route | None:
    return next((route for route in route_table().routes if route.key == key), None)


def subjects_for(nation: str) -> list[DisagreementSubject]:
    return [subject for subject in route_table().subjects if subject.nation == nation]


def subject_get(nation: str, key: str) -> DisagreementSubject | None:
    return next((subject for subject in subjects_for(nation) if subject.key == key), None)


def routes_after(route_key: str, subject: str) -> list[Route]:
    """The routes still open after `route_key` for a disagreement about `subject`, in order: the
    first is the next one open to the family."""
    current = route_get(route_key)
    if current is None:
        return []
    return [
        route
        for route in routes_for(current.nation)
        if route.order > current.order and route.hears(subject)
    ]


def rule_keys() -> set[str]:
    """Every statutory timescale the routes name (a test checks each exists)."""
    keys: set[str] = set()
    for route in route_table().routes:
        keys.update(key for key in (route.apply_rule, route.step_rule) if key)
        keys.update(route.apply_rules_by_subject.values())
    return keys
