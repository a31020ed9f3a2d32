"""The docs site (tools/docs/build.py): built into a temp dir, served on 127.0.0.1, rendered by headless Chromium.

Chromium runs with JavaScript, every host but 127.0.0.1 unresolvable (--host-resolver-rules) and a net log
(--log-net-log): a page that asks for anything outside 127.0.0.1 fails the test, and the rendered content
must still appear. A negative control checks that the net-log check does catch such a request. The test
fails, not skips, without Chromium (Debian: apt-get install chromium). Screenshots go to reports/docs/.

"Try it out" is driven as a reader would use it, by selenium through Debian's ChromeDriver (apt-get install
chromium-driver): against the command-line reference server started with --cors-origin, a create and then
the details of the job it made; against one started without it, the browser must refuse to send. So is the
reference page's switch between the two vintages of the contract, whose differences the vintages page lists.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import yaml
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from modelarts_vj.contract import CONTRACTS, Contract
from modelarts_vj.rules.requirements import PAGES, REQUIREMENTS
from modelarts_vj.spec import spec_path

from .command_line_server import command_line_server

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "tools" / "docs" / "build.py"
SPEC_PATH = ROOT / "spec" / "openapi.yaml"
REPORT_DIR = ROOT / "reports" / "docs"
SITE_PAGES = ("index.html", "reference.html", "quirk.html", "requirements.html", "sources.html", "vintages.html")
OTC_REFERENCE = "reference.html?vintage=otc"  # the reference page showing the newer vintage
RENDERED_PAGES = (*SITE_PAGES, OTC_REFERENCE)
LOOPBACK = "127.0.0.1"
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "mailto"}

BROWSER_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
    # Every host but the test server's is unresolvable: the pages must render without them.
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}",
)
# A page loaded once for its DOM: virtual time runs ahead until the page is idle (or 10 s of it passed).
CHROMIUM_FLAGS = (*BROWSER_FLAGS, "--virtual-time-budget=10000")


# --- Chromium -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("headless Chromium is needed for the docs tests: apt-get install -y chromium "
                "(or set CHROMIUM=/path/to/chromium)")


def run_chromium(binary: str, url: str, workdir: Path, *extra: str) -> tuple[str, Path]:
    """Load url; return the rendered DOM (--dump-dom, unless extra asks for a screenshot) and the net log's path."""
    workdir.mkdir(parents=True, exist_ok=True)
    if not any(arg.startswith("--screenshot") for arg in extra):
        extra = ("--dump-dom", *extra)
    # Headless Chromium now and then never exits after loading a page on a loaded machine (seen once in a
    # make test of four workers on two cores): such a load is tried once more, in a fresh profile.
    for attempt in (1, 2):
        netlog = workdir / f"netlog-{attempt}.json"
        try:
            completed = subprocess.run(
                [binary, *CHROMIUM_FLAGS, f"--user-data-dir={workdir / f'profile-{attempt}'}",
                 f"--log-net-log={netlog}", *extra, url],
                capture_output=True, text=True, timeout=120,
            )
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
    assert completed.returncode == 0, f"chromium failed on {url}: {completed.stderr[-2000:]}"
    assert netlog.is_file(), "chromium wrote no net log"
    return completed.stdout, netlog


def page_requests(netlog: Path) -> list[str]:
    """The URLs that pages asked for (top-level loads and requests with a page as initiator).

    Chromium's own background traffic (update checks, account lookups) has no page initiator ("not an
    origin") and is left out: it is the browser's, not the site's, and fails anyway under the resolver rules.
    """
    text = netlog.read_text(encoding="utf-8", errors="replace")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # a log cut short at exit: close its event list
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        if event.get("type") != start_job or "url" not in params:
            continue
        if params.get("request_type") == "main frame" or params.get("initiator") != "not an origin":
            urls.append(params["url"])
    return urls


def foreign(urls: list[str]) -> list[str]:
    return [url for url in urls
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != LOOPBACK]


# --- the site and its server --------------------------------------------------------------------------

def load_build_module():
    spec = importlib.util.spec_from_file_location("vj_docs_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RecordingHandler(SimpleHTTPRequestHandler):
    log: list[tuple[str, int]]

    def log_request(self, code="-", size="-"):
        self.log.append((self.path, int(getattr(code, "value", code))))

    def log_message(self, format, *args):  # quiet
        pass


class Served:
    def __init__(self, directory: Path):
        self.log: list[tuple[str, int]] = []
        handler = type("Handler", (RecordingHandler,), {"log": self.log})
        self.server = ThreadingHTTPServer((LOOPBACK, 0), functools.partial(handler, directory=str(directory)))
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    load_build_module().build(out)
    return out


@pytest.fixture(scope="module")
def served(site):
    with Served(site) as served:
        yield served


@pytest.fixture(scope="module")
def rendered(chromium, served, tmp_path_factory) -> dict[str, dict]:
    """Each page, rendered with JavaScript: its DOM, the URLs it asked for, what the server answered."""
    work = tmp_path_factory.mktemp("chromium")
    pages = {}
    for page in RENDERED_PAGES:
        served.log.clear()
        dom, netlog = run_chromium(chromium, served.url + page, work / page.replace("?", "-"))
        pages[page] = {"dom": dom, "requests": page_requests(netlog), "served": list(served.log)}
    return pages


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


# --- reading a DOM ------------------------------------------------------------------------------------

class TextParser(HTMLParser):
    """Visible text (no script or style contents) and every element's attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style", "noscript"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts))


def parse(html: str) -> TextParser:
    parser = TextParser()
    parser.feed(html)
    return parser


def text_of(html: str) -> str:
    return parse(html).text


def element_html(dom: str, element_id: str, tag: str) -> str:
    match = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</{tag}>', dom, re.S)
    assert match, f"no <{tag} id={element_id!r}> in the rendered page"
    return match.group(1)


def cells(row_html: str) -> list[str]:
    return [text_of(cell).strip() for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row_html, re.S)]


def resolve(spec: dict, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def create_success_media(spec: dict) -> dict:
    operation = spec["paths"]["/v1/{project_id}/visualization-jobs"]["post"]
    assert operation["operationId"] == "createVisualizationJob"
    return resolve(spec, operation["responses"]["200"])["content"]["application/json"]


# --- the built files ----------------------------------------------------------------------------------

def test_site_has_every_page_and_the_spec(site, spec):
    for name in (*SITE_PAGES, "openapi.yaml", "openapi.json", "style.css", "reference.js", "openapi-spec.js",
                 "vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css"):
        assert (site / name).is_file(), name
    assert (site / "openapi.yaml").read_text(encoding="utf-8") == SPEC_PATH.read_text(encoding="utf-8")
    assert json.loads((site / "openapi.json").read_text(encoding="utf-8")) == spec
    otc = spec_path("otc").read_text(encoding="utf-8")
    assert (site / "openapi.otc.yaml").read_text(encoding="utf-8") == otc
    assert json.loads((site / "openapi.otc.json").read_text(encoding="utf-8")) == yaml.safe_load(otc)


def test_renderer_is_the_pinned_one(site):
    lock = json.loads((ROOT / "tools" / "docs" / "package-lock.json").read_text())
    package = json.loads((ROOT / "tools" / "docs" / "package.json").read_text())
    pinned = lock["packages"]["node_modules/swagger-ui-dist"]["version"]
    assert package["dependencies"]["swagger-ui-dist"] == pinned, "package.json must pin an exact version"
    assert (site / "vendor" / "swagger-ui" / "VERSION").read_text().strip() == f"swagger-ui-dist@{pinned}"


def test_served_files_reference_nothing_outside_the_site(site):
    """Static check: no tag or stylesheet of ours points at another host (the runtime check is below)."""
    offenders = []
    for path in site.rglob("*.html"):
        for tag, attrs in parse(path.read_text(encoding="utf-8")).elements:
            for attr in ("src", "href", "data", "srcset", "poster", "action"):
                value = (attrs.get(attr) or "").strip()
                if tag == "a" and attr == "href":
                    continue  # a link is not a load
                if value and foreign([urljoin(f"http://{LOOPBACK}/", value)]):
                    offenders.append(f"{path.name}: <{tag} {attr}={value!r}>")
    for path in site.rglob("*.css"):
        css = path.read_text(encoding="utf-8")
        for value in re.findall(r"""url\(\s*['"]?([^'")\s]+)""", css) + re.findall(r"""@import\s+['"]([^'"]+)""", css):
            if foreign([urljoin(f"http://{LOOPBACK}/", value)]):
                offenders.append(f"{path.relative_to(site)}: {value}")
    for name in ("reference.js",):  # our own script (the vendor bundle is checked at run time)
        for value in re.findall(r"""['"]((?:https?:)?//[^'"]+)""", (site / name).read_text(encoding="utf-8")):
            offenders.append(f"{name}: {value}")
    assert not offenders, "\n".join(offenders)


# --- in the browser -----------------------------------------------------------------------------------

@pytest.mark.parametrize("page", RENDERED_PAGES)
def test_page_requests_nothing_outside_loopback(rendered, page):
    result = rendered[page]
    assert result["requests"], "the net log shows no request of the page: the check would be vacuous"
    assert not foreign(result["requests"]), f"{page} asked for: {foreign(result['requests'])}"
    failed = [(path, code) for path, code in result["served"] if code >= 400]
    assert not failed, f"{page}: the site lacks {failed}"


def test_offline_check_catches_a_foreign_request(chromium, tmp_path):
    """Negative control: a page that loads from another host is caught by the net-log check."""
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "index.html").write_text(
        '<!doctype html><title>probe</title><p>probe</p>'
        '<script src="https://cdn.offline-probe.invalid/lib.js"></script>'
        '<img src="http://img.offline-probe.invalid/x.png">', encoding="utf-8")
    with Served(probe) as served:
        dom, netlog = run_chromium(chromium, served.url + "index.html", tmp_path / "chromium")
    assert "probe" in text_of(dom)
    hosts = {urlsplit(url).hostname for url in foreign(page_requests(netlog))}
    assert {"cdn.offline-probe.invalid", "img.offline-probe.invalid"} <= hosts


def test_reference_renders_the_create_operation_and_the_seed_samples(rendered):
    dom = rendered["reference.html"]["dom"]
    assert 'class="swagger-ui' in dom and "opblock" in dom, "Swagger UI did not render"
    text = text_of(dom)
    for expected in (
        "createVisualizationJob", "Create a visualization job", "/v1/{project_id}/visualization-jobs",
        "job_name", "job_desc", "train_url",                                   # request fields
        "visualization-job", "this is a visualization job", "/obs/name/",      # seed sample request
        "1524189990635",                                                       # seed successful sample
        "ModelArts.0103",                                                      # seed failed sample
    ):
        assert expected in text, f"the rendered reference lacks {expected!r}"


def shown_vintage(dom: str) -> str | None:
    """The vintage reference.js says it rendered (<html data-vintage>)."""
    return next((attrs.get("data-vintage") for tag, attrs in parse(dom).elements if tag == "html"), None)


def test_the_reference_shows_the_seed_and_with_vintage_otc_the_newer_document(rendered):
    seed_dom, otc_dom = rendered["reference.html"]["dom"], rendered[OTC_REFERENCE]["dom"]
    assert (shown_vintage(seed_dom), shown_vintage(otc_dom)) == ("seed", "otc")
    seed, otc = text_of(seed_dom), text_of(otc_dom)
    for newer in ("ModelArts v1 visualization jobs (newer vintage)", "job_type", "ScheduleSetting", "mindinsight",
                  "workspace_id", "Illegal name: %%123"):
        assert newer in otc and newer not in seed, newer
    switch = element_html(otc_dom, "vintage-switch", "form")
    assert [attrs["value"] for tag, attrs in parse(switch).elements if tag == "input"] == list(CONTRACTS)


def test_reference_names_every_parameter(rendered, spec):
    """Path-level parameters ($ref to components) render with their names, not as a nameless "any"."""
    dom = rendered["reference.html"]["dom"]
    names = [re.sub(r"[\s*]+$", "", text_of(name)).strip() for name in  # "name *" when required
             re.findall(r'<div class="parameter__name[^"]*">(.*?)</div>', dom, re.S)]
    assert names and all(names), f"a parameter renders without a name: {names}"
    assert {"project_id", "job_id"} <= set(names)


def test_quirk_page_table_comes_from_the_spec(rendered, spec):
    dom = rendered["quirk.html"]["dom"]
    element_html(dom, "quirk-table", "table")
    media = create_success_media(spec)
    documented = media["examples"]["documented-encoding"]["value"]
    properties = resolve(spec, media["schema"])["properties"]
    for field in ("job_id", "status", "create_time"):
        schema = resolve(spec, properties[field])
        field_cell, documented_type, sample_cell, documented_cell, *_ = cells(element_html(dom, f"field-{field}", "tr"))
        assert field_cell == field
        assert documented_type == schema["x-documented-type"]
        assert sample_cell == f"JSON {schema['x-sample-encoding']} {json.dumps(schema['x-sample-value'])}"
        assert documented_cell.endswith(json.dumps(documented[field]))
        assert "integer" in documented_cell
    for name in ("page-sample", "documented-encoding"):
        figure = element_html(dom, f"example-{name}", "figure")
        shown = re.search(r"<pre>(.*?)</pre>", figure, re.S).group(1)
        assert json.loads(text_of(shown)) == media["examples"][name]["value"], f"example {name} is not in full"


def links(html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in parse(html).elements if tag == "a" and "href" in attrs]


def test_requirements_page_shows_each_requirement_with_level_vintages_source_and_quote(rendered):
    dom = rendered["requirements.html"]["dom"]
    rows = re.findall(r'<tr id="([^"]+)"', element_html(dom, "requirements-table", "table"))
    assert rows == [requirement.id for requirement in REQUIREMENTS]
    for requirement in REQUIREMENTS:
        row = element_html(dom, requirement.id, "tr")
        id_cell, level, vintages, source, quote, statement = cells(row)
        assert (id_cell, level, vintages, source, quote) == (requirement.id, requirement.level,
                                                             ", ".join(requirement.vintages), requirement.source,
                                                             requirement.quote)
        assert statement.startswith(requirement.statement)
        source_links = [href for href in links(row) if href.startswith("sources.html")]
        assert source_links == [f"sources.html#{PAGES[citation.page].doc_id}" for citation in requirement.sources]


def test_sources_page_lists_every_page_with_what_the_project_takes_and_who_cites_it(rendered):
    dom = rendered["sources.html"]["dom"]
    rows = re.findall(r'<tr id="([^"]+)"', element_html(dom, "sources-table", "table"))
    assert rows == [page.doc_id for page in PAGES.values()]
    for key, page in PAGES.items():
        row = element_html(dom, page.doc_id, "tr")
        title_cell, takes, cited_by = cells(row)
        assert title_cell == f"{page.title} {page.doc_id}"
        assert takes == page.takes
        assert f"https://support.huaweicloud.com/intl/en-us/api-modelarts/{page.doc_id}.html" in links(row)
        citing = [requirement.id for requirement in REQUIREMENTS if key in {c.page for c in requirement.sources}]
        assert [href for href in links(row) if href.startswith("requirements.html#")] == \
            [f"requirements.html#{rid}" for rid in citing]
        assert cited_by == ("".join(citing) or "\u2014")
    # Every source a requirement cites has its entry: no link of the requirements page points nowhere.
    targets = {href for href in links(rendered["requirements.html"]["dom"]) if href.startswith("sources.html#")}
    assert targets <= {f"sources.html#{doc_id}" for doc_id in rows}


def test_the_vintages_page_lists_every_difference_of_the_contracts_and_the_documents(rendered, spec):
    dom = rendered["vintages.html"]["dom"]
    differing = [field.name for field in dataclasses.fields(Contract) if field.name not in ("vintage", "spec_sha256")
                 and getattr(CONTRACTS["seed"], field.name) != getattr(CONTRACTS["otc"], field.name)]
    assert {"per_page", "failure_message", "job_types", "schedule"} <= set(differing)
    contract_table = element_html(dom, "contract-differences", "table")
    assert re.findall(r'<tr id="contract-([^"]+)"', contract_table) == differing
    field, seed_cell, otc_cell = cells(element_html(contract_table, "contract-failure_message", "tr"))
    assert (field, seed_cell, otc_cell) == ("failure_message", "'error_msg'", "'error_message'")
    body = re.search(r"<tbody>(.*?)</tbody>", element_html(dom, "document-differences", "table"), re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    build = load_build_module()
    expected = build.differences(spec, yaml.safe_load(spec_path("otc").read_text(encoding="utf-8")))
    assert [cells(row)[0] for row in rows] == [where for where, _, _ in expected]
    assert all(cells(row)[3] for row in rows), "every difference has the overlay's reason"
    per_page = next(cells(row) for row in rows if cells(row)[0].endswith("/get/parameters/1/schema/maximum"))
    assert per_page[1:3] == ["100", "1000"]


def test_index_links_the_rest(rendered):
    parsed = parse(rendered["index.html"]["dom"])
    hrefs = set(links(rendered["index.html"]["dom"]))
    assert {"reference.html", "quirk.html", "requirements.html", "sources.html", "vintages.html", "openapi.yaml",
            "openapi.json"} <= hrefs
    assert f"sources.html#{PAGES['create'].doc_id}" in hrefs, "the overview names the create page"
    assert "createVisualizationJob" in parsed.text


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_screenshots(chromium, served, tmp_path):
    """reports/docs/reference.png (and quirk.png): what a person sees, with no host but 127.0.0.1."""
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    for page, height in (("reference.html", 2000), ("quirk.html", 1400)):
        shot = REPORT_DIR / page.replace(".html", ".png")
        shot.unlink(missing_ok=True)
        _, netlog = run_chromium(chromium, served.url + page, tmp_path / page,
                                 f"--screenshot={shot}", f"--window-size=1280,{height}")
        assert not foreign(page_requests(netlog))
        assert png_size(shot) == (1280, height)
        assert shot.stat().st_size > 20_000, f"{shot} looks blank"


# --- "Try it out" against the reference server --------------------------------------------------------

CREATE, DETAILS = "createVisualizationJob", "getVisualizationJob"
EXAMPLE_PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"  # the ProjectId parameter's example, which the page fills in
UI_TIMEOUT_SECONDS = 90  # Swagger UI renders the whole reference at once: slow on 2 busy cores


@pytest.fixture
def browser(chromium, tmp_path):
    """Headless Chromium with the flags above, driven through Debian's ChromeDriver."""
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (Path(driver_path).is_file() and os.access(driver_path, os.X_OK)):
        pytest.fail("ChromeDriver is needed for the try-it-out test: apt-get install -y chromium-driver "
                    "(or set CHROMEDRIVER=/path/to/chromedriver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class ReferencePage:
    """reference.html in the browser, used as a reader would: pick the server, Try it out, Execute."""

    def __init__(self, driver, url: str):
        self.driver = driver
        self.wait = WebDriverWait(driver, UI_TIMEOUT_SECONDS)
        driver.get(url)
        self.port_field = self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, '.servers input[data-variable="port"]'))

    def use_local_server(self, base_url: str) -> None:
        """Choose the spec's local server entry and set its port variable to the one of base_url."""
        servers = Select(self.driver.find_element(By.ID, "servers"))
        servers.select_by_value(f"http://{LOOPBACK}:{{port}}")
        self.port_field.send_keys(Keys.CONTROL, "a")
        self.port_field.send_keys(str(urlsplit(base_url).port))
        self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".servers .computed-url code").text == base_url)

    def operation(self, operation_id: str):
        return self.driver.find_element(By.ID, f"operations-visualization-jobs-{operation_id}")

    def try_it_out(self, operation_id: str, **parameters: str) -> None:
        operation = self.operation(operation_id)
        operation.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
        for name, value in parameters.items():
            field = operation.find_element(By.CSS_SELECTOR, f'.parameters input[placeholder="{name}"]')
            field.send_keys(Keys.CONTROL, "a")
            field.send_keys(value)

    def execute(self, operation_id: str) -> tuple[str, str]:
        """Click Execute; the status and the body the page shows for the response (after clearing the last one)."""
        operation = self.operation(operation_id)
        for clear in operation.find_elements(By.CSS_SELECTOR, ".btn-clear"):
            clear.click()
        self.wait.until(lambda d: not operation.find_elements(By.CSS_SELECTOR, ".live-responses-table"))
        operation.find_element(By.CSS_SELECTOR, ".execute").click()
        row = self.wait.until(lambda d: operation.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .response"))
        return (row.find_element(By.CSS_SELECTOR, ".response-col_status").text.strip(),
                row.find_element(By.CSS_SELECTOR, ".response-col_description").text.strip())


@pytest.mark.long
def test_try_it_out_creates_a_job_on_the_local_reference_server_and_reads_its_details(browser, served):
    origin = served.url.rstrip("/")
    with command_line_server("--cors-origin", origin) as allowed, command_line_server() as not_allowed:
        page = ReferencePage(browser, served.url + "reference.html")
        jobs = f"/v1/{EXAMPLE_PROJECT}/visualization-jobs"

        # Negative control: a server not started with --cors-origin for this page gets nothing from it.
        page.use_local_server(not_allowed.url)
        page.try_it_out(CREATE)
        status, shown = page.execute(CREATE)
        assert status != "200" and "Failed to fetch" in shown, (status, shown)
        assert httpx.get(not_allowed.url + jobs).json()["job_total_count"] == 0

        page.use_local_server(allowed.url)
        status, shown = page.execute(CREATE)
        assert status == "200", shown
        created = json.loads(shown[shown.index("{"):shown.rindex("}") + 1])
        assert created["is_success"] is True and created["job_name"] == "visualization-job"  # the page's sample
        job_id = str(created["job_id"])

        page.try_it_out(DETAILS, job_id=job_id)
        status, shown = page.execute(DETAILS)
        assert status == "200", shown
        details = json.loads(shown[shown.index("{"):shown.rindex("}") + 1])
        assert (str(details["job_id"]), details["job_name"]) == (job_id, "visualization-job")

        # The page talked to this server: it holds the job.
        assert httpx.get(f"{allowed.url}{jobs}/{job_id}").json()["job_desc"] == "this is a visualization job"
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        page.operation(DETAILS).screenshot(str(REPORT_DIR / "try-it-out.png"))


# --- the switch between the vintages --------------------------------------------------------------------------

@pytest.mark.long
def test_the_switch_shows_the_other_vintage_and_the_address_says_which(browser, served, spec):
    wait = WebDriverWait(browser, UI_TIMEOUT_SECONDS)
    browser.get(served.url + "reference.html")
    otc_title = yaml.safe_load(spec_path("otc").read_text(encoding="utf-8"))["info"]["title"]

    def title() -> str:
        return browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text

    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .info .title") and spec["info"]["title"] in title())
    assert otc_title not in title() and "job_type" not in browser.page_source
    browser.find_element(By.CSS_SELECTOR, '#vintage-switch input[value="otc"]').click()
    wait.until(lambda d: otc_title in title() and "workspace_id" in d.page_source)
    assert urlsplit(browser.current_url).query == "vintage=otc" and "job_type" in browser.page_source
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(REPORT_DIR / "reference-otc.png"))
    browser.find_element(By.CSS_SELECTOR, '#vintage-switch input[value="seed"]').click()
    wait.until(lambda d: otc_title not in title())
    assert urlsplit(browser.current_url).query == "vintage=seed" and "job_type" not in browser.page_source
