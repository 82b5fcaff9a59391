"""Reading what a learner needs and how they are supported. Callers have already reached the
learner through learners/access.py."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from stagewise.learners.models import (
    LEVEL_SCORE,
    ChronologyEntry,
    ChronologyEntryType,
    Learner,
    Need,
    StageDecision,
    WellbeingAssessment,
    WellbeingIndicator,
    WellbeingLevel,
)
from stagewise.statutory.models import NationalStage


def current_stage_get(learner: Learner) -> StageDecision | None:
    return (
        learner.stage_decisions.select_related("stage__stage_model")
        .order_by("-decided_on", "-pk")
        .first()
    )


def stage_timeline(learner: Learner) -> list[StageDecision]:
    """Every decision, oldest first, as a timeline reads."""
    return list(
        learner.stage_decisions.select_related("stage__stage_model", "suggested_stage").order_by(
            "decided_on", "pk"
        )
    )


def need_list(learner: Learner) -> list[Need]:
    return list(learner.needs.select_related("reason").order_by("resolved_on", "-identified_on"))


@dataclass(frozen=True)
class IndicatorComparison:
    indicator: str
    label: str
    level: str
    level_label: str
    note: str
    previous_level: str | None
    previous_level_label: str | None

    @property
    def change(self) -> str:
        if self.previous_level is None:
            return ""
        before = LEVEL_SCORE[WellbeingLevel(self.previous_level)]
        now = LEVEL_SCORE[WellbeingLevel(self.level)]
        if now > before:
            return "better"
        if now < before:
            return "worse"
        return "same"


@dataclass(frozen=True)
class WellbeingView:
    assessment: WellbeingAssessment
    previous: WellbeingAssessment | None
    indicators: list[IndicatorComparison]


def wellbeing_assessment_list(learner: Learner) -> list[WellbeingAssessment]:
    return list(learner.wellbeing_assessments.order_by("-assessed_on", "-pk"))


def wellbeing_view_get(assessment: WellbeingAssessment) -> WellbeingView:
    """An assessment with each indicator compared against the assessment before it."""
    previous = (
        WellbeingAssessment.objects.filter(learner_id=assessment.learner_id)
        .filter(assessed_on__lte=assessment.assessed_on)
        .exclude(pk=assessment.pk)
        .exclude(assessed_on=assessment.assessed_on, pk__gt=assessment.pk)
        .order_by("-assessed_on", "-pk")
        .prefetch_related("ratings")
        .first()
    )
    now = {rating.indicator: rating for rating in assessment.ratings.all()}
    before = {rating.indicator: rating for rating in previous.ratings.all()} if previous else {}
    indicators = []
    for indicator in WellbeingIndicator:
        rating = now[indicator.value]
        earlier = before.get(indicator.value)
        indicators.append(
            IndicatorComparison(
                indicator=indicator.value,
                label=str(indicator.label),
                level=rating.level,
                level_label=rating.get_level_display(),
                note=rating.note,
                previous_level=earlier.level if earlier else None,
                previous_level_label=earlier.get_level_display() if earlier else None,
            )
        )
    return WellbeingView(assessment=assessment, previous=previous, indicators=indicators)


# Automatic chronology items carry these kinds, alongside the entry types people record.
STAGE_DECISION_KIND = "stage_decision"
NEED_IDENTIFIED_KIND = "need_identified"
NEED_RESOLVED_KIND = "need_resolved"


def chronology_kinds() -> list[tuple[str, Any]]:
    return [
        *ChronologyEntryType.choices,
        (STAGE_DECISION_KIND, _("Stage decision")),
        (NEED_IDENTIFIED_KIND, _("Need identified")),
        (NEED_RESOLVED_KIND, _("Need resolved")),
    ]


@dataclass(frozen=True)
class ChronologyItem:
    occurred_on: date
    kind: str
    kind_label: str
    summary: str
    source: str
    restricted: bool = False
    automatic: bool = False


def chronology_entry_item(entry: ChronologyEntry, labels: dict[str, Any]) -> ChronologyItem:
    return ChronologyItem(
        occurred_on=entry.occurred_on,
        kind=entry.entry_type,
        kind_label=str(labels[entry.entry_type]),
        summary=entry.summary,
        source=entry.source or entry.recorded_by_label,
        restricted=entry.restricted,
    )


def stage_decision_item(decision: StageDecision, labels: dict[str, Any]) -> ChronologyItem:
    national = NationalStage(decision.stage.national_stage).label
    return ChronologyItem(
        occurred_on=decision.decided_on,
        kind=STAGE_DECISION_KIND,
        kind_label=str(labels[STAGE_DECISION_KIND]),
        summary=f"{decision.stage.display_label} ({national}). {decision.rationale}",
        source=decision.decided_by_label,
        automatic=True,
    )


def need_identified_item(need: Need, labels: dict[str, Any]) -> ChronologyItem:
    return ChronologyItem(
        occurred_on=need.identified_on,
        kind=NEED_IDENTIFIED_KIND,
        kind_label=str(labels[NEED_IDENTIFIED_KIND]),
        summary=str(need.reason),
        source=need.identified_by_label,
        automatic=True,
    )


def chronology_list(
    *,
    learner: Learner,
    include_restricted: bool,
    kinds: set[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[ChronologyItem]:
    """Recorded entries merged with stage decisions and need changes, newest first."""
    labels = dict(chronology_kinds())
    items: list[ChronologyItem] = []
    entries = learner.chronology.all()
    if not include_restricted:
        entries = entries.filter(restricted=False)
    for entry in entries:
        items.append(chronology_entry_item(entry, labels))
    for decision in learner.stage_decisions.select_related("stage"):
        items.append(stage_decision_item(decision, labels))
    for need in learner.needs.select_related("reason"):
        items.append(need_identified_item(need, labels))
        if need.resolved_on:
            items.append(
                ChronologyItem(
                    occurred_on=need.resolved_on,
                    kind=NEED_RESOLVED_KIND,
                    kind_label=str(labels[NEED_RESOLVED_KIND]),
                    summary=str(need.reason),
                    source="",
                    automatic=True,
                )
            )
    items = [
        item
        for item in items
        if (not kinds or item.kind in kinds)
        and (date_from is None or item.occurred_on >= date_from)
        and (date_to is None or item.occurred_on <= date_to)
    ]
    return sorted(items, key=lambda item: item.occurred_on, reverse=True)
