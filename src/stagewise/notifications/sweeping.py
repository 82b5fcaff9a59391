"""What every part of the daily sweep shares: reading rows in keyset-paged chunks, finding each
learner's family with portal access for a whole chunk at once, and grouping people by language
so that each notice is written once per language."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Model, QuerySet

from stagewise.learners.access import learners_whose_parents_see
from stagewise.learners.models import Learner, LearnerCarer

CHUNK_SIZE = 500

# (user id, language) of each person to tell.
Person = tuple[int, str]


def chunks[ModelT: Model](queryset: QuerySet[ModelT]) -> Iterator[list[ModelT]]:
    """The rows in primary-key order, CHUNK_SIZE at a time (keyset paging: each chunk is one
    indexed query however far in it is)."""
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK_SIZE])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def family_with_portal_access(learner_ids: set[int], part: str) -> dict[int, list[Person]]:
    """Each learner's family with portal access, in a few queries for the whole chunk: the same
    people learners/access.py lets see the record (LearnerScope OWN_CHILDREN and OWN_RECORD),
    leaving out parents whose young person keeps `part` (a ParentPart) from them (ADR 0021)."""
    family: dict[int, list[Person]] = defaultdict(list)
    carers = LearnerCarer.objects.filter(
        learner_id__in=learners_whose_parents_see(list(learner_ids), part),
        portal_access=True,
        carer__user__isnull=False,
        carer__user__is_active=True,
    ).values_list("learner_id", "carer__user_id", "carer__user__preferred_language")
    for learner_id, user_id, language in carers:
        family[learner_id].append((user_id, language))
    young_people = Learner.objects.filter(
        pk__in=learner_ids,
        young_person_account__isnull=False,
        young_person_account__is_active=True,
    ).values_list("pk", "young_person_account_id", "young_person_account__preferred_language")
    for learner_id, user_id, language in young_people:
        family[learner_id].append((user_id, language))
    return family


def by_language(people: list[Person]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for user_id, language in people:
        grouped[language].append(user_id)
    return grouped
