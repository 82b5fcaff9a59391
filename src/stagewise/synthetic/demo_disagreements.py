"""The demo's disagreement: the story family disagree with the school's decision to end their
child's small-group reading support; the school could not settle it, the authority upheld the
decision on complaint, and it now stands at mediation, where the family sees Glasgow's mediation
provider and the date to ask by. Recorded through the same services a parent and an officer
use."""

from datetime import date, timedelta

from stagewise.disagreements.models import RaisedFor
from stagewise.disagreements.services import disagreement_move, disagreement_record
from stagewise.learners.models import Learner
from stagewise.policy import SYSTEM


def add_demo_disagreement(*, story_learner: Learner, today: date) -> None:
    disagreement = disagreement_record(
        actor=SYSTEM,
        learner=story_learner,
        subject="support",
        about=(
            "The school stopped the small-group reading sessions this term, although the last "
            "review said they were helping."
        ),
        family_wants="The reading sessions back, three times a week, until the next review.",
        opened_on=today - timedelta(days=45),
        raised_for=RaisedFor.PARENT,
        staff_notes="The group was stopped when the pupil support assistant left.",
    )
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.authority_complaint",
        moved_on=today - timedelta(days=30),
        step_outcome="The head teacher met the family; the school could not restart the group.",
    )
    disagreement_move(
        actor=SYSTEM,
        disagreement=disagreement,
        route_key="scotland.mediation",
        moved_on=today - timedelta(days=6),
        step_outcome="The authority upheld the school's decision and offered mediation.",
        staff_note="Education services will fund cover from next term if mediation agrees.",
    )
