"""Citable releases and references: CITATION.cff, the front page's citation, the changelog, the
bibliography, and pages that speak to readers."""
import re
import tomllib
from importlib.metadata import version

import pandas as pd
import pybtex.database
import pytest
import yaml

from aigov import build as B
from aigov import citation
from aigov.curated import data_as_of
from aigov.paths import CURATED, NOTEBOOKS, ROOT
from aigov.sources import manifest

BOOK = ROOT / "book"
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def bibliography():
    return pybtex.database.parse_file(BOOK / "references.bib")


def test_citation_cff_states_the_package_version_and_the_data_date():
    meta = cff()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["cff-version"] == "1.2.0"
    assert meta["version"] == pyproject["version"] == version("aigov")
    assert str(meta["date-released"]) == f"{data_as_of(CURATED):%Y-%m-%d}"
    assert meta["title"] == yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    assert meta["license"] == pyproject["license"]
    assert meta["authors"] and all("name" in a or "family-names" in a for a in meta["authors"])
    assert "doi" not in meta and "repository-code" not in meta  # none is stated by the project


def test_book_configuration_gives_version_citation_and_footer():
    config = yaml.safe_load(B.book_config(B.Project()))
    subs = config["parse"]["myst_substitutions"]
    day = f"{data_as_of(CURATED):%-d %B %Y}"
    assert subs["version"] == version("aigov")
    assert subs["citation"] == citation.citation(data_as_of(CURATED))
    assert cff()["title"] in subs["citation"] and day in subs["citation"] and version("aigov") in subs["citation"]
    assert f"verified as of {day}" in config["html"]["extra_footer"]
    assert f"version {version('aigov')}" in config["html"]["extra_footer"]


def changelog_releases() -> dict[str, dict[str, int]]:
    """Release date -> table -> rows, from the changelog's sections and their row tables."""
    out, current = {}, None
    for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"## (\d{4}-\d{2}-\d{2})$", line):
            current = out.setdefault(m.group(1), {})
        elif line.startswith("## "):
            current = None
        elif current is not None and (m := re.match(r"\| (\w+\.csv) \| (\d+) \|$", line)):
            current[m.group(1)] = int(m.group(2))
    return out


def test_changelog_latest_release_is_the_data_date_with_the_tables_row_counts():
    releases = changelog_releases()
    latest = max(releases)
    assert latest == f"{data_as_of(CURATED):%Y-%m-%d}", "the data date has no changelog entry"
    counts = {p.name: len(pd.read_csv(p, encoding="utf-8-sig")) for p in sorted(CURATED.glob("*.csv"))}
    assert releases[latest] == counts


def test_every_dataset_has_a_bibliography_entry_as_sources_csv_states_it():
    entries = bibliography().entries
    for key, row in manifest().iterrows():
        assert key in entries, f"no references.bib entry for dataset {key}"
        fields = entries[key].fields
        assert fields["url"] == row["url"], key
        assert row["license"] in fields["note"] and str(row["version"]) in fields["note"], key
        assert row["title"].replace(" ", "") in re.sub(r"[{}\\]", "", fields["title"]).replace(" ", ""), key


def test_bibliography_uses_one_style():
    for key, entry in bibliography().entries.items():
        assert "howpublished" not in entry.fields, f"{key}: a link goes in url"
        assert "url" in entry.fields or "doi" in entry.fields or entry.type in ("book", "inproceedings") \
            or re.search(r"\bno\b.*\baddress", entry.fields.get("note", "")), f"{key}: no url or doi, and no note saying why"


def cited_keys() -> dict[str, set[str]]:
    files = [*BOOK.glob("*.md"), *NOTEBOOKS.glob("*.md")]
    return {p.name: {k.strip() for m in CITE.findall(p.read_text(encoding="utf-8")) for k in m.split(",")}
            for p in files}


def test_every_cited_key_is_in_the_bibliography():
    entries = bibliography().entries
    for name, keys in cited_keys().items():
        missing = sorted(keys - set(entries))
        assert not missing, f"{name} cites {missing}, not in references.bib"


def test_the_data_page_cites_every_dataset_and_the_claims_cite_every_source_document():
    assert cited_keys()["90_data.md"] >= set(manifest().index)
    assert cited_keys()["07_claims.md"] >= {"kerry2025network", "seoul2024network", "liqiang2025organisation",
                                            "xinhua2025action", "bennett2025alliance"}


def test_a_missing_key_would_be_caught():
    assert CITE.findall("as {cite:t}`nobody2030` shows, {cite:p}`a, b`") == ["nobody2030", "a, b"]


COMMANDS = re.compile(r"\bmake (book|test|pdf)\b|\baigov (build|pdf|fetch|validate)\b|(^|\s)-p\s|\bas_of\s*=|"
                      r"`as_of`|jupyter lab|\.venv/|--\w+")


def markdown_prose(path) -> str:
    """A page's prose: a notebook's Markdown cells (its code cells hold the parameters)."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)


@pytest.mark.parametrize("page", [*sorted(NOTEBOOKS.glob("*.md")), BOOK / "intro.md", BOOK / "method.md",
                                  BOOK / "downloads.md"], ids=lambda p: p.name)
def test_reader_pages_give_no_commands_or_parameters(page):
    found = [m.group(0) for m in COMMANDS.finditer(markdown_prose(page))]
    assert not found, f"{page.name} speaks to developers: {found}; that belongs on the Reproduce page"


def test_the_reproduce_page_has_the_commands():
    text = (BOOK / "reproduce.md").read_text(encoding="utf-8")
    assert all(c in text for c in ("make book", "make pdf", "aigov build -p as_of=", "jupyter lab"))
    assert COMMANDS.search("set as_of=2020-01-01") and COMMANDS.search("run make book")


@pytest.mark.build
def test_front_page_shows_version_and_data_date(site):
    html = (site / "html" / "intro.html").read_text(encoding="utf-8")
    day = f"{data_as_of(CURATED):%-d %B %Y}"
    assert "How to cite" in html
    assert f"Version <strong>{version('aigov')}</strong>" in html
    assert f"as of <strong>{day}</strong>" in html
    for page in (site / "html").rglob("*.html"):  # index.html only redirects to intro.html
        if page.name not in ("index.html", "genindex.html", "search.html") and "_static" not in page.parts:
            assert f"Report version {version('aigov')}" in page.read_text(encoding="utf-8"), page.name
