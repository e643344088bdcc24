"""The claims ledger: each claim of the source documents against the curated data.

A check is a function of ``as_of`` returning the value the data gives (a number, a month
'YYYY-MM', or an :class:`arguments.Finding` with the counts behind it), or None when the data
cannot settle the claim (a forum whose membership is known to be incomplete, an event after
``as_of``). The verdict compares that value with the claimed one by the row's ``comparison``.
"""
from collections.abc import Callable

import pandas as pd

from . import arguments as A
from . import datasets, text
from . import governance as G
from . import safety_institutes as S
from .curated import COMPARISONS, NOT_IN_DATA, parse_date, period_end

Check = Callable[[pd.Timestamp | None], object]


def _event_year(title_contains: str) -> Check:
    """Year of the first curated event whose title contains ``title_contains``."""
    def check(as_of):
        ev = G.event_dates(title_contains, as_of)
        return int(ev["start"].iloc[0].year) if len(ev) else None
    return check


def _event_month(title_contains: str) -> Check:
    """Month (YYYY-MM) of the first curated event whose title contains ``title_contains``; None
    for an event known only to the year."""
    def check(as_of):
        ev = G.event_dates(title_contains, as_of)
        if ev.empty or len(str(ev["date"].iloc[0])) < 7:
            return None
        return f"{ev['start'].iloc[0]:%Y-%m}"
    return check


def _events_in_year(titles: tuple[str, ...], year: int) -> Check:
    """How many of the events named by ``titles`` fell in ``year`` (None before that year ends)."""
    def check(as_of):
        if as_of is not None and as_of < pd.Timestamp(f"{year}-12-31"):
            return None
        return sum(bool(len(e)) and e["start"].iloc[0].year == year for e in (G.event_dates(t, as_of) for t in titles))
    return check


def _events_matching(title_contains: str) -> Check:
    """How many curated events up to ``as_of`` have ``title_contains`` in their title."""
    return lambda as_of: len(G.event_dates(title_contains, as_of))


def _span_months(titles: tuple[str, ...]) -> Check:
    """Months (to one decimal) from the first to the last of the events named by ``titles``."""
    def check(as_of):
        found = [G.event_dates(t, as_of) for t in titles]
        if any(e.empty for e in found):
            return None
        days = [e["start"].iloc[0] for e in found]
        return A.Finding(round((max(days) - min(days)).days / (365.25 / 12), 1),
                         f"{min(days):%-d %B %Y} to {max(days):%-d %B %Y}")
    return check


def _first_event_year(forum_id: str) -> Check:
    def check(as_of):
        first = G.first_event(forum_id, as_of)
        return int(first.year) if first is not None else None
    return check


def _founded_year(forum_id: str) -> Check:
    def check(as_of):
        founded = parse_date(G.table("forums").set_index("forum_id").loc[forum_id, "founded"])
        return int(founded.year) if as_of is None or founded <= as_of else None
    return check


def _members_on(forum_id: str, day: str, states_only: bool = False) -> Check:
    """Members on ``day``; None if the forum's data is partial or ``day`` is after ``as_of``."""
    def check(as_of):
        forum = G.table("forums").set_index("forum_id").loc[forum_id]
        when = period_end(day) if day else as_of
        if forum["coverage"] == "partial" or (as_of is not None and when is not None and when > as_of):
            return None
        return len(G.state_members(forum_id, when) if states_only else G.members(forum_id, when))
    return check


def _states_at_summit(forum_id: str) -> Check:
    """States that endorsed a declaration on the day it was adopted."""
    def check(as_of):
        first = parse_date(G.table("forums").set_index("forum_id").loc[forum_id, "founded"])
        if as_of is not None and first > as_of:
            return None
        return len(G.state_members(forum_id, first))
    return check


def _published_by(committee: str, day: str) -> Check:
    def check(as_of):
        when = period_end(day)
        if as_of is not None and when > as_of:
            return None
        df = G.table("standards")
        df = df[(df["committee"] == committee) & df["published"].notna()]
        return int((df["published"].map(period_end) <= when).sum())
    return check


def _named_institutes(as_of):
    """How many of the governments the paper names had an institute (or equivalent) by then."""
    have = set(S.institutes(as_of)["member"])
    return A.Finding(sum(c in have for c in S.SEED_INSTITUTES),
                     f"in the institutes table: {text.roster([c for c in S.SEED_INSTITUTES if c in have])}")


def _network_founders(named_only: bool) -> Check:
    def check(as_of):
        status = S.network_status(as_of)
        if status.convened is None:
            return None
        founders = G.members(S.NETWORK, status.convened)
        detail = f"{len(founders)} members at the first meeting: {text.roster(founders)}"
        return A.Finding(sum(c in founders for c in S.SEED_FOUNDERS) if named_only else len(founders), detail)
    return check


def _network_convened(fmt: str) -> Check:
    def check(as_of):
        status = S.network_status(as_of)
        return None if status.convened is None else (status.convened.year if fmt == "year" else
                                                      f"{status.convened:%Y-%m}")
    return check


def _not_in_data(as_of):
    """For claims about things the project holds no data on (claims.csv's note says why)."""
    return None


CHECKS: dict[str, Check] = {
    NOT_IN_DATA: _not_in_data,
    # dates and counts
    "waico_proposal_year": _event_year("World AI Cooperation Organization"),
    "gaigi_year": _event_year("Global AI Governance Initiative"),
    "hiroshima_code_year": _event_year("Hiroshima Process Guiding Principles and Code of Conduct"),
    "gdc_year": _event_year("Global Digital Compact"),
    "nist_rmf_year": _event_year("NIST releases AI Risk Management Framework"),
    "nist_genai_profile_year": _event_year("Generative AI Profile of the AI RMF"),
    "ttc_year": _event_year("Trade and Technology Council"),
    "china_capacity_plan_year": _event_year("China presents AI Capacity-Building Action Plan"),
    "bletchley_summit_month": _event_month("AI Safety Summit opens at Bletchley Park"),
    "au_strategy_month": _event_month("Continental AI Strategy"),
    "paris_summit_month": _event_month("AI Action Summit opens in Paris"),
    "un_ai_resolutions_2024": _events_in_year(("A/RES/78/265", "A/RES/78/311"), 2024),
    "iaea_calls": _events_matching("IAEA"),
    "eu_ai_act_in_force": _events_matching("EU AI Act enters into force"),
    "response_span_months": _span_months(("launches the Hiroshima AI Process", "voluntary AI commitments",
                                          "Bletchley Declaration agreed", "Guiding Principles and Code of Conduct")),
    "ethics_guidelines_count": lambda as_of: len(datasets.ethics_guidelines()),
    "sc42_published_feb_2025": _published_by("ISO/IEC JTC 1/SC 42", "2025-02"),
    "sc42_member_countries": _members_on("iso_iec_sc42", ""),
    "g7_first_ai_event_year": _first_event_year("g7"),
    "oecd_ai_principles_year": _founded_year("oecd_ai_principles"),
    "coe_convention_year": _founded_year("coe_ai_convention"),
    "gpai_members_at_launch": _members_on("gpai", "2020-06-15"),
    "gpai_members_before_integration": _members_on("gpai", "2024-07-02"),
    "gpai_states_after_integration": _members_on("gpai", "2024-07-03", states_only=True),
    "hiroshima_friends_members": _members_on("hiroshima_friends", ""),
    "bletchley_states_at_summit": _states_at_summit("bletchley_declaration"),
    "china_in_bletchley": A.members_among("bletchley_declaration", ("CHN",)),
    "china_in_seoul": A.members_among("seoul_declaration", ("CHN",)),
    "china_russia_in_g7": A.members_among("g7", ("CHN", "RUS")),
    "g7_high_income_share": A.high_income_share("g7"),
    "named_institutes": _named_institutes,
    "aisi_founders_named": _network_founders(named_only=True),
    "aisi_founders_count": _network_founders(named_only=False),
    "aisi_network_convened_month": _network_convened("month"),
    "aisi_sf_meeting_year": _network_convened("year"),
    # the arguments
    "g7_diffusion": A.diffusion, "redundancy": A.redundancy, "resilience": A.resilience,
    "no_centre": A.no_centre, "agility": A.agility, "reach": A.reach,
    "standards_vs_rivals": A.standards_vs_rivals, "standards_rank": A.standards_rank,
    "fragmentation": A.fragmentation, "binding_share": A.binding_share,
}

CONFIRMED, DIFFERS, UNCHECKED = "confirmed", "differs", "not checkable"
# The source documents (seed file numbers) and their entries in the book's bibliography.
SOURCES = {"001": ("Brookings paper", "kerry2025network"), "002": ("Seoul summit report", "seoul2024network"),
           "003": ("Xinhua commentary", "xinhua2025action"), "004": ("WAICO article", "liqiang2025organisation"),
           "000": ("Alliance blog post", "bennett2025alliance")}


SYMBOLS = {"<=": "\u2264", ">=": "\u2265"}  # how the ledger prints a comparison


def verdict(claimed, value, comparison: str = "=") -> str:
    """Confirmed when ``value`` stands to ``claimed`` as ``comparison`` says (months compare as text)."""
    if value is None or claimed is None or pd.isna(claimed) or (isinstance(value, float) and pd.isna(value)):
        return UNCHECKED
    if isinstance(value, str):
        return CONFIRMED if value == str(claimed) else DIFFERS
    return CONFIRMED if COMPARISONS[comparison](float(value), float(claimed)) else DIFFERS


def show(value, unit: str | None) -> str:
    """A value as the ledger prints it: months by name, shares in per cent, counts whole."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "n/a"
    if unit == "month":
        return f"{pd.Timestamp(str(value) + '-01'):%B %Y}"
    if unit == "year":
        return str(int(float(value)))
    if isinstance(unit, str) and unit.startswith("share"):
        return f"{float(value):.0%}"
    if float(value).is_integer():
        return f"{int(float(value)):,}"
    return f"{float(value):.2f}" if unit in ("ratio", "centralisation", "mean overlap") else f"{float(value):,.1f}"


def ledger(claim_ids: list[str] | None = None, as_of: pd.Timestamp | None = None,
           chapter: str | None = None) -> pd.DataFrame:
    """Claims (those of ``claim_ids`` or of ``chapter`` if given) with the value the data gives
    (``data_value``, shown as ``data``, with ``detail``) and a verdict: confirmed, differs or not
    checkable."""
    df = G.table("claims")
    if claim_ids is not None:
        df = df[df["claim_id"].isin(claim_ids)]
    if chapter is not None:
        df = df[df["chapter"] == chapter]
    unknown = sorted(set(df["check"]) - set(CHECKS))
    if unknown:
        raise KeyError(f"claims.csv names unknown check(s): {', '.join(unknown)}")
    results = [CHECKS[c](as_of) for c in df["check"]]
    values = [r.value if isinstance(r, A.Finding) else r for r in results]
    df = df.assign(data_value=pd.Series(values, index=df.index, dtype=object),
                   detail=[r.detail if isinstance(r, A.Finding) else "" for r in results])
    df["verdict"] = [verdict(c, v, op) for c, v, op in zip(df["claimed_value"], df["data_value"], df["comparison"])]
    df["data"] = [show(v, u) for v, u in zip(df["data_value"], df["unit"])]
    df["claimed"] = [("" if op == "=" else f"{SYMBOLS.get(op, op)} ") + show(v, u) if isinstance(v, str) else "" for v, u, op in
                     zip(df["claimed_value"], df["unit"], df["comparison"])]
    return df.reset_index(drop=True)


def for_reader(df: pd.DataFrame) -> pd.DataFrame:
    """A :func:`ledger` as a chapter shows it: the claim, its value, the data's value with the
    counts behind it, and the verdict."""
    data = [f"{d} ({detail})" if detail else d for d, detail in zip(df["data"], df["detail"])]
    return pd.DataFrame({"Claim": df["claim"], "Claimed": df["claimed"], "Data": data, "Verdict": df["verdict"]})
