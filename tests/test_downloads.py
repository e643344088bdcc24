"""Downloads that carry their metadata: figure sidecars, the glossary, the downloads page and the
zip of the curated tables."""
import io
import json
import zipfile

import pandas as pd
import pytest

from aigov import downloads as D
from aigov import readlog
from aigov.columns import describe
from aigov.curated import data_as_of, load_all
from aigov.paths import CURATED
from aigov.sources import manifest


def forums() -> dict[str, str]:
    return load_all(CURATED)["forums"].set_index("forum_id")["name"].to_dict()


def test_glossary_describes_by_rule_and_knows_what_it_does_not_know():
    f = forums()
    assert describe("gpai", f)[0].startswith("Membership of Global Partnership on Artificial Intelligence")
    assert describe("forums_KEN", f) == ("Forums KEN sits in itself on the date", "forums")
    assert describe("compute_flop", f)[1] == "floating-point operations (FLOP)"
    assert describe("6 or more", f)[1] == "fraction, 0 to 1"
    assert describe("no_such_column", f) is None


def test_caption_markdown_becomes_plain_text_with_glued_values():
    values = {"n": 1234.5, "share": 0.25, "who": r"Kenya \*and\* Chile"}
    caption = ("**Most** of {glue:text}`n:,.0f` rows ({glue:text}`share:.0%`) from {glue:md}`who` "
               "{cite:p}`epoch_2026`; see {numref}`fig-x` and {ref}`the note <lbl>`.")
    assert D.plain(caption, values) == "Most of 1,234 rows (25%) from Kenya *and* Chile; see the figure and the note."


def test_a_figure_records_its_columns_and_the_sources_its_chapter_read(tmp_path, monkeypatch):
    curated = tmp_path / "curated"
    curated.mkdir()
    table = curated / "forums.csv"
    table.write_text("forum_id\n")
    dataset = tmp_path / "mirror" / manifest().loc["epoch_2026", "path"]
    dataset.parent.mkdir(parents=True)
    dataset.write_text("{}")
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(readlog.ENV, str(log))
    for p in (table, dataset, tmp_path / "elsewhere.csv"):
        readlog.record(p, "0" * 64)
    csv = tmp_path / "fig.csv"
    data = pd.DataFrame({"iso3": ["KEN"], "score": [1.0]})
    D.record(csv, data, {"score": "A score of this figure's own"}, curated)
    meta = json.loads(D.sidecar(csv).read_text())
    assert meta["sources"] == [{"id": "epoch_2026"}, {"id": "curated/forums.csv"}]
    assert meta["columns"] == [{"name": "iso3"}, {"name": "score", "description": "A score of this figure's own"}]
    with pytest.raises(ValueError, match="columns= describes typo"):
        D.record(csv, data, {"typo": "x"}, curated)


def test_curated_zip_holds_every_table_and_note_and_is_reproducible(tmp_path):
    a = D.curated_zip(CURATED, tmp_path / "a" / D.ZIP_NAME)
    b = D.curated_zip(CURATED, tmp_path / "b" / D.ZIP_NAME)
    assert a.read_bytes() == b.read_bytes()
    z = zipfile.ZipFile(io.BytesIO(a.read_bytes()))
    tables = sorted(CURATED.glob("*.csv"))
    for p in tables:
        assert z.read(f"data/{p.name}") == p.read_bytes()
    for p in (CURATED / "notes").glob("*.md"):
        assert z.read(f"notes/{p.name}") == p.read_bytes()
    package = json.loads(z.read("datapackage.json"))
    assert [r["name"] for r in package["resources"]] == [p.stem for p in tables]
    for r in package["resources"]:
        header = list(pd.read_csv(CURATED / f"{r['name']}.csv", nrows=0, encoding="utf-8-sig").columns)
        assert [f["name"] for f in r["schema"]["fields"]] == header
    day = data_as_of(CURATED)
    assert f"{day:%-d %B %Y}" in z.read("README.md").decode()
    assert z.read("data/data_as_of.txt").decode().strip() == f"{day:%Y-%m-%d}"


def figure_csvs(site) -> list:
    return sorted(p for p in (site / "source" / "figures").glob("*.csv") if D.sidecar(p).is_file())


@pytest.mark.build
def test_every_column_of_every_figure_csv_is_described(site):
    csvs = figure_csvs(site)
    assert len(csvs) >= 30
    f = forums()
    for csv in csvs:
        meta = json.loads(D.sidecar(csv).read_text())
        header = list(pd.read_csv(csv, nrows=0).columns)
        assert [c["name"] for c in meta["columns"]] == header, csv.name
        undescribed = [c["name"] for c in meta["columns"] if not c["description"]]
        assert not undescribed, f"{csv.name}: columns not in the glossary (aigov.columns): {undescribed}"
        assert all(describe(c, f) or c in {x["name"] for x in meta["columns"]} for c in header)


@pytest.mark.build
def test_every_figure_csv_has_complete_metadata(site):
    day = f"{data_as_of(CURATED):%Y-%m-%d}"
    datasets = manifest()
    captioned = D.chapters(site / "source" / "sections")  # every {glue:figure} of the book
    assert sorted(captioned) == sorted(p.stem for p in figure_csvs(site)), "a figure without its CSV and metadata"
    for csv in figure_csvs(site):
        meta = json.loads(D.sidecar(csv).read_text())
        assert meta["title"] and meta["description"], csv.name
        assert (site / "html" / meta["chapter"]["page"]).is_file(), csv.name
        assert meta["data_as_of"] == day and meta["csv"] == csv.name and meta["citation"]
        assert meta["sources"], f"{csv.name}: no source recorded"
        for s in meta["sources"]:
            if s["id"] in datasets.index:
                assert (s["licence"], s["url"]) == (datasets.loc[s["id"], "license"], datasets.loc[s["id"], "url"])
            else:
                assert s["id"].startswith(D.CURATED_PREFIX) and (CURATED / s["id"][len(D.CURATED_PREFIX):]).is_file()


@pytest.mark.build
def test_downloads_page_links_every_figure_csv_its_metadata_and_the_zip(site):
    html = (site / "html" / "downloads.html").read_text(encoding="utf-8")
    for csv in figure_csvs(site):
        assert f'/{csv.name}"' in html, csv.name
        assert f'/{D.sidecar(csv).name}"' in html, csv.name
    served = list((site / "html" / "_downloads").rglob(D.ZIP_NAME))
    assert len(served) == 1
    assert served[0].read_bytes() == (site / "source" / D.RELEASE / D.ZIP_NAME).read_bytes()
    changelog = (site / "html" / "changelog.html").read_text(encoding="utf-8")
    assert f"{data_as_of(CURATED):%Y-%m-%d}" in changelog
