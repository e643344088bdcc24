"""Readers for the external datasets: each returns a tidy table keyed by ISO3 where it can."""
import json

import geopandas as gpd
import pandas as pd

from . import countries, readlog
from .sources import fetch

EPOCH_SNAPSHOT = pd.Timestamp("2026-07-02")
# World Bank income groups (FY2024), richest first, as spelled in the OWID file.
INCOME_GROUPS = ["High Income", "Upper Middle Income", "Lower Middle Income", "Low Income"]
LOW_OR_MIDDLE = INCOME_GROUPS[1:]
NO_DATA = "No data"
INCOME_ORDER = [*INCOME_GROUPS, NO_DATA]  # the one order of every income-group table and chart
# Landing-point territories that country_converter does not know by these names.
_TERRITORIES = {"Sint Eustatius and Saba": "BES", "Ascension and Tristan da Cunha": "SHN"}


def _split(value: str | None) -> list[str]:
    return [] if not isinstance(value, str) else [p.strip() for p in value.split(",") if p.strip()]


@readlog.cached
def epoch_models() -> pd.DataFrame:
    """Epoch AI notable models (2026-07-02 snapshot): one row per model.

    ``countries`` is a list of ISO3 codes ('Multinational' and unknown names dropped);
    ``domain`` is the model's first listed domain.
    """
    raw = json.loads(fetch("epoch_2026").read_text(encoding="utf-8"))["models"]
    df = pd.DataFrame(raw)
    names = sorted({c for cs in df["countries"] for c in cs})
    code = dict(zip(names, countries.to_iso3(names)))
    out = pd.DataFrame({
        "model": df["name"],
        "organization": df["organization"],
        "org_category": df["orgCategory"].map(lambda s: _split(s)[0] if _split(s) else None),
        "countries": df["countries"].map(lambda cs: sorted({code[c] for c in cs if code[c]})),
        "date": pd.to_datetime(df["date"]),
        "domain": df["domains"].map(lambda d: d[0] if d else None),
        "compute_flop": pd.to_numeric(df["computeFlop"]),
        "frontier": df["frontier"].astype("boolean"),
    })
    return out[out["date"] <= EPOCH_SNAPSHOT].reset_index(drop=True)


@readlog.cached
def ethics_guidelines() -> pd.DataFrame:
    """Correa et al. (2023): 200 AI ethics guidelines; ``year`` is NaN where unspecified."""
    df = pd.read_parquet(fetch("ethics_guidelines"))
    return pd.DataFrame({
        "document": df["document_name"],
        "country": df["country"],
        "region": df["world_region"],
        "institution_types": df["institution_type"].map(_split),
        "year": pd.to_numeric(df["year_of_publication"], errors="coerce").astype("Int64"),
        "normative": df["document_normative"],
    })


@readlog.cached
def landing_points() -> gpd.GeoDataFrame:
    """Submarine cable landing points (WGS 84) with the ISO3 code of their country."""
    gdf = gpd.read_file(fetch("landing_points"))
    # "City, Country"; a few country names hold a comma themselves ("Congo, Dem. Rep.")
    last = gdf["name"].str.rsplit(",", n=1).str[-1].str.strip()
    after_first = gdf["name"].str.split(",", n=1).str[-1].str.strip()
    names = sorted(set(last) | set(after_first))
    code = dict(zip(names, countries.to_iso3(names)))
    gdf["iso3"] = last.map(code).fillna(after_first.map(code)).fillna(last.map(_TERRITORIES))
    gdf["country_name"] = last
    return gdf.set_crs(4326, allow_override=True)


@readlog.cached
def cables() -> gpd.GeoDataFrame:
    """Submarine cable routes (WGS 84)."""
    return gpd.read_file(fetch("cables")).set_crs(4326, allow_override=True)


def _owid(key: str, column: str) -> pd.Series:
    df = pd.read_csv(fetch(key))
    df = df[df["Code"].str.len() == 3]  # drops OWID_ aggregates and blank codes
    return df.set_index("Code")[column].rename(key)


@readlog.cached
def indicators() -> pd.DataFrame:
    """One row per ISO3 code: population 2020, GDP per capita PPP 2022, internet and electricity
    shares 2022 (%), World Bank income group FY2024, and GDP (population x GDP per capita)."""
    pop = pd.read_csv(fetch("population"))
    pop = pop[pop["iso_code"].str.len() == 3].set_index("iso_code")["population"].rename("population")
    income = _owid("income_groups", "World Bank's income classification").str.strip()
    df = pd.concat([
        pop,
        _owid("gdp_per_capita", "GDP per capita"),
        _owid("internet_use", "Share of the population using the Internet"),
        _owid("electricity_access", "Share of the population with access to electricity"),
        income.rename("income_group"),
    ], axis=1)
    df.index.name = "iso3"
    df["gdp"] = df["population"] * df["gdp_per_capita"]
    return df.sort_index()
