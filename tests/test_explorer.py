"""The explorer page's data, recomputed from the curated CSV; its escaping; the maps glued with
both an HTML and a PNG representation."""
import base64
import io
import json
import re
import shutil

import matplotlib.pyplot as plt
import pandas as pd
import PIL.Image
import pytest

from aigov import governance, interactive, report
from aigov.chapters import explorer as X
from aigov.paths import CURATED


@pytest.fixture(scope="module")
def page():
    dates = X.steps(None)
    table = X.rows(dates, current=True)
    return dates, X.page_data(dates, table, len(dates) - 1)


def forums_from_csv(iso3: str, day: pd.Timestamp) -> set[str]:
    """A state's forums on ``day`` read straight from memberships.csv: a start known to the month
    or year counts from the end of that month or year; the membership ends on ``left``."""
    df = pd.read_csv(CURATED / "memberships.csv", dtype=str)
    df = df[(df["member"] == iso3) & df["forum_id"].isin(governance.default_forums())
            & df["role"].isin(["member", "participating", "adherent", "signatory", "ratified"])]
    out = set()
    for r in df.itertuples():
        if not isinstance(r.joined, str):
            continue
        parts = r.joined.split("-")
        start = pd.Timestamp(r.joined) if len(parts) == 3 else \
            pd.Period(r.joined, freq="M" if len(parts) == 2 else "Y").end_time.normalize()
        left = pd.Timestamp(r.left) if isinstance(r.left, str) else None
        if start <= day and (left is None or left > day):
            out.add(r.forum_id)
    return out


def page_forums(data: dict, iso3: str, step: int) -> set[str]:
    i = next(k for k, s in enumerate(data["states"]) if s["iso3"] == iso3)
    return {data["forums"][r[1]]["id"] for r in data["rows"] if r[0] == i and r[2] <= step < r[3]}


def test_the_slider_steps_monthly_from_january_2016_to_the_data_date(page):
    dates, data = page
    assert data["dates"][0] == "2016-01-01"
    assert data["dates"][-1] == (CURATED / "data_as_of.txt").read_text().strip()
    assert all(b.day == 1 and (b - a).days in (28, 29, 30, 31) for a, b in zip(dates[:-2], dates[1:-1]))


@pytest.mark.parametrize("iso3,day", [("GBR", "2016-01-01"), ("GBR", "2019-07-01"), ("BRA", "2023-12-01"),
                                      ("KEN", "2024-06-01"), ("USA", "2025-03-01"), ("IND", "2020-07-01")])
def test_a_states_forums_on_a_date_match_the_csv(page, iso3, day):
    _, data = page
    step = data["dates"].index(day)
    assert page_forums(data, iso3, step) == forums_from_csv(iso3, pd.Timestamp(day))


def test_the_last_step_is_the_current_landscape_the_chapters_state(page):
    _, data = page
    last = len(data["dates"]) - 1
    assert len(X.counts(data, last)) == governance.shared_facts(None)["n_states_in_forums"]
    for iso3 in ["USA", "CHN", "KEN"]:
        assert page_forums(data, iso3, last) == set(governance.forums_of(iso3)) & set(governance.default_forums())


def test_the_matrix_is_sorted_by_number_of_forums_then_name(page):
    _, data = page
    table = X.matrix(data, len(data["dates"]) - 1)
    keys = [(-int(tr[1].text), tr[0].text) for tr in table.find("tbody")]
    assert keys == sorted(keys) and len(keys) == len(data["states"])
    assert [th.get("data-forum") for th in table.find("thead/tr") if th.get("data-forum")] == governance.default_forums()


@pytest.fixture
def hostile_curated(tmp_path):
    bad = '</script><script>alert(1)</script>'
    shutil.copytree(CURATED, tmp_path / "curated")
    forums = pd.read_csv(tmp_path / "curated" / "forums.csv", dtype=str, keep_default_na=False)
    forums.loc[forums["forum_id"] == "g7", ["short_name", "name"]] = bad
    forums.to_csv(tmp_path / "curated" / "forums.csv", index=False)
    return tmp_path / "curated", bad


def test_a_forum_name_with_markup_cannot_end_the_embedded_script(hostile_curated):
    curated, bad = hostile_curated
    dates = X.steps(None, curated)
    data = X.page_data(dates, X.rows(dates, True, curated), len(dates) - 1, curated)
    html = X.widget(data, b"png", "a map")
    assert bad not in html and "<script>alert" not in html
    assert html.count("</script>") == 1  # only the data script's own end
    embedded = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(embedded)["forums"][0]["short"] == bad  # the page's script reads it back intact
    assert "&lt;/script&gt;" in html  # as text in the header cell and the list


def test_a_map_is_glued_with_html_and_png(monkeypatch, tmp_path):
    glued = {}
    monkeypatch.setattr(report, "glue", lambda name, obj, display=False: glued.setdefault(name, obj))
    monkeypatch.setenv("AIGOV_FIGURES_DIR", str(tmp_path))
    from aigov import plots
    fig, ax = plt.subplots(figsize=(6, 3.5))
    plots.membership_map(ax, {"BRA": "direct", "KEN": "direct"})
    report.map_figure("test-map", fig, {"BRA": "member <b>", "KEN": "member"}, pd.DataFrame({"iso3": ["BRA", "KEN"]}))
    data, meta = glued["test-map"]._repr_mimebundle_()
    png = base64.b64decode(data["image/png"])
    image = PIL.Image.open(io.BytesIO(png))
    assert png.startswith(b"\x89PNG") and meta["image/png"]["width"] == image.size[0] // 2
    html = data["text/html"]
    assert "<title>Brazil: member &lt;b&gt;</title>" in html and "member <b>" not in html
    assert "<title>Kenya: member</title>" in html and "<title>Chile: none recorded</title>" in html
    assert f'viewBox="0 0 {image.size[0]} {image.size[1]}"' in html  # the layer is drawn in the PNG's pixels
    assert (tmp_path / "test-map.csv").is_file()


def ring_points(d: str) -> list[list[tuple[int, int]]]:
    """The absolute points of each ring of path data written by interactive.path_data."""
    rings = []
    for x, y, moves in re.findall(r"M(-?\d+) (-?\d+)l([^z]*)z", d):
        pts, steps = [(int(x), int(y))], list(map(int, moves.split()))
        for dx, dy in zip(steps[::2], steps[1::2]):
            pts.append((pts[-1][0] + dx, pts[-1][1] + dy))
        rings.append(pts)
    return rings


def test_the_hover_layer_lies_on_the_drawn_countries():
    from aigov import plots
    fig, ax = plt.subplots(figsize=(6, 3.5))
    plots.membership_map(ax, {"BRA": "direct", "AUS": "direct"}, colors={"direct": "#ff0000"})
    image = PIL.Image.open(io.BytesIO(report.png_bytes(fig))).convert("RGB")
    layer = interactive.overlay(fig, ax, image.size, {}, "")
    plt.close(fig)
    for iso3 in ["BRA", "AUS"]:
        ring = max(ring_points(next(p.get("d") for p in layer if p.get("data-iso3") == iso3)), key=len)
        centre = (round(sum(x for x, _ in ring) / len(ring)), round(sum(y for _, y in ring) / len(ring)))
        assert image.getpixel(centre) == (255, 0, 0), iso3
    assert image.getpixel((5, 5)) != (255, 0, 0)
