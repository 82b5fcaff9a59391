"""The demo authorities' own threshold descriptors, each mapped onto a national one (ADR 0045),
from data/demo_thresholds.json.

Illustrative wording written for the demo, not any authority's published descriptors: the source
of each row says so. Glasgow and Fife write in English only (the Welsh page shows their English),
Cardiff in both languages. Some national descriptors are left without a local one on purpose, so
that the demo shows what the page says then.
"""

import json
from pathlib import Path

from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.services.thresholds import (
    LocalDescriptorRow,
    local_threshold_descriptors_add,
)

DATA = Path(__file__).resolve().parent / "data" / "demo_thresholds.json"


def add_demo_thresholds() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for authority_name, descriptors in data["authorities"].items():
        local_threshold_descriptors_add(
            authority=LocalAuthority.objects.get(name=authority_name),
            rows=[
                LocalDescriptorRow(
                    stage_order=entry["stage"],
                    national_key=entry["national"],
                    wording=entry["wording"],
                    wording_cy=entry["wording_cy"],
                    source=data["source"],
                    version=data["version"],
                    order=order,
                )
                for order, entry in enumerate(descriptors, start=1)
            ],
        )
