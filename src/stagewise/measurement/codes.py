"""The curriculum code lists per nation, as data: which areas a judgement is made in, which levels
it can reach, and in which year groups it is made.

Scotland: Curriculum for Excellence achievement of levels, judged for pupils in P1, P4, P7 and S3
in reading, writing, listening and talking, and numeracy; the level expected by the end of P1 is
early, of P4 first, of P7 second and of S3 third (or better). Wales: Curriculum for Wales, six
areas of learning and experience, each with progression steps 1 to 5, judged in any year group.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from stagewise.measurement.models import CurriculumJudgement


@dataclass(frozen=True)
class CurriculumCodes:
    source: str
    areas: tuple[tuple[str, Promise], ...]
    levels: tuple[tuple[str, Promise], ...]
    # The year groups judged, with the level expected by the end of each (empty: any year group,
    # the expectation being the teacher's judgement of progress).
    judged_year_groups: dict[str, str]


CURRICULUM = {
    "scotland": CurriculumCodes(
        source=(
            "Achievement of Curriculum for Excellence levels, Scottish Government statistics "
            "(teacher judgements at P1, P4, P7 and S3)."
        ),
        areas=(
            ("reading", _("Reading")),
            ("writing", _("Writing")),
            ("listening_talking", _("Listening and talking")),
            ("numeracy", _("Numeracy")),
        ),
        levels=(
            ("not_yet_early", _("Working towards early level")),
            ("early", _("Early level")),
            ("first", _("First level")),
            ("second", _("Second level")),
            ("third", _("Third level")),
            ("fourth", _("Fourth level")),
        ),
        judged_year_groups={"P1": "early", "P4": "first", "P7": "second", "S3": "third"},
    ),
    "wales": CurriculumCodes(
        source="Curriculum for Wales: areas of learning and experience and progression steps.",
        areas=(
            ("expressive_arts", _("Expressive arts")),
            ("health_wellbeing", _("Health and well-being")),
            ("humanities", _("Humanities")),
            ("languages_literacy", _("Languages, literacy and communication")),
            ("mathematics_numeracy", _("Mathematics and numeracy")),
            ("science_technology", _("Science and technology")),
        ),
        levels=(
            ("step_1", _("Progression step 1")),
            ("step_2", _("Progression step 2")),
            ("step_3", _("Progression step 3")),
            ("step_4", _("Progression step 4")),
            ("step_5", _("Progression step 5")),
        ),
        judged_year_groups={},
    ),
}


def curriculum_for(nation_code: str) -> CurriculumCodes:
    return CURRICULUM[nation_code]


def level_rank(codes: CurriculumCodes, level: str) -> int:
    return [code for code, _label in codes.levels].index(level)


def curriculum_errors(judgement: "CurriculumJudgement") -> dict[str, Any]:
    """What is wrong with a judgement against its nation's code list (empty when nothing)."""
    if not judgement.setting_id:
        return {}
    nation_code = judgement.setting.authority.nation.code
    codes = curriculum_for(nation_code)
    errors: dict[str, Any] = {}
    if judgement.area not in dict(codes.areas):
        errors["area"] = _("Choose a curriculum area used in %(nation)s.") % {
            "nation": judgement.setting.authority.nation
        }
    if judgement.level not in dict(codes.levels):
        errors["level"] = _("Choose a level used in %(nation)s.") % {
            "nation": judgement.setting.authority.nation
        }
    if codes.judged_year_groups and judgement.year_group not in codes.judged_year_groups:
        errors["year_group"] = _("Levels are judged in %(year_groups)s only.") % {
            "year_groups": ", ".join(codes.judged_year_groups)
        }
    return errors


def expected_level_achieved(judgement: "CurriculumJudgement") -> bool | None:
    """Whether the level reached is the one expected by the end of the year group, where the
    nation sets one (Scotland); None where progress is the teacher's judgement (Wales)."""
    codes = curriculum_for(judgement.setting.authority.nation.code)
    expected = codes.judged_year_groups.get(judgement.year_group)
    if expected is None:
        return None
    return level_rank(codes, judgement.level) >= level_rank(codes, expected)


# The levels of each nation's credit and qualifications framework a qualification is awarded
# at: SCQF levels 1 to 12 in Scotland; in Wales, CQFW entry level (kept as 0), then 1 to 8.
FRAMEWORK_LEVELS: dict[str, tuple[tuple[int, Promise], ...]] = {
    "scotland": tuple(
        (level, format_lazy(_("SCQF level {level}"), level=level)) for level in range(1, 13)
    ),
    "wales": (
        (0, _("CQFW entry level")),
        *((level, format_lazy(_("CQFW level {level}"), level=level)) for level in range(1, 9)),
    ),
}


def framework_level_label(nation_code: str, level: int) -> Any:
    return dict(FRAMEWORK_LEVELS.get(nation_code, ())).get(level, level)


def framework_level_errors(qualification: Any) -> dict[str, Any]:
    """What is wrong with a qualification's level against its nation's framework."""
    if not qualification.setting_id or qualification.framework_level is None:
        return {}
    nation = qualification.setting.authority.nation
    if qualification.framework_level not in dict(FRAMEWORK_LEVELS[nation.code]):
        return {
            "framework_level": _("Choose a framework level used in %(nation)s.")
            % {"nation": nation}
        }
    return {}
