"""The built book works offline and cleanly in a browser. Debian's Chromium, driven by Playwright
(which cannot download a browser of its own here), opens the site served from 127.0.0.1; every
other host name is unresolvable and every request to another host is blocked and recorded, so
the test never reaches the network. Every page loads with no console error, no failed request
and no request to another host, shows the book's title and a heading, and every image on it
loads; every internal link and anchor resolves; the search finds a forum; the explorer answers a
hover, a click and its date control with counts recomputed from the curated CSVs; and each
chapter fits a phone's width (screenshots at both widths are kept as test artefacts)."""
import functools
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from independent import members_on, recorded_on, rows
from playwright.sync_api import expect, sync_playwright

from aigov import governance
from aigov.countries import NON_STATE
from aigov.countries import name as country_name
from aigov.paths import BOOK, CURATED, ROOT

CHROMIUM = Path("/usr/bin/chromium")
WIDE, NARROW, HEIGHT = 1280, 390, 900
TIMEOUT = 15_000  # ms for any one wait in the browser
SHOTS = ROOT / "_build" / "test-artifacts" / "screenshots"
EXPLORER = "sections/08_explorer.html"

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def html(site) -> Path:
    """The real book's site (built once per session, see conftest.py)."""
    return site / "html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def origin(html):
    """``http://127.0.0.1:<port>``, serving the built site from a thread on a free port."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, with every host name but 127.0.0.1 unresolvable."""
    if not CHROMIUM.is_file():
        pytest.skip(f"needs {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        yield chromium
        chromium.close()


def is_local(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob"} or f"{parts.scheme}://{parts.netloc}" == origin


@dataclass
class Log:
    """What the browser reported while one page was open."""
    errors: list[str] = field(default_factory=list)     # console errors and uncaught exceptions
    elsewhere: list[str] = field(default_factory=list)  # requests to another host (blocked)
    failed: list[str] = field(default_factory=list)     # requests to the site that failed


class Tab:
    """One page in a context of its own that blocks every request to another host; each visit
    starts a new :class:`Log`."""

    def __init__(self, browser, origin: str, **options):
        self.origin, self.log = origin, Log()
        self.context = browser.new_context(viewport={"width": WIDE, "height": HEIGHT}, **options)
        self.context.route(lambda url: not is_local(url, origin), self._block)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.page.on("console", lambda m: m.type == "error" and self.log.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.log.errors.append(f"uncaught {e}"))
        self.page.on("requestfailed", lambda r: is_local(r.url, origin)
                     and self.log.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.log.failed.append(f"{r.url} ({r.status})"))

    def _block(self, route):
        self.log.elsewhere.append(route.request.url)
        route.abort("blockedbyclient")

    def visit(self, page: str) -> Log:
        """Open ``page`` (a URL relative to the site) and wait until the network is idle."""
        self.log = Log()
        self.page.goto(f"{self.origin}/{page}", wait_until="networkidle")
        return self.log


@pytest.fixture(scope="module")
def tab(browser, origin):
    tab = Tab(browser, origin)
    yield tab
    tab.context.close()


def site_pages(html: Path) -> list[str]:
    """Every page of the site (relative URLs); folders starting with ``_`` hold assets
    (``_static/*.html`` are theme template fragments), not pages."""
    pages = [p.relative_to(html).as_posix() for p in sorted(html.rglob("*.html"))]
    return [p for p in pages if not p.startswith("_")]


ARCHIVE_SAMPLE = ("KEN", "USA", "CHN")  # countries whose every archived profile the browser opens


def browsed_pages(html: Path) -> list[str]:
    """The pages opened in the browser: every page of the book, and of the thousand archived
    profiles (``countries/<code>/<date>.html``, all made by one renderer) those of a few countries."""
    return [p for p in site_pages(html) if not re.fullmatch(r"countries/[A-Z]{3}/\d{4}-\d{2}-\d{2}\.html", p)
            or p.split("/")[1] in ARCHIVE_SAMPLE]


class Assets(HTMLParser):
    """What a page makes the browser fetch by itself: the resource URLs in its tags, and the
    URLs written in its inline scripts (not in data blocks such as JSON, which never run)."""
    SOURCES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
               "video": "src", "embed": "src", "object": "data"}
    FETCHED_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload",
                     "prefetch", "modulepreload", "preconnect", "dns-prefetch"}
    SCRIPTS = {"", "text/javascript", "application/javascript", "module"}

    def __init__(self, text: str):
        super().__init__()
        self.urls: list[str] = []
        self._script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._script = tag == "script" and not a.get("src") and (a.get("type") or "").lower() in self.SCRIPTS
        if tag in self.SOURCES and a.get(self.SOURCES[tag]):
            self.urls.append(a[self.SOURCES[tag]])
        if tag == "img" and a.get("srcset"):
            self.urls += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "link" and set((a.get("rel") or "").lower().split()) & self.FETCHED_LINKS:
            self.urls.append(a.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script:
            self.urls += re.findall(r"""\b(?:https?|wss?)://[^\s"'`<>]+""", data)


class Anchors(HTMLParser):
    """The links a page makes (``a href``), the ids it defines and its text."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.words: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):  # an anchor of the older kind
            self.ids.add(a["name"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])

    def handle_data(self, data):
        self.words += data.split()

    @property
    def text(self) -> str:
        return " ".join(self.words)


def is_elsewhere(url: str) -> bool:
    """Whether a URL written in a page points at another host."""
    parts = urlsplit(url)
    return parts.scheme not in {"", "data", "blob"} or bool(parts.netloc)


def test_pages_are_found(html):
    pages = site_pages(html)
    assert {"index.html", "intro.html", "search.html", "genindex.html"} <= set(pages)
    assert len([p for p in pages if p.startswith("sections/")]) >= 8


def test_no_page_refers_to_an_asset_on_another_host(html):
    problems = [f"{page}: {url}" for page in site_pages(html)
                for url in Assets((html / page).read_text(encoding="utf-8")).urls if is_elsewhere(url)]
    assert not problems, "assets on another host:\n" + "\n".join(problems)


def test_every_internal_link_and_anchor_resolves(html):
    parsed = functools.cache(lambda path: Anchors(path.read_text(encoding="utf-8")))
    problems, checked = [], 0
    for page in site_pages(html):
        for href in parsed(html / page).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:  # another host (or mailto:, javascript:): not followed
                continue
            checked += 1
            target = Path(os.path.normpath((html / page).parent / unquote(parts.path))) if parts.path else html / page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(html) or not target.is_file():
                problems.append(f"{page}: {href}: no file {os.path.relpath(target, html)}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parsed(target).ids:
                problems.append(f"{page}: {href}: no id {unquote(parts.fragment)!r} in {target.relative_to(html)}")
    assert checked > 100, f"only {checked} internal links found"
    assert not problems, f"{len(problems)} of {checked} internal links do not resolve:\n" + "\n".join(problems)


# Every image of the open page, made to load (lazy ones scrolled into view): those that do not.
BROKEN_IMAGES = """async () => {
  const broken = [];
  for (const img of Array.from(document.images)) {
    if (img.loading === "lazy") { img.scrollIntoView(); img.loading = "eager"; }
    await Promise.race([img.decode().catch(() => null), new Promise(done => setTimeout(done, 5000))]);
    if (!(img.complete && img.naturalWidth > 0)) broken.push(img.currentSrc || img.src || img.outerHTML);
  }
  window.scrollTo(0, 0);
  return [broken, document.images.length];
}"""


@dataclass
class Visit:
    """One page as the browser showed it."""
    log: Log
    title: str
    headings: list[str]
    broken_images: list[str]
    images: int


@pytest.fixture(scope="module")
def visits(html, tab) -> dict[str, Visit]:
    """Every page opened once; ``index.html`` redirects to the book's root page and is followed."""
    root = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))["root"] + ".html"
    out = {}
    # search.html with a query also loads the search index and runs the search
    for page in browsed_pages(html) + ["search.html?q=governance"]:
        log = tab.visit(page)
        if page == "index.html":
            tab.page.wait_for_url(f"{tab.origin}/{root}")
            tab.page.wait_for_load_state("networkidle")
        broken, images = tab.page.evaluate(BROKEN_IMAGES)
        out[page] = Visit(log, tab.page.title(), tab.page.locator("main h1").all_inner_texts(), broken, images)
    return out


def test_every_page_loads_cleanly_offline_in_chromium(visits):
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    problems = []
    for page, visit in visits.items():
        problems += [f"{page}: console error: {e}" for e in visit.log.errors]
        problems += [f"{page}: request to another host: {url}" for url in visit.log.elsewhere]
        problems += [f"{page}: failed request: {url}" for url in visit.log.failed]
        if title not in visit.title:
            problems.append(f"{page}: title {visit.title!r} lacks the book title {title!r}")
        if not any(h.strip() for h in visit.headings):
            problems.append(f"{page}: no visible h1 in the main content")
    assert not problems, f"{len(problems)} problem(s) in {len(visits)} pages:\n" + "\n".join(problems)


def test_every_image_loads(visits):
    assert sum(v.images for v in visits.values()) > 20
    broken = [f"{page}: {src}" for page, visit in visits.items() for src in visit.broken_images]
    assert not broken, "images that do not load:\n" + "\n".join(broken)


def test_search_finds_the_widest_forum(html, tab):
    name = governance.forum_sizes().iloc[0]["short_name"]
    assert name in {f["short_name"] for f in rows("forums")}
    tab.visit("search.html")
    box = tab.page.locator(".bd-search-container form.bd-search input")  # the page's own box
    box.fill(name)
    box.press("Enter")
    tab.page.locator("#search-results h2", has_text="Search Results").wait_for(state="attached")
    hrefs = tab.page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
    found = [urlsplit(href).path.lstrip("/") for href in hrefs]
    mentions = [p for p in found if (html / p).is_file() and name.lower() in Anchors(
        (html / p).read_text(encoding="utf-8")).text.lower()]
    assert mentions, f"searching {name!r} found {found}, none of which mentions it"


# The explorer (sections/08_explorer.html). Once live, #aigov-explorer carries data-ready="1",
# data-date (the date shown) and data-n-states (states in at least one forum then); picking a forum
# (th[data-forum]) adds data-forum and data-n-members and marks the rows tr[data-iso3] is-member
# or is-dimmed; hovering a row shows that country and its forums in #explorer-detail.
def forum_names() -> dict[str, set[str]]:
    return {f["forum_id"]: {f["name"], f["short_name"]} for f in rows("forums")}


def states_in(forum: str, day: str) -> set[str]:
    """States (members that are not the EU, the AU or another non-state code) in a forum on
    ``day``, read from memberships.csv; on the data date, the explorer's last step, members whose
    joining date is not recorded count too (the current landscape, as everywhere in the book)."""
    on = recorded_on if day == (CURATED / "data_as_of.txt").read_text(encoding="utf-8").strip() else members_on
    return {m for m in on(forum, day) if m not in NON_STATE}


@pytest.fixture
def explorer(html, tab):
    if not (html / EXPLORER).is_file():
        pytest.skip(f"the site has no {EXPLORER} (the explorer page is not in the book yet)")
    log = tab.visit(EXPLORER)
    tab.page.locator('#aigov-explorer[data-ready="1"]').wait_for(state="attached")
    yield tab.page
    assert not (log.errors or log.elsewhere or log.failed), log


def shown(page) -> tuple[str, list[str], list[str]]:
    """The explorer's date, its forum columns and its country rows."""
    day = page.locator("#aigov-explorer").get_attribute("data-date")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", day or ""), f"data-date={day!r}"
    forums = page.locator("#explorer-matrix th[data-forum]").evaluate_all("ths => ths.map(th => th.dataset.forum)")
    codes = page.locator("#explorer-matrix tr[data-iso3]").evaluate_all("trs => trs.map(tr => tr.dataset.iso3)")
    assert forums and codes, "the matrix has no forum column or no country row"
    return day, forums, codes


def test_explorer_hover_shows_the_country_and_its_forums(explorer):
    day, forums, codes = shown(explorer)
    names = forum_names()
    for code in (codes[0], codes[-1]):
        explorer.locator(f'#explorer-matrix tr[data-iso3="{code}"]').hover()
        detail = explorer.locator("#explorer-detail")
        expect(detail).to_contain_text(country_name(code))
        text = detail.inner_text()
        joined = [f for f in forums if code in members_on(f, day)]
        missing = [f for f in joined if not any(n in text for n in names[f])]
        assert not missing, f"{code} on {day}: the detail lacks {missing}:\n{text}"
    assert [f for f in forums if codes[0] in members_on(f, day)], f"{codes[0]}, the first row, is in no forum on {day}"


def test_explorer_forum_click_highlights_its_members(explorer):
    day, forums, codes = shown(explorer)
    forum = max(forums, key=lambda f: len(states_in(f, day)))
    expected = states_in(forum, day)
    explorer.locator(f'#explorer-matrix th[data-forum="{forum}"]').click()
    root = explorer.locator(f'#aigov-explorer[data-forum="{forum}"]')
    root.wait_for(state="attached")
    assert int(root.get_attribute("data-n-members")) == len(expected), f"members of {forum} on {day}"
    marked = explorer.locator("#explorer-matrix tr[data-iso3]").evaluate_all(
        "trs => trs.map(tr => [tr.dataset.iso3, tr.classList.contains('is-member'), tr.classList.contains('is-dimmed')])")
    assert {c for c, member, _ in marked if member} == expected
    assert {c for c, _, dimmed in marked if dimmed} == set(codes) - expected


def test_explorer_date_control_redraws_for_january_2018(explorer):
    slider = explorer.locator("input#explorer-date")
    root = explorer.locator("#aigov-explorer")
    slider.press("Home")
    assert (root.get_attribute("data-date") or "").startswith("2016-01"), "the slider does not start in January 2016"
    for _ in range(24):  # one step a month
        slider.press("ArrowRight")
    explorer.locator('#aigov-explorer[data-date^="2018-01"]').wait_for(state="attached")
    day, forums, _ = shown(explorer)
    expected = set().union(*(states_in(f, day) for f in forums))
    assert int(root.get_attribute("data-n-states")) == len(expected), f"on {day}: {sorted(expected)}"


def test_explorer_without_javascript_shows_a_static_map_and_the_table(html, browser, origin):
    if not (html / EXPLORER).is_file():
        pytest.skip(f"the site has no {EXPLORER} (the explorer page is not in the book yet)")
    tab = Tab(browser, origin, java_script_enabled=False)
    try:
        log = tab.visit(EXPLORER)
        assert tab.page.locator("table#explorer-matrix tr[data-iso3]").count() > 0
        shown = [(img.bounding_box()["width"], img.evaluate("img => img.naturalWidth"))
                 for img in tab.page.locator("main img").all() if img.is_visible()]
        assert any(width > 200 and natural > 0 for width, natural in shown), f"no map image shown: {shown}"
        # (the scripts the page preloads are refused while JavaScript is off: not a failure)
        assert not (log.errors or log.elsewhere), log
    finally:
        tab.context.close()


# The widest elements of the open page: those that overflow the viewport while their parent does not.
OVERFLOWING = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1
          && e.parentElement.getBoundingClientRect().right <= innerWidth + 1)
  .slice(0, 5).map(e => [e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""), ...e.classList].join("."))"""


def test_chapters_fit_a_phone_and_are_photographed(html, tab, capsys):
    chapters = [p for p in site_pages(html) if p.startswith("sections/")]
    chapters += ["countries/KEN/index.html", "countries/USA/index.html", "countries/USA/2020-12-31.html"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    try:
        for width in (WIDE, NARROW):
            tab.page.set_viewport_size({"width": width, "height": HEIGHT})
            for page in chapters:
                tab.visit(page)
                shot = page.removesuffix(".html").replace("sections/", "").replace("/", "-")
                tab.page.screenshot(path=SHOTS / f"{shot}-{width}.png", full_page=True)
                scroll = tab.page.evaluate("document.documentElement.scrollWidth")
                if width == NARROW and scroll > NARROW + 1:
                    too_wide.append(f"{page}: {scroll} px wide ({', '.join(tab.page.evaluate(OVERFLOWING))})")
    finally:
        tab.page.set_viewport_size({"width": WIDE, "height": HEIGHT})
        with capsys.disabled():
            print(f"\nscreenshots of {len(chapters)} chapters at {WIDE} and {NARROW} px: {SHOTS}")
    assert not too_wide, f"wider than a {NARROW} px screen:\n" + "\n".join(too_wide)


def test_countries_list_filters_and_the_map_opens_a_profile(tab):
    tab.visit("sections/09_countries.html")
    rows = tab.page.locator("#countries-list tbody tr")
    total = rows.count()
    assert total > 100
    tab.page.locator("#countries-filter").fill("keny")
    expect(tab.page.locator("#countries-list tbody tr:visible")).to_have_count(1)
    expect(tab.page.locator("#countries-count")).to_have_text(f"1 of {total} countries")
    tab.page.locator("#countries-filter").fill("")
    expect(tab.page.locator("#countries-list tbody tr:visible")).to_have_count(total)
    tab.page.locator('#fig-countries-map path[data-iso3="BRA"]').click(force=True)
    tab.page.wait_for_url("**/countries/BRA/index.html")
    expect(tab.page).to_have_title(re.compile(r"^Brazil\b"))


def test_a_profile_links_its_archive_and_back(tab):
    tab.visit("countries/KEN/index.html")
    tab.page.locator(".aigov-dates a", has_text="31 Dec 2020").click()
    tab.page.wait_for_url("**/countries/KEN/2020-12-31.html")
    expect(tab.page.locator("h1")).to_have_text("Kenya")
    expect(tab.page.locator(".aigov-dates strong")).to_have_text("31 Dec 2020")
    assert "·" in tab.page.locator(".aigov-dates").inner_text()  # the page states its encoding
    tab.page.locator(".aigov-dates a", has_text="latest").click()
    tab.page.wait_for_url("**/countries/KEN/index.html")
