"""How the report is cited: its version (the package's) and the data date, with the title and
authors of ``CITATION.cff``."""
from importlib.metadata import version as _installed_version
from pathlib import Path

import pandas as pd
import yaml

from .paths import ROOT

CFF = ROOT / "CITATION.cff"


def version() -> str:
    """The report's version: the version of the installed ``aigov`` package (pyproject.toml)."""
    return _installed_version("aigov")


def metadata(path: Path = CFF) -> dict:
    """The parsed ``CITATION.cff``."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # libyaml: a tenth of the time


def authors(cff: dict) -> str:
    """The authors as ``CITATION.cff`` names them (an entity's name, or family and given names)."""
    return "; ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"])


def citation(day: pd.Timestamp, path: Path = CFF) -> str:
    """The reference to give for the report built from data verified on ``day``."""
    cff = metadata(path)
    return (f"{authors(cff)} ({day:%Y}). {cff['title']}. Version {version()}, "
            f"curated data as of {day:%-d %B %Y}.")


def footer(day: pd.Timestamp) -> str:
    """Every page's footer (HTML): the data date and the report's version."""
    return f"<p>Curated data verified as of {day:%-d %B %Y}. Report version {version()}.</p>"
