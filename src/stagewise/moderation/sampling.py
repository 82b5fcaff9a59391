"""Drawing a moderation sample: stratified random sampling with a kept seed (ADR 0046).

Pure functions of the population and the seed, so that a sample can be drawn again and explained:
the same decisions, size and seed always give the same sample.

- **Strata** are (school, stage) pairs. Each stratum's share of the sample is proportional to its
  share of the population, rounded by the largest-remainder method: every stratum first gets the
  whole part of its share, and the places left go to the strata with the largest remainders
  (ties to the stratum that comes first in order). A stratum too small for a whole place may get
  none: the sample follows the population, it does not guarantee every school a case.
- **Within a stratum** the decisions are put in order of their id and `random.Random(seed)`
  chooses the stratum's number of them; the strata are visited in order, one generator for all.
"""

import random
import secrets
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

# Seeds are chosen below this, so that they fit a 64-bit column and read easily.
SEED_LIMIT = 2**31


def new_seed() -> int:
    return secrets.randbelow(SEED_LIMIT)


@dataclass(frozen=True)
class Stratum[KeyT: Hashable]:
    key: KeyT
    population: int
    sampled: int


def allocation[KeyT: Hashable](counts: dict[KeyT, int], size: int) -> dict[KeyT, int]:
    """How many of `size` places each stratum gets, in proportion to its count."""
    total = sum(counts.values())
    if size > total:
        raise ValueError("The sample cannot be larger than the population.")
    if total == 0:
        return {}
    keys = sorted(counts, key=_order)
    shares = {key: Fraction(counts[key] * size, total) for key in keys}
    places = {key: int(shares[key]) for key in keys}
    left = size - sum(places.values())
    by_remainder = sorted(
        keys, key=lambda key: -(shares[key] - places[key])
    )  # stable: ties in order
    for key in by_remainder[:left]:
        places[key] += 1
    return places


def draw[KeyT: Hashable](
    population: Iterable[tuple[int, KeyT]], size: int, seed: int
) -> tuple[list[int], list[Stratum[KeyT]]]:
    """The ids of the sampled decisions (in stratum order, each stratum's in id order) and each
    stratum's population and places. `population` is (decision id, stratum key) pairs."""
    members: dict[KeyT, list[int]] = defaultdict(list)
    for decision_id, key in population:
        members[key].append(decision_id)
    places = allocation({key: len(ids) for key, ids in members.items()}, size)
    generator = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    chosen: list[int] = []
    strata: list[Stratum[KeyT]] = []
    for key in sorted(members, key=_order):
        ids = sorted(members[key])
        chosen += sorted(generator.sample(ids, places[key]))
        strata.append(Stratum(key=key, population=len(ids), sampled=places[key]))
    return chosen, strata


def _order(key: object) -> tuple[str, ...]:
    """Strata in a fixed order whatever their keys' type: by their parts, as text padded so that
    numbers sort as numbers."""
    parts = key if isinstance(key, tuple) else (key,)
    return tuple(f"{part:>20}" if isinstance(part, int) else str(part) for part in parts)
