"""The example project's ``/docs`` page in a real headless Chromium (Debian's package).

uvicorn serves the example from its folder; Chromium, driven by Selenium through Debian's
``chromedriver``, loads ``/docs`` (Swagger UI, its files served by the app itself), finds
the example's operations listed, and runs "Try it out" of ``GET /api/articles/``: the
response panel shows the article created just before over HTTP. Where Chromium, its
driver or Selenium is missing (``.ci/run`` installs them on Debian), the test skips and
says which.
"""

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blog"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,2000",
)


def _browser_or_skip() -> tuple[str, str]:
    """The Chromium binary and its driver, or a skip naming what is missing."""
    binary = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").is_file() else None
    )
    if binary is None or driver is None:
        pytest.skip(
            "no headless browser here: install Debian's chromium and chromium-driver "
            "(apt-get install -y chromium chromium-driver; .ci/run does it)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (apistellar's test dependency group has it)")
    return binary, driver


@pytest.fixture(scope="module")
def example(example_runner, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with example_runner.uvicorn(tmp_path_factory.mktemp("docs-example")) as (url, _):
        yield url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    binary, driver_path = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _path_of(block: Any, by: Any) -> str:
    text: str = block.find_element(by.CSS_SELECTOR, ".opblock-summary-path").text
    return text.replace("\u200b", "").strip()


def test_the_example_serves_a_valid_document(example: str) -> None:
    """``/openapi.json`` of the example is valid OpenAPI 3.1 and lists its API."""
    from openapi_spec_validator import validate

    document = httpx.get(f"{example}/openapi.json", timeout=30).json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert {"/api/articles/", "/api/articles/{article_id}", "/account/login"} <= set(
        document["paths"]
    )
    assert "Article" in document["components"]["schemas"]


def test_try_it_out_in_a_real_browser(example: str, browser: Any) -> None:
    """The page loads, lists the operations, and "Try it out" answers live."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    title = f"From the browser test {secrets.token_hex(4)}"
    created = httpx.post(f"{example}/api/articles/", json={"title": title}, timeout=30)
    assert created.status_code == 200, created.text
    driver = browser
    driver.get(f"{example}/docs")
    wait = WebDriverWait(driver, 60)
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    listed = {
        element.text.replace("\u200b", "")
        for element in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    assert {"/api/articles/", "/api/articles/{article_id}", "/account/login"} <= listed
    block = next(
        element
        for element in driver.find_elements(By.CSS_SELECTOR, ".opblock.opblock-get")
        if _path_of(element, By) == "/api/articles/"
    )
    block.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait.until(lambda _: block.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
    block.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    wait.until(lambda _: block.find_elements(By.CSS_SELECTOR, ".execute"))
    block.find_element(By.CSS_SELECTOR, ".execute").click()
    answer = wait.until(
        lambda _: next(
            (
                element
                for element in block.find_elements(
                    By.CSS_SELECTOR,
                    ".responses-wrapper .live-responses-table .response-col_description",
                )
                if title in element.text
            ),
            None,
        )
    )
    assert title in answer.text
    status = block.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .response-col_status")
    assert status.text.strip().startswith("200")
