"""Every word a person reads in a template is marked for translation.

The scan reads each template's source, drops what Django renders from elsewhere (variables, tags,
comments) and what is already inside `{% translate %}` / `{% blocktranslate %}`, then parses the
rest as HTML: any text node, or human-facing attribute (placeholder, aria-label, title, alt,
data-label, the value of a button), that still holds a letter is untranslated text and is listed as
file:line. A filter's literal text argument (`|default:"none"`) counts too. E-mail templates (.txt)
are plain text: every leftover letter counts. Data shown as it is (a URL, a path, an e-mail address,
the content of <code>) is not text to translate.
"""

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.template.base import DebugLexer, TokenType

LETTER = re.compile(r"[^\W\d_]")
# Attributes a person reads or hears (screen readers read aria-label and alt; the stylesheet shows
# data-label before each cell of a stacked table on small screens).
HUMAN_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "data-label"}
# Filters whose string argument ends up on the page: `|default:_("Unknown device")` translates it.
TEXT_FILTER_ARGUMENT = re.compile(r"\|(?:default|default_if_none|yesno|join):(?P<q>[\"'])(?P<text>.*?)(?P=q)")
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
# Elements whose content is data, never prose: scripts, styles, and codes shown as they are
# (account numbers, SKUs, URLs, secrets).
RAW_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
# Blocks whose content is markup or a CSS class, not text on the page.
NON_TEXT_BLOCKS = {"body_class", "head", "scripts"}
# Tags whose whole body is skipped: translated text, comments, verbatim markup.
SKIPPED_BODIES = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}
# Data shown as it is in every language: a path, a URL or an e-mail address on its own. Names
# and sentences are translated, the brand included.
DATA = re.compile(r"/[\w./-]*|https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+")


def template_files() -> list[Path]:
    """The product's templates: settings.TEMPLATES DIRS plus each project app's templates/."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(d) for config in settings.TEMPLATES for d in config.get("DIRS", [])]
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(base / ".venv"):
            roots.append(path / "templates")
    files = set()
    for root in roots:
        if root.is_dir():
            files.update(p for p in root.rglob("*") if p.suffix in (".html", ".txt") and p.is_file())
    return sorted(files)


def strip_django(source: str, *, html: bool = True) -> str:
    """The template source with everything Django renders from elsewhere removed.

    Variables, tags and comments are dropped, and so are the bodies of blocktranslate, comment,
    verbatim and non-text blocks; a literal argument of a filter that shows text (`|default:"…"`)
    stays, as text. Newlines are kept so that line numbers still match the source.
    """
    out = []
    skip_until = None
    for token in DebugLexer(source).tokenize():
        raw = source[token.position[0] : token.position[1]]
        words = token.contents.split() if token.token_type == TokenType.BLOCK else []
        if skip_until is not None:
            out.append("\n" * raw.count("\n"))
            if words and words[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(raw)
            continue
        # A filter's literal argument shown on the page counts as text on the tag's line.
        shown = " ".join(m.group("text") for m in TEXT_FILTER_ARGUMENT.finditer(token.contents))
        out.append(("<i>" + shown + "</i>" if html else shown) if LETTER.search(shown) else "")
        out.append("\n" * raw.count("\n"))
        if words and words[0] in SKIPPED_BODIES:
            skip_until = SKIPPED_BODIES[words[0]]
        elif words[:1] == ["block"] and len(words) > 1 and words[1] in NON_TEXT_BLOCKS:
            skip_until = "endblock"
    return "".join(out)


def is_untranslated(text: str) -> bool:
    text = " ".join(text.split())
    return bool(LETTER.search(text)) and not DATA.fullmatch(text)


class _TextFinder(HTMLParser):
    """Collects (line, text) for every text node and human attribute that still holds letters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.raw_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in RAW_ELEMENTS:
            self.raw_depth += 1
        values = dict(attrs)
        for name, value in attrs:
            human = name in HUMAN_ATTRIBUTES or (
                name == "value"
                and (tag == "button" or (tag == "input" and (values.get("type") or "") in BUTTON_INPUT_TYPES))
            )
            if human and value and is_untranslated(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in RAW_ELEMENTS:
            self.raw_depth -= 1

    def handle_endtag(self, tag):
        if tag in RAW_ELEMENTS and self.raw_depth:
            self.raw_depth -= 1

    def handle_data(self, data):
        if self.raw_depth or not is_untranslated(data):
            return
        line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self.found.append((line, " ".join(data.split())))


def untranslated_text(source: str, *, html: bool) -> list[tuple[int, str]]:
    """(line, text) of each piece of visible text in `source` outside translate tags."""
    stripped = strip_django(source, html=html)
    if not html:
        return [
            (number, line.strip())
            for number, line in enumerate(stripped.splitlines(), start=1)
            if is_untranslated(line)
        ]
    finder = _TextFinder()
    finder.feed(stripped)
    finder.close()
    return finder.found


def test_the_scan_finds_the_templates():
    names = {p.relative_to(settings.BASE_DIR).as_posix() for p in template_files()}
    assert "templates/base.html" in names
    assert "templates/email/invitation.txt" in names
    assert len(names) > 100


@pytest.mark.parametrize(
    ("source", "html", "expected"),
    [
        ("{% load i18n %}<p>Hello</p>", True, [(1, "Hello")]),
        ('<input type="submit" value="Save">', True, [(1, 'value="Save"')]),
        ('<input placeholder="{% translate "Name" %}">\n<a title="Open it">', True, [(2, 'title="Open it"')]),
        ("<p>{% translate 'Hello' %} {{ user.name }}</p>", True, []),
        ("<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>", True, []),
        ("<h1>\n  {{ shop.name }}: orders</h1>", True, [(2, ": orders")]),
        ("{% if x %}<b>Yes</b>{% endif %}{# note #}<code>ABC-1</code>", True, [(1, "Yes")]),
        ('<a href="/recover/">/recover/</a> <a>support@example.com</a>', True, []),
        (
            '<td data-label="Device">{{ d|default:"Unknown" }}</td>',
            True,
            [(1, 'data-label="Device"'), (1, "Unknown")],
        ),
        ('<td>{{ d|default:_("Unknown") }} {{ t|date:"j M Y" }} {{ r|join:", " }}</td>', True, []),
        (
            '{% blocktranslate with r=reasons|join:" and " %}{{ r }}{% endblocktranslate %}',
            False,
            [(1, "and")],
        ),
        ('<input type="hidden" name="next" value="next">', True, []),
        ("{% block body_class %}auth-page{% endblock %}", True, []),
        ("{% block subject %}Hello{% endblock %}\n{{ url }}\n\nBye", False, [(1, "Hello"), (4, "Bye")]),
        ("{% blocktranslate %}Hello\n{{ url }}{% endblocktranslate %}\n{{ url }}", False, []),
    ],
)
def test_the_scan_flags_untranslated_text(source, html, expected):
    assert untranslated_text(source, html=html) == expected


def test_every_template_marks_its_text_for_translation():
    problems = []
    for path in template_files():
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(settings.BASE_DIR).as_posix()
        for line, text in untranslated_text(source, html=path.suffix == ".html"):
            problems.append(f"{name}:{line}: {text}")
        if not re.search(r"{%\s*(translate|trans|blocktranslate|blocktrans)\b", source):
            continue
        if not re.search(r"{%\s*load\s[^%]*\bi18n\b", source):
            problems.append(f"{name}: uses translate tags without {{% load i18n %}}")
    assert not problems, "Text not marked for translation:\n" + "\n".join(problems)


def _xgettext_or_skip():
    if shutil.which("xgettext") and shutil.which("msguniq"):
        return
    message = "GNU gettext (xgettext, msguniq) is not installed"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + ": .ci/run installs the gettext package.")
    pytest.skip(message)


def test_makemessages_collects_the_template_strings(tmp_path, settings):
    _xgettext_or_skip()
    shutil.copytree(Path(settings.BASE_DIR) / "templates", tmp_path / "templates")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["xx"], verbosity=0)
    finally:
        os.chdir(cwd)
    catalog = (tmp_path / "locale" / "xx" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    catalog = catalog.replace('"\n"', "")  # join the lines xgettext wraps long strings over
    for msgid in (
        # base.html, a page, an attribute, an e-mail
        'msgid "Seller Center"',
        'msgid "Account Security"',
        'msgid "Two-step verification"',
        'msgid "Breadcrumb"',
        'msgid "Unknown device"',  # a filter's argument: |default:_("Unknown device")
        'msgid "Your Seller Center account is frozen"',
        # a sentence with a variable, and a counted phrase with its plural
        'msgid "With %(buyer_name)s"',
        'msgid "Set up a <a href=\\"%(payout_account_url)s\\">payout account</a> first."',
        'msgid "%(failures)s wrong password was entered',
        'msgid_plural "%(failures)s wrong passwords were entered',
    ):
        assert msgid in catalog, msgid
    assert catalog.count("msgid ") > 500
