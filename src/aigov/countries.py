"""Country codes: ISO 3166-1 alpha-3, plus a few documented non-state codes."""
import logging
import re
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


@cache
def _short_names() -> dict[str, str]:
    """ISO3 -> country_converter's short name, read from its table at once (converting code by
    code gives the same names, a hundred times slower)."""
    return _converter().data.drop_duplicates("ISO3").set_index("ISO3")["name_short"].to_dict()


@cache
def _regexes() -> dict[str, re.Pattern]:
    data = _converter().data.drop_duplicates("ISO3")
    return {code: re.compile(rx, re.IGNORECASE) for code, rx in zip(data["ISO3"], data["regex"])}


def named_in(text: str) -> set[str]:
    """The states a sentence names. Each run of capitalised words ('Papua New Guinea', 'The UK',
    'US') is matched against country_converter's expression for each state's names, as its
    converter matches a name standing alone; within a run the longest part that names a state
    wins, and the words it takes are not matched again ('Guinea' in 'Papua New Guinea')."""
    found = set()
    for run in re.findall(r"[A-Z][\w.\u2019'-]*(?:\s+[A-Z][\w.\u2019'-]*)*", text):
        words = [w.rstrip(".'\u2019") for w in run.split()]
        taken = [False] * len(words)
        for size in range(len(words), 0, -1):
            for i in range(len(words) - size + 1):
                if any(taken[i:i + size]):
                    continue
                part = " ".join(words[i:i + size])
                codes = [c for c, rx in _regexes().items() if rx.search(part)]
                if codes:
                    found.update(codes)
                    taken[i:i + size] = [True] * size
    return found - set(NON_STATE)


def name(code: str) -> str:
    """Short English name of a code (the code itself if unknown)."""
    return NON_STATE.get(code) or _short_names().get(code, code)


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
    names = [_continents().get(c) for c in states]
    return pd.Series(names).value_counts().sort_index().sort_values(ascending=False, kind="stable")


@cache
def _continents() -> dict[str, str]:
    """ISO3 -> country_converter's continent, read from its table at once."""
    return _converter().data.drop_duplicates("ISO3").set_index("ISO3")["continent"].to_dict()


# Eight regions built from UN M49 sub-regions (country_converter's ``UNregion``).
REGIONS = {
    "africa": ("Africa", ["Northern Africa", "Eastern Africa", "Middle Africa", "Southern Africa",
                          "Western Africa"]),
    "latin_america": ("Latin America and the Caribbean", ["Caribbean", "Central America", "South America"]),
    "south_asia": ("South and South-East Asia", ["Southern Asia", "South-eastern Asia"]),
    "east_central_asia": ("East and Central Asia", ["Eastern Asia", "Central Asia"]),
    "western_asia": ("Western Asia", ["Western Asia"]),
    "europe": ("Europe", ["Northern Europe", "Western Europe", "Southern Europe", "Eastern Europe"]),
    "northern_america": ("Northern America", ["Northern America"]),
    "oceania": ("Oceania", ["Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"]),
}
REGION_NAMES = [name for name, _ in REGIONS.values()]


def region_of(codes) -> pd.Series:
    """Region name of each ISO3 code (NaN if unknown): UN M49 sub-regions grouped by REGIONS."""
    sub_to_region = {sub: name for name, subs in REGIONS.values() for sub in subs}
    m49 = _converter().data.set_index("ISO3")["UNregion"]
    m49 = m49[~m49.index.duplicated()]
    codes = pd.Index(codes)
    return pd.Series(codes.map(m49).map(sub_to_region), index=codes, name="region")


def un_members() -> set[str]:
    """ISO3 codes of the UN member states."""
    data = _converter().data
    return set(data.loc[data["UNmember"].notna(), "ISO3"])
