"""What the browser tests share: the two screen widths every page is checked at, and the console."""

import pytest

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request, page):
    """The test runs once at each width, on a page of that width."""
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
    return request.param


@pytest.fixture
def problems(page):
    """Console errors and page errors; a page answering 4xx on purpose logs its own status, not a problem."""
    seen = []

    def on_console(message):
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource: the server responded with a status of 4") and (
            message.location.get("url", "") == page.url
        ):
            return
        seen.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen
