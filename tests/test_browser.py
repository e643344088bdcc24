"""The built book works offline and cleanly in a browser: no page refers to a script, style
sheet or image on another host, and every page opens in headless Chromium (Debian's chromium
and chromium-driver) with no console error, no request to any host but the site itself, and
its title and heading shown. The site is served from 127.0.0.1 and every other host name is
made unresolvable, so the test itself never reaches the network."""
import functools
import http.server
import json
import re
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from aigov.paths import BOOK, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH, HEIGHT = 1280, 900
SETTLE = 0.3  # seconds without a new network or page event before a page counts as loaded
SETTLE_MAX = 5.0

pytestmark = pytest.mark.build
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian: apt-get install chromium chromium-driver)",
)


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
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ["--headless=new", f"--window-size={WIDTH},{HEIGHT}", "--no-sandbox",
                "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def site_pages(html: Path) -> list[str]:
    """Every page of the site (relative URLs); folders starting with ``_`` hold assets
    (``_static/*.html`` are theme template fragments), not pages."""
    pages = [p.relative_to(html).as_posix() for p in sorted(html.rglob("*.html"))]
    return [p for p in pages if not p.startswith("_")]


def network_requests(entries: list[dict]) -> list[str]:
    """URLs of the requests in a chromedriver performance log."""
    urls = []
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


class Assets(HTMLParser):
    """What a page makes the browser fetch by itself: the resource URLs in its tags, and the
    URLs written in its inline scripts."""
    SOURCES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
               "video": "src", "embed": "src", "object": "data"}
    FETCHED_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload",
                     "prefetch", "modulepreload", "preconnect", "dns-prefetch"}

    def __init__(self, text: str):
        super().__init__()
        self.urls: list[str] = []
        self._script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._script = tag == "script" and not a.get("src")
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


def is_elsewhere(url: str) -> bool:
    """Whether a URL written in a page points at another host."""
    parts = urlsplit(url)
    return parts.scheme not in {"", "data", "blob"} or bool(parts.netloc)


def is_local(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob"} or f"{parts.scheme}://{parts.netloc}" == origin


def settle(driver) -> tuple[list[dict], list[str]]:
    """Wait until the current page's network and page events stop; its console messages and
    the URLs it requested since the last call."""
    perf = []
    start = quiet = time.monotonic()
    while time.monotonic() - quiet < SETTLE and time.monotonic() - start < SETTLE_MAX:
        time.sleep(0.05)
        new = driver.get_log("performance")
        if new:
            perf += new
            quiet = time.monotonic()
    return driver.get_log("browser"), network_requests(perf)


def visit(driver, url: str) -> tuple[list[dict], list[str]]:
    """Open ``url``: its console messages and the URLs it requested."""
    driver.get_log("browser")  # drop what the previous page left
    driver.get_log("performance")
    driver.get(url)
    return settle(driver)


def test_pages_are_found(html):
    pages = site_pages(html)
    assert {"index.html", "intro.html", "search.html", "genindex.html"} <= set(pages)
    assert len([p for p in pages if p.startswith("sections/")]) >= 8


def test_no_page_refers_to_an_asset_on_another_host(html):
    problems = [f"{page}: {url}" for page in site_pages(html)
                for url in Assets((html / page).read_text(encoding="utf-8")).urls if is_elsewhere(url)]
    assert not problems, "assets on another host:\n" + "\n".join(problems)


@needs_chromium
def test_every_page_loads_cleanly_offline_in_chromium(html, origin, browser):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    root = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))["root"] + ".html"
    # search.html with a query also loads the search index and runs the search
    urls = site_pages(html) + ["search.html?q=governance"]
    problems = []
    for page in urls:
        console, requests = visit(browser, f"{origin}/{page}")
        if page == "index.html":  # a redirect to the root page: check where it lands
            try:
                WebDriverWait(browser, 10).until(lambda d: d.current_url == f"{origin}/{root}"
                                                 and d.execute_script("return document.readyState")
                                                 == "complete")
            except TimeoutException:
                problems.append(f"{page}: no redirect to {root} ({browser.current_url})")
            more_console, more_requests = settle(browser)
            console, requests = console + more_console, requests + more_requests
        for entry in console:
            if entry["level"] == "SEVERE":
                problems.append(f"{page}: console error: {entry['message']}")
        for request in requests:
            if not is_local(request, origin):
                problems.append(f"{page}: request to another host: {request}")
        if title not in browser.title:
            problems.append(f"{page}: title {browser.title!r} lacks the book title {title!r}")
        headings = [h.text.strip() for h in browser.find_elements(By.CSS_SELECTOR, "main h1")]
        if not any(headings):
            problems.append(f"{page}: no visible h1 in the main content")
        if page.startswith("search.html?"):
            try:
                WebDriverWait(browser, 10).until(
                    lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
            except TimeoutException:
                problems.append(f"{page}: the search showed no result")
    assert not problems, f"{len(problems)} problem(s) in {len(urls)} pages:\n" + "\n".join(problems)
