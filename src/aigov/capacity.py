"""Capacity and participation: the country table behind the capacity chapter (and the network's).

Dataset readers for AI readiness and adoption metrics and TOP500, the participation count of
every country, rank correlations with bootstrap intervals, a Poisson regression of counts and
its residuals, regional groupings, and the UN and capacity-building events.

Rules this module applies:

- Each external metric stays in its own column: the IMF, Oxford Insights and Microsoft scores
  measure different things on different scales and are never averaged or merged.
- Participation counts the AI-governance forums in ``forums`` (by default
  :func:`governance.default_forums`) a state belonged to on the date. A seat held in its own
  right is ``direct``; a forum in which a state is present only through the European Union is
  counted apart as ``via_eu`` and never added in silently.
- Countries: every UN member state, plus any other state code in memberships.csv; the
  documented non-state codes (:data:`countries.NON_STATE`: the EU, the African Union, IFAD,
  Kosovo) are left out, as :func:`governance.shared_facts` leaves them out.
- Regions: :data:`countries.REGIONS` (UN M49 sub-regions grouped into eight).
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from . import countries, datasets, governance, readlog
from .paths import CURATED
from .sources import fetch

NON_STATES = tuple(countries.NON_STATE)
BOOT_SEED = 20240701  # fixed seed for every bootstrap in this chapter
N_BOOT = 2000
MIN_FIT = 8  # fewer countries with data than this: no fit, no correlation

FOCUS_REGIONS = ["Africa", "Latin America and the Caribbean", "South and South-East Asia"]


# --- indicators ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    column: str
    label: str        # axis label
    short: str        # panel title
    source: str       # publisher and dataset
    year: str         # the year or period the values describe
    log: bool = False  # fit and draw on log10(1 + x) (counts) or log10(x) (GDP)


INDICATORS = [
    Indicator("internet_use", "Internet users (% of population)", "Internet use",
              "ITU via World Bank, Our World in Data", "2022"),
    Indicator("electricity_access", "Access to electricity (% of population)", "Electricity access",
              "World Bank, Our World in Data", "2022"),
    Indicator("gdp_per_capita", "GDP per capita, PPP (constant international $, log scale)",
              "GDP per capita", "World Bank, Our World in Data", "2022", log=True),
    Indicator("imf_aipi", "IMF AI Preparedness Index (0-1)", "IMF AI Preparedness",
              "IMF AI Preparedness Index", "2023"),
    Indicator("oxford_readiness", "Government AI Readiness Index (0-100)", "Government AI readiness",
              "Oxford Insights Government AI Readiness Index", "2023"),
    Indicator("ai_diffusion", "Working-age population using generative AI (%)", "AI adoption",
              "Microsoft AI Diffusion Report", "Q1 2026"),
    Indicator("top500_rmax", "TOP500 Rmax (PFlop/s, log scale of 1 + x)", "Supercomputing (TOP500)",
              "TOP500 list", "June 2025", log=True),
    Indicator("models", "Notable AI models (log scale of 1 + x)", "Notable AI models",
              "Epoch AI notable models", "up to the date", log=True),
]

IMF_PILLARS = {
    "imf_digital_infrastructure": ("digitalInfrastructure", "Digital infrastructure"),
    "imf_human_capital": ("humanCapital", "Human capital and labour market policies"),
    "imf_innovation": ("innovation", "Innovation and economic integration"),
    "imf_regulation_ethics": ("regulationEthics", "Regulation and ethics"),
}


def transform(values: pd.Series, indicator: Indicator) -> pd.Series:
    """The scale an indicator is fitted and drawn on: log10 for GDP, log10(1 + x) for counts."""
    if not indicator.log:
        return values.astype(float)
    if indicator.column == "gdp_per_capita":
        return np.log10(values.astype(float))
    return np.log10(1 + values.astype(float))


# --- dataset readers ------------------------------------------------------------------------

@readlog.cached
def _ai_metrics_raw() -> dict:
    return json.loads(fetch("ai_metrics").read_text(encoding="utf-8"))


def ai_metrics_sources() -> pd.DataFrame:
    """The 'sources' entries of the AI metrics file: one row per metric, with its caveat."""
    rows = []
    for s in _ai_metrics_raw()["sources"]:
        description = s.get("description", "")
        caveat = description.split("COMPARABILITY CAVEAT:", 1)
        rows.append({
            "id": s["id"], "name": s["name"], "publisher": s["publisher"], "year": s["year"],
            "metric": s.get("metric", "; ".join(e["field"] for e in s.get("apiEndpoints", []))),
            "scale": f"{s['scaleMin']}-{s['scaleMax']}" if "scaleMin" in s else "%",
            "period": s.get("column", str(s["year"])),
            "caveat": caveat[1].strip() if len(caveat) > 1 else "",
            "description": caveat[0].strip(),
            "url": s["url"], "license": s["license"],
        })
    return pd.DataFrame(rows)


def parse_ai_metrics(raw: dict) -> pd.DataFrame:
    """The AI metrics as one column each, keyed by ISO3 (kept apart: never merged or averaged).

    imf_aipi (0-1, 2023) and its four pillars (which add up to it), oxford_readiness (0-100,
    2023), ai_diffusion (% of working-age population using generative AI, Q1 2026).
    """
    m = raw["metrics"]
    cols = {
        "imf_aipi": pd.Series(m["readiness"], dtype=float),
        "oxford_readiness": pd.Series(m["governmentReadiness"], dtype=float),
        "ai_diffusion": pd.Series(m["diffusion"], dtype=float),
    }
    sub = pd.DataFrame.from_dict(m["readinessSubIndices"], orient="index")
    for column, (field, _) in IMF_PILLARS.items():
        cols[column] = sub[field].astype(float) if field in sub else pd.Series(dtype=float)
    df = pd.DataFrame(cols)
    df.index.name = "iso3"
    return df.sort_index()


@readlog.cached
def ai_metrics() -> pd.DataFrame:
    """:func:`parse_ai_metrics` on the mirrored file (FutureGrid compilation, 2026-06-30)."""
    return parse_ai_metrics(_ai_metrics_raw())


def top500_by_country(systems: pd.DataFrame) -> pd.DataFrame:
    """Systems and summed Rmax (PFlop/s) per country from a TOP500 list (columns Country and
    'Rmax [TFlop/s]'), sorted by Rmax."""
    names = sorted(systems["Country"].dropna().unique())
    code = dict(zip(names, countries.to_iso3(names)))
    df = systems.assign(iso3=systems["Country"].map(code))
    unknown = sorted(df.loc[df["iso3"].isna(), "Country"].dropna().unique())
    if unknown:
        raise ValueError(f"TOP500 country names without an ISO3 code: {', '.join(unknown)}")
    out = df.groupby("iso3").agg(top500_systems=("Rank", "size"),
                                 top500_rmax=("Rmax [TFlop/s]", lambda s: s.sum() / 1000))
    return out.sort_values(["top500_rmax", "top500_systems"], ascending=False)


@readlog.cached
def top500(key: str = "top500_2025_06") -> pd.DataFrame:
    """TOP500 systems and Rmax by ISO3 for one mirrored list (default June 2025)."""
    return top500_by_country(pd.read_excel(fetch(key)))


# --- countries and regions ------------------------------------------------------------------

def universe(directory: Path = CURATED) -> list[str]:
    """UN member states plus any other state code in memberships.csv (not :data:`NON_STATES`)."""
    un = countries.un_members()
    others = set(governance.table("memberships", directory)["member"]) - set(NON_STATES)
    return sorted(un | others)


# --- participation --------------------------------------------------------------------------

def participation(as_of: pd.Timestamp | None, forums: list[str], codes: list[str],
                  directory: Path = CURATED) -> pd.DataFrame:
    """For each code: ``direct`` (forums of ``forums`` it belonged to in its own right on
    ``as_of``), ``via_eu`` (forums where only the EU represented it), ``reach`` (their sum) and
    the lists of forum ids."""
    df = governance.memberships(as_of, directory=directory)
    df = df[df["forum_id"].isin(forums)]
    direct = df.groupby("member")["forum_id"].apply(lambda s: sorted(set(s)))
    eu_states = set(governance.members("eu", as_of, directory=directory))
    eu_forums = sorted(set(df.loc[df["member"] == "EUU", "forum_id"]))
    rows = []
    for code in codes:
        own = direct.get(code, [])
        via = [f for f in eu_forums if f not in own] if code in eu_states else []
        rows.append({"iso3": code, "direct": len(own), "via_eu": len(via), "reach": len(own) + len(via),
                     "forums_direct": ", ".join(own), "forums_via_eu": ", ".join(via)})
    return pd.DataFrame(rows).set_index("iso3")


def capacity_table(as_of: pd.Timestamp | None, forums: list[str], indicators: pd.DataFrame,
                   metrics: pd.DataFrame, compute: pd.DataFrame, models: pd.DataFrame,
                   directory: Path = CURATED) -> pd.DataFrame:
    """One row per country of :func:`universe`: name, region, income group, every indicator and
    the participation counts. ``models`` is models_by_country's output (iso3, models)."""
    codes = universe(directory)
    df = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    df["country"] = [countries.name(c) for c in codes]
    df["region"] = countries.region_of(codes)
    ind = indicators.reindex(codes)
    for col in ["income_group", "population", "internet_use", "electricity_access", "gdp_per_capita"]:
        df[col] = ind[col]
    df = df.join(metrics.reindex(codes))
    comp = compute.reindex(codes)
    df["top500_systems"] = comp["top500_systems"].fillna(0).astype(int)
    df["top500_rmax"] = comp["top500_rmax"].fillna(0.0)
    counts = models.set_index("iso3")["models"] if len(models) else pd.Series(dtype=int)
    df["models"] = counts.reindex(codes).fillna(0).astype(int)
    return df.join(participation(as_of, forums, codes, directory))


# --- statistics -----------------------------------------------------------------------------

def fittable(pairs: pd.DataFrame) -> bool:
    """Enough data for a fit: MIN_FIT pairs, three distinct x values, two distinct y values."""
    return len(pairs) >= MIN_FIT and pairs["x"].nunique() >= 3 and pairs["y"].nunique() >= 2


@dataclass(frozen=True)
class Correlation:
    n: int
    rho: float
    low: float   # 95% bootstrap percentile interval
    high: float
    p: float


def spearman_ci(x, y, n_boot: int = N_BOOT, seed: int = BOOT_SEED) -> Correlation | None:
    """Spearman's rho of the pairs with both values, with a 95% percentile bootstrap interval
    (resampling countries, fixed seed). None when the data are not :func:`fittable`."""
    pairs = pd.DataFrame({"x": x, "y": y}).dropna()
    if not fittable(pairs):
        return None
    rho, p = stats.spearmanr(pairs["x"], pairs["y"])
    rng = np.random.default_rng(seed)
    xs, ys = pairs["x"].to_numpy(), pairs["y"].to_numpy()
    idx = rng.integers(0, len(pairs), size=(n_boot, len(pairs)))
    rx = stats.rankdata(xs[idx], axis=1)
    ry = stats.rankdata(ys[idx], axis=1)
    rx, ry = rx - rx.mean(axis=1, keepdims=True), ry - ry.mean(axis=1, keepdims=True)
    denom = np.sqrt((rx ** 2).sum(axis=1) * (ry ** 2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (rx * ry).sum(axis=1) / denom
    boot = boot[np.isfinite(boot)]
    low, high = np.percentile(boot, [2.5, 97.5])
    return Correlation(n=len(pairs), rho=float(rho), low=float(low), high=float(high), p=float(p))


@dataclass(frozen=True)
class CountFit:
    """A regression of a count on x: logistic for seats out of ``trials`` forums (binomial GLM),
    or log-linear (Poisson GLM) when there is no upper bound."""
    n: int
    intercept: float
    slope: float           # change in the log odds (binomial) or log count (Poisson) per unit of x
    trials: int | None     # the most seats possible, or None (Poisson)
    dispersion: float      # Pearson chi-squared / residual degrees of freedom
    deviance_explained: float  # 1 - deviance / null deviance
    line: pd.DataFrame     # x, fit, low, high: expected count and its 95% confidence band

    def expected(self, x) -> np.ndarray:
        """Expected count at each x (between zero and ``trials``)."""
        eta = self.intercept + self.slope * np.asarray(x, dtype=float)
        return np.exp(eta) if self.trials is None else self.trials / (1 + np.exp(-eta))


def count_fit(x, y, trials: int | None = None, points: int = 50) -> CountFit | None:
    """GLM of the count y on x with statsmodels: binomial (logit link) of y seats out of
    ``trials``, or Poisson (log link) if ``trials`` is None. The band's scale is the Pearson
    chi-squared dispersion when above one (quasi-likelihood), so overdispersion widens it.
    None when the data are not :func:`fittable` (or ``trials`` is below one)."""
    import statsmodels.api as sm
    pairs = pd.DataFrame({"x": x, "y": y}).dropna()
    if not fittable(pairs) or (trials is not None and (trials < 1 or pairs["y"].max() > trials)):
        return None
    design = np.column_stack([np.ones(len(pairs)), pairs["x"].to_numpy(dtype=float)])
    y = pairs["y"].to_numpy(dtype=float)
    if trials is None:
        model = sm.GLM(y, design, family=sm.families.Poisson())
    else:
        model = sm.GLM(np.column_stack([y, trials - y]), design, family=sm.families.Binomial())
    first = model.fit()
    dispersion = float(first.pearson_chi2 / first.df_resid)
    result = model.fit(scale=max(1.0, dispersion))
    grid = np.linspace(pairs["x"].min(), pairs["x"].max(), points)
    band = result.get_prediction(np.column_stack([np.ones(points), grid])).summary_frame(alpha=0.05)
    k = 1 if trials is None else trials
    line = pd.DataFrame({"x": grid, "fit": k * band["mean"].to_numpy(), "low": k * band["mean_ci_lower"].to_numpy(),
                         "high": k * band["mean_ci_upper"].to_numpy()})
    return CountFit(n=len(pairs), intercept=float(result.params[0]), slope=float(result.params[1]), trials=trials,
                    dispersion=dispersion, deviance_explained=float(1 - result.deviance / result.null_deviance),
                    line=line)


def residuals(df: pd.DataFrame, x: str, y: str = "direct", trials: int | None = None) -> pd.DataFrame:
    """Rows with both values, with the ``expected`` y given x (:func:`count_fit`) and the
    ``residual`` (observed minus expected), most negative first. Empty when no fit is possible."""
    data = df.dropna(subset=[x, y])
    fit = count_fit(data[x], data[y], trials)
    if fit is None:
        return data.iloc[0:0].assign(expected=pd.Series(dtype=float), residual=pd.Series(dtype=float))
    out = data.assign(expected=fit.expected(data[x]))
    out["residual"] = out[y] - out["expected"]
    return out.sort_values(["residual", "country"])


def extremes(res: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` most negative residuals (under-represented) and the ``n`` most positive (zero
    residuals in neither), each at most a third of the countries so the two lists never overlap."""
    k = min(n, len(res) // 3)
    under = res[res["residual"] < -1e-9].head(k)
    over = res[res["residual"] > 1e-9].sort_values(["residual", "country"], ascending=[False, True]).head(k)
    return under, over


def by_group(df: pd.DataFrame, group: str, value: str = "direct", order: list[str] | None = None,
             n_boot: int = N_BOOT, seed: int = BOOT_SEED) -> pd.DataFrame:
    """Countries, mean of ``value`` with a 95% bootstrap interval, and the share with at least
    one forum, per ``group``."""
    rng = np.random.default_rng(seed)
    rows = []
    groups = order or sorted(df[group].dropna().unique())
    for g in groups:
        vals = df.loc[df[group] == g, value].dropna().to_numpy(dtype=float)
        if len(vals) == 0:
            continue
        boot = vals[rng.integers(0, len(vals), size=(n_boot, len(vals)))].mean(axis=1)
        rows.append({group: g, "countries": len(vals), "mean": vals.mean(),
                     "low": np.percentile(boot, 2.5), "high": np.percentile(boot, 97.5),
                     "share_any": (vals > 0).mean()})
    return pd.DataFrame(rows, columns=[group, "countries", "mean", "low", "high", "share_any"])


# --- regions and the African Union ----------------------------------------------------------

def regional_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per region: countries, share in at least one counted forum, mean forums, and the median
    of internet use, IMF AIPI and AI adoption (each over the countries with data)."""
    rows = []
    for name in countries.REGION_NAMES:
        sub = df[df["region"] == name]
        if sub.empty:
            continue
        rows.append({"region": name, "countries": len(sub), "in_any": int((sub["direct"] > 0).sum()),
                     "share_any": (sub["direct"] > 0).mean(), "mean_forums": sub["direct"].mean(),
                     "median_internet_use": sub["internet_use"].median(),
                     "median_imf_aipi": sub["imf_aipi"].median(),
                     "median_ai_diffusion": sub["ai_diffusion"].median()})
    return pd.DataFrame(rows)


def bands(counts: pd.Series) -> pd.Series:
    """Participation counts in bands for stacked shares: '0', '1-2', '3-5', '6 or more'."""
    return pd.cut(counts, [-0.5, 0.5, 2.5, 5.5, np.inf], labels=["0", "1-2", "3-5", "6 or more"])


def au_matrix(as_of: pd.Timestamp | None, forums: list[str], directory: Path = CURATED) -> pd.DataFrame:
    """African Union member states on ``as_of`` x counted forums (True where a direct member),
    plus the AU itself (XAU) where it holds a seat; rows with no seat dropped."""
    au = governance.members("african_union", as_of, directory=directory) + ["XAU"]
    m = governance.membership_matrix(as_of, forums, directory=directory)
    m = m.reindex(index=au, fill_value=False).fillna(False).astype(bool)
    m = m.loc[m.any(axis=1), m.any(axis=0)]
    order = m.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return m.loc[order]


# --- UN resolutions and capacity-building events -------------------------------------------

_MONEY = re.compile(r"(?:USD|US\$|\$)\s?([\d.,]+)\s*(million|billion)", re.IGNORECASE)


def un_events(as_of: pd.Timestamp | None, directory: Path = CURATED) -> pd.DataFrame:
    """Events in categories 'un' and 'capacity' up to ``as_of``, with any amount of money that
    the curated row states (``amount_usd``; NaN where the row states none)."""
    ev = governance.timeline(as_of, categories=["un", "capacity"], directory=directory)
    ev["amount_usd"] = [money(f"{t} {n if isinstance(n, str) else ''}") for t, n in zip(ev["title"], ev["note"])]
    return ev


def money(text: str) -> float:
    """The first amount of US dollars in ``text`` ('Over USD 100 million' -> 1e8), NaN if none."""
    found = _MONEY.search(text or "")
    if not found:
        return float("nan")
    value = float(found.group(1).replace(",", ""))
    return value * (1e6 if found.group(2).lower() == "million" else 1e9)


def find_event(events: pd.DataFrame, pattern: str) -> pd.Series | None:
    """The first event whose title matches ``pattern`` (regex, case-insensitive), or None."""
    hit = events[events["title"].str.contains(pattern, case=False, regex=True)]
    return hit.iloc[0] if len(hit) else None


# --- forum coverage and summaries ----------------------------------------------------------

def partial_forums(forums: list[str], directory: Path = CURATED) -> list[str]:
    """Short names of the forums among ``forums`` whose membership data is partial (forums.csv
    ``coverage``): counts that include them are lower bounds."""
    table = governance.table("forums", directory).set_index("forum_id").reindex(forums)
    return table.loc[table["coverage"] == "partial", "short_name"].tolist()


def group_medians(df: pd.DataFrame, column: str, group: str = "income_group") -> pd.Series:
    """Median of ``column`` per income group, in datasets.INCOME_ORDER, groups without data dropped."""
    med = df.groupby(group)[column].median()
    return med.reindex([g for g in datasets.INCOME_ORDER if g in med.index]).dropna()


def ties(values: pd.Series, at_least: int = 4) -> int:
    """How many countries share their exact value with at least ``at_least - 1`` others."""
    counts = values.dropna().value_counts()
    return int(counts[counts >= at_least].sum())
