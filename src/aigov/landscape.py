"""Section 1 computations: compute trend, models by country, cables, ethics guidelines."""
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import countries
from .curated import period_end

MODERN_ERA = 2010  # the fit starts here, as in Epoch's "deep learning era"


def up_to(df: pd.DataFrame, as_of: pd.Timestamp | None, column: str = "date") -> pd.DataFrame:
    """Rows dated on or before ``as_of`` (all rows if None)."""
    return df if as_of is None else df[df[column] <= as_of]


def decimal_year(dates: pd.Series) -> pd.Series:
    start = pd.to_datetime(dates.dt.year.astype(str) + "-01-01")
    length = np.where(dates.dt.is_leap_year, 366, 365)
    return dates.dt.year + (dates - start).dt.days / length


@dataclass(frozen=True)
class Growth:
    n: int
    first_year: int
    last_year: int
    per_year: float       # multiplication factor of training compute per year
    per_year_low: float   # 95% confidence interval
    per_year_high: float
    doubling_months: float
    doubling_low: float
    doubling_high: float


def compute_growth(models: pd.DataFrame, since: int = MODERN_ERA) -> Growth:
    """OLS of log10(training compute) on decimal year for models published since ``since``."""
    df = models.dropna(subset=["compute_flop"])
    df = df[(df["date"].dt.year >= since) & (df["compute_flop"] > 0)]
    if len(df) < 3:
        raise ValueError(f"too few models with compute since {since} to fit a trend ({len(df)})")
    x, y = decimal_year(df["date"]), np.log10(df["compute_flop"])
    fit = stats.linregress(x, y)
    t = stats.t.ppf(0.975, len(df) - 2)
    lo, hi = fit.slope - t * fit.stderr, fit.slope + t * fit.stderr
    months = lambda slope: 12 * np.log10(2) / slope  # noqa: E731
    return Growth(
        n=len(df), first_year=int(df["date"].dt.year.min()), last_year=int(df["date"].dt.year.max()),
        per_year=10 ** fit.slope, per_year_low=10 ** lo, per_year_high=10 ** hi,
        doubling_months=months(fit.slope), doubling_low=months(hi), doubling_high=months(lo),
    )


def trend_line(models: pd.DataFrame, since: int = MODERN_ERA) -> pd.DataFrame:
    """The fitted line at the first and last model date (for drawing)."""
    df = models.dropna(subset=["compute_flop"])
    df = df[(df["date"].dt.year >= since) & (df["compute_flop"] > 0)]
    fit = stats.linregress(decimal_year(df["date"]), np.log10(df["compute_flop"]))
    ends = pd.Series([df["date"].min(), df["date"].max()])
    return pd.DataFrame({"date": ends, "compute_flop": 10 ** (fit.intercept + fit.slope * decimal_year(ends))})


def top_categories(values: pd.Series, n: int, other: str = "Other") -> pd.Series:
    """Keep the ``n`` most frequent values, the rest become ``other``."""
    keep = values.value_counts().index[:n]
    return values.where(values.isin(keep), other).fillna(other)


def models_by_country(models: pd.DataFrame) -> pd.DataFrame:
    """Number of notable models each country's organisations took part in (co-authored models
    count once for each country)."""
    per = models.explode("countries").dropna(subset=["countries"])
    counts = per.groupby("countries").size().rename("models").reset_index()
    counts = counts.rename(columns={"countries": "iso3"})
    counts["country"] = counts["iso3"].map(countries.name)
    return counts.sort_values(["models", "iso3"], ascending=[False, True]).reset_index(drop=True)


def landing_points_by_country(points: pd.DataFrame) -> pd.DataFrame:
    counts = points.dropna(subset=["iso3"]).groupby("iso3").size().rename("landing_points").reset_index()
    counts["country"] = counts["iso3"].map(countries.name)
    return counts.sort_values(["landing_points", "iso3"], ascending=[False, True]).reset_index(drop=True)


def guidelines_by(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Count guidelines by a (possibly list-valued) column; a document with two types counts twice."""
    values = df[column].explode() if df[column].map(type).eq(list).any() else df[column]
    counts = values.value_counts().rename_axis(column).rename("guidelines").reset_index()
    return counts.sort_values(["guidelines", column], ascending=[False, True]).reset_index(drop=True)


def year_over(years: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """True where the whole year had passed by ``as_of`` (the curated tables' rule for year-only
    dates); False for a missing year."""
    return years.map(lambda y: pd.notna(y) and period_end(str(int(y))) <= as_of).astype(bool)


def guidelines_up_to(df: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Guidelines published in a year that had ended by ``as_of`` (undated ones only without a cut-off)."""
    if as_of is None:
        return df
    return df[year_over(df["year"], as_of)]


def short_institution(label: str) -> str:
    """Shorter labels for Correa et al.'s institution types (their spelling kept otherwise)."""
    return {"Civil Society Organization (CSO)/ Non-Governmental Organizaiton (NGO)": "Civil society / NGO",
            "Governmental Institution": "Government"}.get(label, label)


# Correa et al.'s institution types as the prose names their authors.
AUTHORS = {"Governmental Institution": "governments", "Private Corporation": "private companies",
           "Academic": "academics", "International Organization": "international organisations",
           "Civil Society Organization (CSO)/ Non-Governmental Organizaiton (NGO)": "civil society organisations",
           "Non-profit Organization": "non-profit organisations", "Professional Association": "professional associations",
           "Industrial Association": "industry associations", "Religious Institution": "religious institutions"}


def authors(label: str) -> str:
    """How the prose names one of Correa et al.'s institution types."""
    return AUTHORS.get(label, label.lower())


def timeline_lanes(events: pd.DataFrame, forums: pd.DataFrame, other: str = "No single forum") -> pd.DataFrame:
    """Events with a ``lane``: the forum's short name, lanes ordered by their first event."""
    names = forums.set_index("forum_id")["short_name"]
    df = events.assign(lane=events["forum_id"].map(names).fillna(other))
    order = [lane for lane in df.sort_values("start")["lane"].drop_duplicates() if lane != other] + [other]
    df["lane"] = pd.Categorical(df["lane"], categories=[o for o in order if o in set(df["lane"])], ordered=True)
    return df.sort_values(["lane", "start"]).reset_index(drop=True)


def investment(table: pd.DataFrame, measure: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Published figures for ``measure`` from the latest year that had ended by ``as_of``."""
    df = table[table["measure"] == measure].assign(year=lambda d: d["year"].astype(int),
                                                    value=lambda d: d["value"].astype(float))
    if as_of is not None:
        df = df[year_over(df["year"], as_of)]
    if df.empty:
        return df
    latest = df[df["year"] == df["year"].max()].copy()
    latest["country"] = latest["member"].map(countries.name)
    return latest.sort_values("value", ascending=False).reset_index(drop=True)
