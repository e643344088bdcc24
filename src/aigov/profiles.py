"""A country's place in AI governance on a date (analysis layer of the country profiles).

Every function takes an ISO3 code and, where it matters, the date (``as_of``; None for the data
as last verified) and reads the curated data through :mod:`aigov.governance`, so memberships
count by the same rules as in the chapters. The network is the network chapter's: the states
and the AI-governance forums of :func:`governance.default_forums`, a state linked to a forum
where it holds a seat of its own (:mod:`aigov.network`). Ranks are among the states of that
network on that date, 1 for the highest, tied states sharing the best rank of their tie.
"""
from pathlib import Path

import pandas as pd

from . import capacity, claims, countries, datasets, governance, network, readlog
from .curated import ROLES, data_as_of, parse_date, period_end
from .paths import CURATED

# The capacity indicators a profile compares with the country's income group and region.
CAPACITY = ["internet_use", "electricity_access", "gdp_per_capita", "imf_aipi", "oxford_readiness", "ai_diffusion"]


# --- forums ------------------------------------------------------------------------------------

def forum_rows(code: str, as_of: pd.Timestamp | None, directory: Path = CURATED) -> pd.DataFrame:
    """The country's memberships in force on ``as_of`` (every role, the earliest row of each forum
    and role), with the forum's short name and whether the seat counts in the network (``counted``:
    an AI-governance forum and an active role), in order of joining."""
    rows = governance.memberships(as_of, roles=ROLES, directory=directory)
    rows = rows[rows["member"] == code].drop_duplicates(["forum_id", "role"])
    forums = governance.table("forums", directory).set_index("forum_id")
    counted = set(governance.default_forums(directory))
    out = rows.assign(forum=rows["forum_id"].map(forums["short_name"]),
                      counted=rows["forum_id"].isin(counted) & rows["role"].isin(governance.ACTIVE_ROLES),
                      _start=rows["joined"].map(period_end))
    out = out.sort_values(["_start", "forum"], kind="stable", na_position="last")
    return out[["forum_id", "forum", "role", "joined", "evidence", "source_url", "counted"]].reset_index(drop=True)


def steps(code: str, as_of: pd.Timestamp | None, directory: Path = CURATED, start: str = "2016-01-01") -> pd.DataFrame:
    """How many of the network's forums the country held a seat in (``date``, ``forums``): on
    ``start``, on each later date on which that changed, and on ``as_of`` (the data date when None,
    with the memberships in force today, dated or not), as in :func:`position`."""
    counted = set(governance.default_forums(directory))
    df = governance.table("memberships", directory)
    df = df[(df["member"] == code) & df["forum_id"].isin(counted) & df["role"].isin(governance.ACTIVE_ROLES)]
    last = as_of if as_of is not None else pd.Timestamp(data_as_of(directory))
    first = pd.Timestamp(start)
    changes = {d for d in df["joined"].map(period_end).tolist() + df["left"].map(parse_date).tolist()
               if pd.notna(d) and first < d < last}
    rows = [{"date": d, "forums": len(set(governance.forums_of(code, d, directory=directory)) & counted)}
            for d in [first, *sorted(changes)] if d < last]
    rows.append({"date": last, "forums": len(set(governance.forums_of(code, as_of, directory=directory)) & counted)})
    return pd.DataFrame(rows, columns=["date", "forums"])


def archive_dates(code: str, directory: Path = CURATED) -> list[pd.Timestamp]:
    """The 31 Decembers from the network's first year before the data date on which the country
    had a membership in force (any forum or role): the dates of its archived profiles."""
    return governance.year_ends_in_force(code, network.SERIES_START, directory)


# --- the network -------------------------------------------------------------------------------

@readlog.cached
def positions(as_of: pd.Timestamp | None, directory: Path = CURATED) -> pd.DataFrame:
    """Every state of the network on ``as_of``: its forums, partners (degree in the projection),
    betweenness and their ranks, ``rank_partners`` and ``rank_betweenness`` (1 = highest)."""
    forums = governance.default_forums(directory)
    cent = network.centrality(network.bipartite(network.matrix(as_of, forums, directory)))
    cent = cent[["forums", "partners", "betweenness"]].copy()
    for col in ["partners", "betweenness"]:
        cent[f"rank_{col}"] = cent[col].rank(ascending=False, method="min").astype(int)
    return cent


def position(code: str, as_of: pd.Timestamp | None, directory: Path = CURATED) -> dict:
    """The country's place in the network on ``as_of`` (:func:`positions`), with ``states``, the
    number of states in the network; ``in_network`` is False when it held no counted seat."""
    table = positions(as_of, directory)
    row = table.loc[code].to_dict() if code in table.index else {}
    return {"in_network": bool(row), "states": len(table), "forums": int(row.get("forums", 0)),
            "partners": int(row.get("partners", 0)), "betweenness": float(row.get("betweenness", 0.0)),
            "rank_partners": int(row["rank_partners"]) if row else None,
            "rank_betweenness": int(row["rank_betweenness"]) if row else None}


def history(code: str, as_of: pd.Timestamp | None, directory: Path = CURATED) -> pd.DataFrame:
    """:func:`position` on each 31 December from the network's first year before ``as_of``, and on
    ``as_of`` itself (the data date when None): one row per date."""
    last = as_of if as_of is not None else pd.Timestamp(data_as_of(directory))
    ends = [pd.Timestamp(f"{y}-12-31") for y in range(network.SERIES_START, last.year + 1)]
    dates = [d for d in ends if d < last] + [as_of]
    rows = [{"date": d if d is not None else last, **position(code, d, directory)} for d in dates]
    return pd.DataFrame(rows)


# --- institutes and signatures ---------------------------------------------------------------

def signatures(code: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Each summit declaration and the Council of Europe convention adopted by ``as_of``, by date:
    whether its signatories are recorded in full (``coverage``), and the country's role, evidence
    and source where it signed (empty otherwise)."""
    from . import safety_institutes
    docs = safety_institutes.documents(as_of)
    docs = docs[docs["adopted"]].sort_values("date", kind="stable")
    rows = governance.memberships(as_of, roles=ROLES)
    rows = rows[(rows["member"] == code) & rows["forum_id"].isin(docs["forum_id"])].set_index("forum_id")
    out = docs[["forum_id", "document", "date", "coverage"]].copy()
    for col in ["role", "evidence", "source_url"]:
        out[col] = out["forum_id"].map(rows[col]).fillna("")
    return out.reset_index(drop=True)


def institutes(code: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """The country's AI safety (or security) institutes announced by ``as_of``."""
    from . import safety_institutes
    inst = safety_institutes.institutes(as_of)
    return inst[inst["member"] == code].reset_index(drop=True)


# --- capacity ----------------------------------------------------------------------------------

@readlog.cached
def capacity_frame(directory: Path = CURATED) -> pd.DataFrame:
    """Every state of :func:`capacity.universe`: region, income group and the :data:`CAPACITY`
    indicators."""
    codes = capacity.universe(directory)
    df = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    df["region"] = countries.region_of(codes)
    ind = datasets.indicators().reindex(codes)
    df["income_group"] = ind["income_group"].fillna(datasets.NO_DATA)
    metrics = capacity.ai_metrics().reindex(codes)
    for col in CAPACITY:
        df[col] = ind[col] if col in ind.columns else metrics[col]
    return df


def capacity_comparison(code: str, directory: Path = CURATED) -> pd.DataFrame:
    """Per indicator of :data:`CAPACITY`: the country's value and the medians (and counts) of the
    states of its income group and of its region that have a value."""
    df = capacity_frame(directory)
    me = df.loc[code] if code in df.index else pd.Series({"region": None, "income_group": datasets.NO_DATA})
    meta = {i.column: i for i in capacity.INDICATORS}
    rows = []
    for col in CAPACITY:
        group = df.loc[df["income_group"] == me["income_group"], col].dropna()
        region = df.loc[df["region"] == me["region"], col].dropna()
        rows.append({"indicator": col, "label": meta[col].short, "year": meta[col].year, "source": meta[col].source,
                     "value": me.get(col), "group_median": group.median() if len(group) else None,
                     "group_n": len(group), "region_median": region.median() if len(region) else None,
                     "region_n": len(region)})
    return pd.DataFrame(rows)


# --- claims ------------------------------------------------------------------------------------

@readlog.cached
def _ledger() -> pd.DataFrame:
    return claims.ledger()


@readlog.cached
def _named() -> dict[str, set[str]]:
    """Claim id -> the states its text names (:func:`countries.named_in`)."""
    ledger = _ledger()
    return dict(zip(ledger["claim_id"], ledger["claim"].map(countries.named_in)))


@readlog.query
def claims_about(code: str) -> pd.DataFrame:
    """The claims of the source documents whose text names the country, with the ledger's value
    and verdict (on the data as last verified). A query: a profile depends on these rows, not on
    every table the ledger's checks read."""
    ledger, named = _ledger(), _named()
    return ledger[ledger["claim_id"].map(lambda c: code in named[c])].reset_index(drop=True)
