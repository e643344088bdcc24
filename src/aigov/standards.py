"""Section "Standards and interoperability": output of the standards bodies over time."""
import pandas as pd

from . import governance as G
from .curated import period_end

SC42 = "ISO/IEC JTC 1/SC 42"
TOPIC_LABELS = {
    "foundations": "Foundations", "data": "Data", "trustworthiness": "Trustworthiness",
    "risk_management": "Risk management", "management_systems": "Management systems",
    "use_cases": "Use cases", "computational_methods": "Computational methods",
    "governance": "Governance", "testing": "Testing", "other": "Other",
}


def published(as_of: pd.Timestamp | None, committee: str | None = None) -> pd.DataFrame:
    """Standards published by ``as_of`` (a date known to the month or year counts once that period
    is over), with ``date`` (end of the known period), ``year`` and a readable ``topic_label``."""
    df = G.table("standards")
    if committee is not None:
        df = df[df["committee"] == committee]
    df = df[df["published"].notna()].assign(date=lambda d: d["published"].map(period_end))
    if as_of is not None:
        df = df[df["date"] <= as_of]
    df = df.assign(year=df["date"].dt.year.astype(int), topic_label=df["topic"].map(TOPIC_LABELS))
    return df.sort_values(["date", "standard_id"]).reset_index(drop=True)


def per_year(df: pd.DataFrame) -> pd.DataFrame:
    """Published per year and topic (wide), plus the cumulative total."""
    if df.empty:
        return pd.DataFrame()
    wide = df.pivot_table(index="year", columns="topic_label", values="standard_id", aggfunc="count", fill_value=0)
    wide = wide.reindex(range(wide.index.min(), wide.index.max() + 1), fill_value=0)
    wide["cumulative"] = wide.sum(axis=1).cumsum()
    return wide


def by_body(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Published and under-development counts per standards body (current status for the latter)."""
    df = G.table("standards")
    pub = published(as_of).groupby("body").size().rename("published")
    dev = df[df["status"] == "under_development"].groupby("body").size().rename("under development (now)")
    return pd.concat([pub, dev], axis=1).fillna(0).astype(int).sort_values("published", ascending=False)


def forum_sizes(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Members of each forum on ``as_of`` and whether its membership data is complete."""
    forums = G.table("forums").set_index("forum_id")
    return pd.DataFrame([{"forum_id": f, "forum": forums.loc[f, "short_name"], "members": len(G.members(f, as_of)),
                          "coverage": forums.loc[f, "coverage"]} for f in forum_ids])


def sc42_members(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """National bodies in SC 42 (member, role: participating or observing). ISO publishes the list
    without dates of joining, so it enters only the current landscape (``as_of`` None)."""
    df = G.memberships(as_of, roles=("participating", "observing"))
    return df.loc[df["forum_id"] == "iso_iec_sc42", ["member", "role"]].sort_values(["role", "member"]) \
        .reset_index(drop=True)
