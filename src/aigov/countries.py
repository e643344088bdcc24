"""Country codes: ISO 3166-1 alpha-3, plus a few documented non-state codes."""
import logging
from functools import cache

import country_converter as coco
import pandas as pd
import pycountry

# Codes for members that are not states (documented in the data dictionary).
NON_STATE = {
    "EUU": "European Union",
    "XAU": "African Union",
    "XIF": "International Fund for Agricultural Development (IFAD)",
    "XKX": "Kosovo",
}

logging.getLogger("country_converter").setLevel(logging.ERROR)


@cache
def _converter() -> coco.CountryConverter:
    return coco.CountryConverter()


def is_valid(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or a documented non-state code."""
    return isinstance(code, str) and (code in NON_STATE or pycountry.countries.get(alpha_3=code) is not None)


def name(code: str) -> str:
    """Short English name of a code (the code itself if unknown)."""
    if code in NON_STATE:
        return NON_STATE[code]
    short = _converter().convert(code, src="ISO3", to="name_short", not_found=None)
    return short if isinstance(short, str) else code


def to_iso3(names: list[str], src: str | None = None) -> list[str | None]:
    """ISO3 codes for country names (or numeric codes with ``src='ISOnumeric'``); None if unknown."""
    if not names:
        return []
    out = _converter().convert(list(names), src=src, to="ISO3", not_found=None)
    out = out if isinstance(out, list) else [out]
    return [c if isinstance(c, str) and len(c) == 3 else None for c in out]


def continents(codes: list[str]) -> pd.Series:
    """States among ``codes`` per continent (country_converter's continents; non-state codes
    left out), largest first: a Series continent -> number of states."""
    states = [c for c in codes if c not in NON_STATE]
    if not states:
        return pd.Series(dtype=int)
    names = _converter().convert(states, src="ISO3", to="continent", not_found=None)
    names = names if isinstance(names, list) else [names]
    return pd.Series(names).value_counts().sort_index().sort_values(ascending=False, kind="stable")
