"""Apps above show panels on pages below them through the panel registry, not through imports."""

from pathlib import Path

import pytest

from accounts import panels

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture
def test_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}]


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(panels, "_PANELS", panels.defaultdict(list))
    return panels.register


def test_a_registered_panel_shows_on_its_page_with_its_own_context(
    registered, test_templates, signed_in, user
):
    registered("account_security", template="tests/panel.html", context=lambda request: {"note": "<b>x</b>"})
    page = signed_in(user).get("/account/security/").content.decode()
    assert f"Panel for {user.email}: &lt;b&gt;x&lt;/b&gt;" in page


def test_a_panel_with_nothing_to_show_is_left_out(registered, test_templates, signed_in, owner, shop):
    registered("dashboard", template="tests/panel.html", context=lambda request: None)
    page = signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()
    assert "data-test-panel" not in page


def test_panels_come_in_their_order(registered):
    registered("dashboard", template="b.html", context=lambda request: {}, order=2)
    registered("dashboard", template="a.html", context=lambda request: {}, order=1)
    assert [name for name, _ in panels.panels_for("dashboard", None)] == ["a.html", "b.html"]
