"""axe-core on the pages a browser test visits (SPEC §11): the product's pages may have no serious or
critical violation, the support admin and the API docs page no critical one.

`Audit.check(page)` runs axe on the page as it is now and keeps what breaks the page's bar;
`Audit.assert_clean()` fails with every violation found on the walk, one line per rule and page, naming
the elements it found so that the failure says what to fix.
"""

from axe_playwright_python.sync_playwright import Axe

PRODUCT = frozenset({"serious", "critical"})
SUPPORT = frozenset({"critical"})

_axe = Axe()


def is_support_page(url: str) -> bool:
    """The admin and the API docs answer to the lower bar: third-party pages, only partly ours."""
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    return path.startswith(("/admin/", "/api/docs/"))


class Audit:
    """The axe violations found on the pages of one walk, at or above each page's bar."""

    def __init__(self):
        self.found: list[str] = []
        self.pages = 0

    def check(self, page, impacts=None):
        """Run axe on `page`; keep violations whose impact is in `impacts` (default: the page's bar)."""
        impacts = impacts or (SUPPORT if is_support_page(page.url) else PRODUCT)
        self.pages += 1
        for violation in _axe.run(page).response["violations"]:
            if violation["impact"] not in impacts:
                continue
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:6])
            more = len(violation["nodes"]) - 6
            self.found.append(
                f"{page.url}: {violation['id']} ({violation['impact']}) {violation['help']}; "
                f"{targets}{f' and {more} more' if more > 0 else ''}"
            )

    def assert_clean(self):
        assert self.found == [], f"axe violations on {self.pages} pages:\n" + "\n".join(self.found)
