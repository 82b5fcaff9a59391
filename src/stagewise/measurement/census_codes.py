"""The census returns' code lists, as data (measurement/data/census_codes.json; ADR 0025).

The reasons for support (Scotland) and need types (Wales) are the ReasonForSupport rule table;
this module reads what the census adds to them: Scotland's type-of-support codes and how a plan
type or a disability on a need maps onto them, Wales's codes for who keeps an individual
development plan and its level-of-support codes, each nation's census day, and the shapes of the
learner identifier and the school's reference. Read once, as frozen Python data: nothing in it is
edited through the site (a new version of the specification is a new version of the file).
"""

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA_FILE = Path(__file__).parent / "data" / "census_codes.json"
# The school year starts in August in both nations.
SCHOOL_YEAR_STARTS_IN_MONTH = 8


@dataclass(frozen=True)
class CensusCode:
    code: str
    label: str
    label_cy: str

    @property
    def display_label(self) -> str:
        if self.label_cy and (get_language() or "").startswith("cy"):
            return self.label_cy
        return self.label


@dataclass(frozen=True)
class CensusDayRule:
    """The nth weekday (Monday 0) of a month, in each school year."""

    month: int
    weekday: int
    occurrence: int
    source: str

    def in_school_year_of(self, day: date) -> date:
        """The census day of the school year `day` falls in (it may be ahead: a return is
        prepared before the day)."""
        start_year = day.year if day.month >= SCHOOL_YEAR_STARTS_IN_MONTH else day.year - 1
        year = start_year if self.month >= SCHOOL_YEAR_STARTS_IN_MONTH else start_year + 1
        first = date(year, self.month, 1)
        offset = (self.weekday - first.weekday()) % 7
        return first + timedelta(days=offset + 7 * (self.occurrence - 1))


@dataclass(frozen=True)
class NationCensusCodes:
    nation: str
    source: str
    version: str
    census_day: CensusDayRule
    identifier: CensusCode  # the learner identifier's name (its code: the pattern)
    identifier_pattern: re.Pattern[str]
    school_reference: CensusCode
    school_reference_pattern: re.Pattern[str]
    # Scotland: type of support, recorded for each reason.
    types_of_support: tuple[CensusCode, ...] = ()
    type_for_plan_type: dict[str, str] | None = None
    type_for_disability: dict[str, str] | None = None
    type_otherwise: str = ""
    # Wales: who keeps the individual development plan, and the level-of-support codes (listed;
    # the record holds nothing they could be derived from, so the return does not carry them).
    plan_keepers: tuple[CensusCode, ...] = ()
    keeper_for_plan_type: dict[str, str] | None = None
    keeper_when_looked_after: str = ""
    level_of_support_codes: tuple[CensusCode, ...] = ()

    @property
    def identifier_name(self) -> str:
        return self.identifier.display_label

    @property
    def school_reference_name(self) -> str:
        return self.school_reference.display_label

    @property
    def is_scottish(self) -> bool:
        return bool(self.types_of_support)

    @property
    def counted_plan_types(self) -> frozenset[str]:
        """The plan types the return reports: the Scottish types of support, the Welsh IDPs."""
        return frozenset(self.type_for_plan_type or {}) | frozenset(self.keeper_for_plan_type or {})


def _codes(rows: list[list[str]] | None) -> tuple[CensusCode, ...]:
    return tuple(CensusCode(code, label, label_cy) for code, label, label_cy in rows or [])


def _named(item: dict[str, str]) -> CensusCode:
    return CensusCode(item["pattern"], item["name"], item.get("name_cy", ""))


def _nation(code: str, raw: dict[str, Any]) -> NationCensusCodes:
    keepers = raw.get("plan_keeper_for_plan_type")
    return NationCensusCodes(
        nation=code,
        source=raw["source"],
        version=raw["version"],
        census_day=CensusDayRule(**raw["census_day"]),
        identifier=_named(raw["learner_identifier"]),
        identifier_pattern=re.compile(raw["learner_identifier"]["pattern"]),
        school_reference=_named(raw["school_reference"]),
        school_reference_pattern=re.compile(raw["school_reference"]["pattern"]),
        types_of_support=_codes(raw.get("types_of_support")),
        type_for_plan_type=raw.get("type_of_support_for_plan_type"),
        type_for_disability=raw.get("type_of_support_for_disability"),
        type_otherwise=raw.get("type_of_support_otherwise", ""),
        plan_keepers=_codes(raw.get("plan_keepers")),
        keeper_for_plan_type=keepers,
        keeper_when_looked_after=raw.get("keeper_required_when_looked_after", ""),
        level_of_support_codes=_codes(raw.get("level_of_support_codes")),
    )


def load_census_codes(path: Path = DATA_FILE) -> dict[str, NationCensusCodes]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {code: _nation(code, raw[code]) for code in ("scotland", "wales")}


CENSUS_CODES = load_census_codes()
