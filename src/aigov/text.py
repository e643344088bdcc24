"""Wording in one place: names, lists, dates and articles for the values the prose shows.

Every value is text, never markup: :func:`escape` makes a string from the data
read as the literal text it is wherever it lands in MyST Markdown or HTML.
"""
import re
from urllib.parse import quote

from . import countries

# CommonMark lets a backslash escape any ASCII punctuation character; escaping all of
# them turns emphasis, links, roles, tables, HTML tags and entities into plain text.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape(value) -> str:
    """``value`` as literal text in MyST Markdown (one line, every markup character escaped)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


def link(label: str, url: str) -> str:
    """A Markdown link whose label and address are both taken literally."""
    return f"[{escape(label)}]({quote(str(url).strip(), safe=':/?#@!$&*+,;=%~-._')})"


def num(value: float, digits: int = 0) -> str:
    """1234.5 -> '1,235' (digits=0) or '1,234.5' (digits=1)."""
    return f"{value:,.{digits}f}"


def pct(part: float, whole: float, digits: int = 0) -> str:
    return f"{100 * part / whole:.{digits}f}%" if whole else "n/a"


def listing(items: list[str], conj: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def date(value: str) -> str:
    """An ISO date of any precision in prose: '2024-05-02' -> '2 May 2024', '2024-05' -> 'May 2024'."""
    parts = str(value).split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    if len(parts) == 1:
        return parts[0]
    month = months[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def when(value: str) -> str:
    """'on 2 May 2024' for a full date, 'in May 2024' or 'in 2024' otherwise."""
    return ("on " if str(value).count("-") == 2 else "in ") + date(value)


_THE = {"United States", "United Kingdom", "Netherlands", "Philippines", "United Arab Emirates",
        "Central African Republic", "Dominican Republic", "Czech Republic", "Bahamas", "Gambia",
        "Comoros", "Maldives", "Marshall Islands", "Solomon Islands", "DR Congo"}


def the(name: str, capital: bool = False) -> str:
    """A country name with 'the' where English needs it ('the United States')."""
    if name in _THE:
        return ("The " if capital else "the ") + name
    return name


def country(code: str) -> str:
    """A country's name from its ISO3 code, with 'the' where English needs it."""
    return the(countries.name(code))


def names(codes) -> list[str]:
    """Country names of ISO3 codes, each with 'the' where English needs it."""
    return [country(c) for c in codes]


def count(n: int, word: str, plural: str | None = None) -> str:
    """'1 membership', '6 memberships', '1,204 forums': a number with its noun."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def income_label(group: str) -> str:
    """A World Bank income group as an adjective: 'Lower Middle Income' -> 'lower-middle-income'."""
    return str(group).strip().lower().replace(" ", "-")


# Forum names read without an article (acronyms spoken as words, committee designations).
_NO_ARTICLE = {"GPAI", "BRICS", "UNESCO", "ISO/IEC SC 42"}


def the_forum(name: str, capital: bool = False) -> str:
    """A forum's short name with 'the' where English needs it ('the G7', 'GPAI')."""
    if name in _NO_ARTICLE or name == "none":
        return name
    return ("The " if capital else "the ") + name


def roster(codes, empty: str = "none") -> str:
    """Names of ISO3 (or non-state) codes as a list in prose, with 'the' where English needs
    it ('the United States, China and the European Union'); ``empty`` when there are none."""
    items = [f"the {countries.name(c)}" if c in countries.NON_STATE and c != "XKX" else country(c)
             for c in codes]
    return listing(items) if items else empty


_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def ordinal(n: int) -> str:
    """1 -> 'first' ... 10 -> 'tenth'; '11th', '22nd', '103rd' beyond."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
