"""Test data at two sizes: the real plan, and a plan twice its size built from the same file."""

import copy
from pathlib import Path

from measures.models import Plan
from measures.services import plan_load, read_data_file

PLAN_FILE = Path(__file__).resolve().parent.parent / "measures" / "data" / "plans" / "2008-2012.yaml"


def load_double_plan(code: str = "double") -> Plan:
    """A plan whose every area holds each measure twice (renumbered): twice the rows per page."""
    data = read_data_file(PLAN_FILE)
    data["plan"].update(code=code, start_year=2030, end_year=2034)
    for area in data["areas"]:
        measures = area["measures"]
        copies = copy.deepcopy(measures)
        for offset, measure in enumerate(copies, len(measures) + 1):
            old_prefix, new_prefix = measure["ref"], f"{area['seq']}.{offset}"
            measure["ref"] = new_prefix
            for sub in measure.get("sub_measures") or []:
                sub["ref"] = new_prefix + sub["ref"][len(old_prefix) :]
        measures.extend(copies)
    for target in data.get("targets") or []:
        target["measure"] = None
    return plan_load(data=data)
