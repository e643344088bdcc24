"""The key findings: headline numbers recomputed from the raw CSVs, and the verdict rules."""
import pandas as pd
import pytest

from aigov.chapters import findings
from independent import ACTIVE, last_day, rows

NON_STATES = {"EUU", "XAU", "XIF", "XKX"}
EXCLUDED = {"african_union", "brics", "eu", "un", "unesco", "iso_iec_sc42"}


def seats(day: str | None) -> dict[str, set[str]]:
    """State -> the AI-governance forums it sits in on ``day`` (None: every row not ended)."""
    out = {}
    for r in rows("memberships"):
        if r["forum_id"] in EXCLUDED or r["member"] in NON_STATES or r["role"] not in ACTIVE:
            continue
        current = not r["left"] if day is None else (r["joined"] and last_day(r["joined"]) <= day
                                                      and (not r["left"] or r["left"] > day))
        if current:
            out.setdefault(r["member"], set()).add(r["forum_id"])
    return out


@pytest.mark.parametrize("day", [None, "2020-01-01"])
def test_overlap_is_recomputed_from_the_memberships(day):
    facts = findings.facts(None if day is None else pd.Timestamp(day))
    per_state = seats(day)
    multi = sum(len(f) >= 2 for f in per_state.values()) / len(per_state)
    assert facts["n_states_in_forums"] == len(per_state)
    assert facts["share_multi"] == pytest.approx(multi)
    assert facts["max_forums"] == max(map(len, per_state.values()))
    assert facts["overlap_verdict"] == ("supported" if multi > 0.5 else "not supported")


def test_g7_reach_counts_states_outside_the_g7_in_the_forums_it_shaped():
    facts = findings.facts(None)
    g7 = {s for s, f in seats(None).items() if "g7" in f}
    shaped = {s for s, f in seats(None).items() if f & set(findings.G7_SHAPED)} - g7
    assert facts["g7_members"] == len(g7) == 7
    assert facts["g7_reach"] == len(shaped)
    assert facts["incubator_verdict"] == ("supported" if len(shaped) > len(g7) else "not supported")


def test_standards_breadth_compares_sc42_with_the_widest_forum_and_is_not_judged_on_a_past_date():
    facts = findings.facts(None)
    sc42 = {r["member"] for r in rows("memberships") if r["forum_id"] == "iso_iec_sc42"}
    widest = max(map(len, [{s for s, f in seats(None).items() if forum in f}
                           for forum in {r["forum_id"] for r in rows("forums")} - EXCLUDED]))
    assert facts["n_sc42"] == len(sc42) and facts["widest_states"] == widest
    assert facts["standards_verdict"] == ("supported" if len(sc42) > widest else "not supported")
    assert findings.facts(pd.Timestamp("2024-01-01"))["standards_verdict"] == "not checkable"
