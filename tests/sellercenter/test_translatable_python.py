"""The texts that the Python code shows to sellers, owners and support agents are marked for translation.

`manage.py makemessages` (xgettext) builds a message catalog from the Python sources into a temporary
directory; a text that reaches people but is not wrapped in gettext/gettext_lazy/ngettext is missing
from it. The checks pick a known text from each area (password rules, the registry, API errors, event
sentences, error pages, admin actions, check-up items, messages, forms, models) and take the registry's
and the security log's labels from the code itself, so that a new role, module, action or event kind
whose label is not marked fails here.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from audit.models import EventKind
from permissions.registry import ACTIONS, AREAS, ROLES

XGETTEXT = shutil.which("xgettext")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> dict[str, str | None]:
    """msgid -> msgid_plural (None for a text without plural) of the Python sources' catalog."""
    if XGETTEXT is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing: install the gettext package")
        pytest.skip("xgettext is missing (the gettext package)")
    locale_dir = tmp_path_factory.mktemp("locale")
    cwd = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        with _locale_paths(locale_dir):
            call_command(
                "makemessages",
                locale=["xx"],
                domain="django",
                extensions=["py"],
                ignore_patterns=["tests/*", "bench/*", "static/*", "templates/*", "var/*", "*/migrations/*"],
                no_wrap=True,
                no_location=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    return _parse(Path(locale_dir) / "xx" / "LC_MESSAGES" / "django.po")


class _locale_paths:
    """settings.LOCALE_PATHS pointing at one directory, where makemessages writes the catalog."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self.saved = settings.LOCALE_PATHS
        settings.LOCALE_PATHS = [str(self.path)]

    def __exit__(self, *exc):
        settings.LOCALE_PATHS = self.saved


def _unquote(text: str) -> str:
    """A PO string's text: its escapes (\\", \\\\, \\n, \\t) undone."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _parse(path: Path) -> dict[str, str | None]:
    entries: dict[str, str | None] = {}
    msgid = plural = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid, plural = _unquote(line[7:-1]), None
        elif line.startswith("msgid_plural "):
            plural = _unquote(line[14:-1])
        elif line.startswith("msgstr") and msgid:
            entries[msgid] = plural
            msgid = None
    return entries


KNOWN = {
    "a password rule": "Add at least one letter.",
    "a password rule with a number": "Use at least %(minimum)d characters (this one has %(length)d).",
    "a password rule's help text": "Not one of your last %(count)d passwords.",
    "a role name": "Finance specialist",
    "a module name": "Customer Service",
    "an API error detail": "Some fields are missing or invalid.",
    "an API refusal": "Your roles in this shop do not include %(grant)s.",
    "an event sentence": "Signed in with the password and %(method)s.",
    "an error page": "We cannot find that page",
    "an error page's advice": "Check the address if you typed it.",
    "an admin action": "Suspend in an emergency (asks for a reason)",
    "an admin action's message": "Suspended %(count)d membership(s); their owners were e-mailed.",
    "a check-up item": "Turn on two-step verification",
    "a message after a change": "Your details are saved.",
    "a form label": "Shop name",
    "a model's choice": "Waiting for review",
    "a recovery case's next step": "Support found nothing wrong and unfroze the account.",
    "a link's refusal": "This link has expired. Ask for a new one.",
}


@pytest.mark.parametrize("area", sorted(KNOWN))
def test_each_area_has_its_texts_in_the_catalog(catalog, area):
    assert KNOWN[area] in catalog, f"{area} is not marked for translation: {KNOWN[area]!r}"


def test_counts_are_plural_forms(catalog):
    assert catalog["Signed out %(count)d other session."] == "Signed out %(count)d other sessions."
    assert catalog["%(count)s other session ended."] == "%(count)s other sessions ended."
    assert catalog["Only %(count)s recovery code left"] == "Only %(count)s recovery codes left"


def test_every_registry_label_is_in_the_catalog(catalog):
    labels = {str(role.label) for role in ROLES.values()}
    labels |= {str(area.label) for area in AREAS} | {str(area.description) for area in AREAS}
    labels |= {str(action.label) for action in ACTIONS.values()}
    missing = sorted(label for label in labels if label not in catalog)
    assert not missing, f"registry labels not marked for translation: {missing}"


def test_every_event_kind_label_is_in_the_catalog(catalog):
    missing = sorted(str(kind.label) for kind in EventKind if str(kind.label) not in catalog)
    assert not missing, f"event kinds' labels not marked for translation: {missing}"


def test_placeholders_are_named(catalog):
    """A translator reorders words: every placeholder has a name, and none is an f-string's field."""
    positional = [msgid for msgid in catalog if re.search(r"%[sdf]", msgid.replace("%%", ""))]
    braces = [msgid for msgid in catalog if re.search(r"\{\w*\}", msgid)]
    assert not positional, positional
    assert not braces, braces
