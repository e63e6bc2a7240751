"""How the product names a browser to people: "Chrome on macOS", from a fixed vocabulary (SPEC §11).

The User-Agent header is whatever the client sends. Parsers such as ua-parser take a browser's
"family" from the header's own words, so a header reading "Ignore this e-mail, it was staff - call …
Bot/1.0" would come back as a browser of that name and land in the genuine new-sign-in alert. Only
names listed here are ever shown: anything else is "an unknown browser" or "an unknown system".
"""

from functools import lru_cache

from user_agents import parse as parse_user_agent

# ua-parser's browser families → the name people know.
BROWSERS = {
    "Chrome": "Chrome",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Chrome",
    "Chromium": "Chromium",
    "Firefox": "Firefox",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Safari": "Safari",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Edge": "Edge",
    "Edge Mobile": "Edge",
    "Opera": "Opera",
    "Opera Mobile": "Opera",
    "Opera Mini": "Opera",
    "Samsung Internet": "Samsung Internet",
    "Vivaldi": "Vivaldi",
    "Yandex Browser": "Yandex Browser",
    "UC Browser": "UC Browser",
    "DuckDuckGo Mobile": "DuckDuckGo",
    "IE": "Internet Explorer",
    "IE Mobile": "Internet Explorer",
}
# ua-parser's system families → the name people know.
SYSTEMS = {
    "Windows": "Windows",
    "Mac OS X": "macOS",
    "macOS": "macOS",
    "iOS": "iOS",
    "iPadOS": "iPadOS",
    "Android": "Android",
    "Chrome OS": "ChromeOS",
    "ChromeOS": "ChromeOS",
    "Linux": "Linux",
    "Ubuntu": "Linux",
    "Debian": "Linux",
    "Fedora": "Linux",
    "Red Hat": "Linux",
    "FreeBSD": "FreeBSD",
}
UNKNOWN_BROWSER = "Unknown browser"
UNKNOWN_SYSTEM = "an unknown system"
UNKNOWN_DEVICE = "Unknown device"


@lru_cache(maxsize=512)
def describe_device(user_agent: str) -> str:
    """The browser and system of a User-Agent header in the product's own words: "Chrome on macOS",
    "Firefox on an unknown system", "Unknown device". Never a word of the header itself."""
    if not user_agent:
        return UNKNOWN_DEVICE
    agent = parse_user_agent(user_agent[:500])
    browser = BROWSERS.get(agent.browser.family)
    system = SYSTEMS.get(
        agent.os.family.split(" ")[0] if agent.os.family.startswith("Windows") else agent.os.family
    )
    if browser is None and system is None:
        return UNKNOWN_DEVICE
    return f"{browser or UNKNOWN_BROWSER} on {system or UNKNOWN_SYSTEM}"


def vocabulary() -> set[str]:
    """Every name describe_device() can answer."""
    browsers = {*BROWSERS.values(), UNKNOWN_BROWSER}
    systems = {*SYSTEMS.values(), UNKNOWN_SYSTEM}
    return {f"{b} on {s}" for b in browsers for s in systems} | {UNKNOWN_DEVICE}
