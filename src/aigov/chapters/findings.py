"""The key findings page: the report's headline numbers and a verdict on each of the paper's core
claims, computed from the curated data by rules stated here (and on the page) before the result.

Rules:
- incubator: the forums the G7 started or shaped (:data:`G7_SHAPED`) reach more states outside
  the G7 than the G7 has members;
- overlap: most states in any AI-governance forum sit in two or more of them;
- reach: low- and middle-income countries make up at least the same share of the states in
  AI-governance forums as of the world's states (income groups as classified);
- standards: ISO/IEC SC 42 (participating and observing national bodies) counts more countries
  than the widest AI-governance forum counts states (not checkable on a past date: the SC 42
  list has no dates).
"""
import pandas as pd

from .. import countries, datasets, governance, params, report

G7_SHAPED = ["oecd_ai_principles", "gpai", "hiroshima_friends"]
SC42_ROLES = ("participating", "observing")


def verdict(holds: bool) -> str:
    return "supported" if holds else "not supported"


def facts(as_of: pd.Timestamp | None) -> dict:
    shared = governance.shared_facts(as_of)
    states = governance.state_seats(as_of)
    per_state = states.groupby("member")["forum_id"].nunique()
    g7 = set(governance.members("g7", as_of)) - set(countries.NON_STATE)
    shaped = set(states.loc[states["forum_id"].isin(G7_SHAPED), "member"]) - g7
    income = datasets.indicators()["income_group"]
    world = income[income.index.isin(countries.un_members())]
    lmic = set(datasets.LOW_OR_MIDDLE)
    in_forums = income.reindex(per_state.index)
    lmic_share = in_forums.isin(lmic).sum() / in_forums.notna().sum() if in_forums.notna().any() else 0.0
    world_share = world.isin(lmic).sum() / world.notna().sum()
    sc42 = governance.table("memberships")
    sc42 = sc42[(sc42["forum_id"] == "iso_iec_sc42") & sc42["role"].isin(SC42_ROLES)]
    n_sc42 = sc42["member"].nunique() if as_of is None else 0
    multi = float((per_state >= 2).mean()) if len(per_state) else 0.0
    return {
        "as_of_label": params.label(as_of), **shared,
        "g7_members": len(g7), "g7_reach": len(shaped), "g7_multiple": len(shaped) / len(g7) if g7 else 0.0,
        "incubator_verdict": verdict(len(shaped) > len(g7)),
        "share_multi": multi, "median_forums": float(per_state.median()) if len(per_state) else 0.0,
        "max_forums": int(per_state.max()) if len(per_state) else 0,
        "overlap_verdict": verdict(multi > 0.5),
        "members_lmic_share": float(lmic_share), "un_lmic_share": float(world_share),
        "reach_verdict": verdict(lmic_share >= world_share),
        "n_sc42": int(n_sc42), "standards_verdict": verdict(n_sc42 > shared["widest_states"]) if as_of is None else "not checkable",
    }


def publish(as_of: pd.Timestamp | None) -> dict:
    return report.glue_facts(facts(as_of))
