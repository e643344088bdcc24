"""What existing forums do and what proposed central bodies would do, function by function
(analysis layer; data: ``functions.csv`` and ``proposals.csv``).

A forum performs a function from the date in ``since`` (a row without a date counts only on the
data date, as an undated membership does), and never before the forum was founded; a proposal's
functions count from the date it was made.
"""
import pandas as pd

from . import governance
from .curated import FUNCTIONS, UNVERIFIED, parse_date, period_end

LABELS = {"standards": "Standards", "testing_evaluation": "Testing and evaluation",
          "risk_information": "Incident and risk information", "joint_research": "Joint research",
          "capacity_finance": "Capacity building and finance", "verification_enforcement": "Verification and enforcement",
          "inclusion": "Inclusion of low- and middle-income countries"}
SOURCED, SECONDARY = "sourced", "secondary"  # cell grades: official or official-copy; news or research


def _in_force(dates: pd.Series, as_of: pd.Timestamp | None) -> pd.Series:
    """Rows dated by ``as_of`` (the end of the period a date is known to); undated rows only
    when no date is asked for."""
    if as_of is None:
        return pd.Series(True, index=dates.index)
    return dates.map(period_end).le(as_of).fillna(False).astype(bool)


def proposals(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """The proposals made by ``as_of``."""
    df = governance.table("proposals")
    return df[_in_force(df["date"], as_of)].reset_index(drop=True)


def cells(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """One row per body and function on ``as_of``: body_id, name, kind (forum or proposal),
    function, grade (sourced, secondary, unverified), source_url, note."""
    rows = governance.table("functions")
    forums = governance.table("forums").set_index("forum_id")
    props = proposals(as_of).set_index("proposal_id")
    is_forum = rows["body_id"].isin(forums.index)
    founded = rows["body_id"].map(forums["founded"]).map(parse_date)
    forum_ok = is_forum & _in_force(rows["since"], as_of) & (founded.le(as_of) if as_of is not None else True)
    keep = rows[forum_ok | rows["body_id"].isin(props.index)].copy()
    keep["kind"] = keep["body_id"].map(lambda b: "forum" if b in forums.index else "proposal")
    keep["name"] = keep["body_id"].map(lambda b: forums.loc[b, "short_name"] if b in forums.index
                                       else props.loc[b, "short_name"])
    keep["grade"] = keep["evidence"].map(lambda e: UNVERIFIED if e == UNVERIFIED else
                                         SECONDARY if e == SECONDARY else SOURCED)
    return keep[["body_id", "name", "kind", "function", "grade", "source_url", "note"]].reset_index(drop=True)


def matrix(c: pd.DataFrame) -> pd.DataFrame:
    """The :func:`cells` of a date as bodies (forums by number of functions, then proposals) x
    functions: the cell's grade, or ''."""
    wide = c.pivot(index="body_id", columns="function", values="grade").reindex(columns=FUNCTIONS).fillna("")
    order = c.groupby("body_id").agg(kind=("kind", "first"), n=("function", "size"))
    order = order.assign(proposal=order["kind"] == "proposal").sort_values(["proposal", "n"], ascending=[True, False],
                                                                          kind="stable")
    return wide.loc[order.index]


def coverage(c: pd.DataFrame) -> pd.DataFrame:
    """For each function of each proposal among the :func:`cells` of a date: how many existing
    forums already perform it, and which."""
    forums = c[c["kind"] == "forum"]
    out = []
    for r in c[c["kind"] == "proposal"].itertuples():
        doers = forums.loc[forums["function"] == r.function, "name"].tolist()
        out.append({"proposal_id": r.body_id, "proposal": r.name, "function": r.function, "grade": r.grade,
                    "forums": len(doers), "forum_names": doers})
    return pd.DataFrame(out, columns=["proposal_id", "proposal", "function", "grade", "forums", "forum_names"])
