"""Template tags of the team pages, written for long lists: each is cheap per row."""

from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from permissions.registry import ROLES, Grant

register = template.Library()


@register.filter
def short_datetime(value) -> str:
    """ "5 Mar 2026, 14:07" in the current time zone, or "" for None. A fraction of the cost of
    |date on a page that shows a hundred of them."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%b %Y, %H:%M}"


@cache
def _roles_table(language: str | None) -> str:
    roles = [(role, [grant for grant in Grant if grant in role.grants]) for role in ROLES.values()]
    return render_to_string("team/partials/roles_table.html", {"roles": roles})


@register.simple_tag
def roles_table() -> str:
    """What each role can do, from the registry. It cannot change while the process runs, so it is
    rendered once per language."""
    return _roles_table(get_language())


# The rows of the two long lists of User Management are built here, as Django's admin builds its
# change list's rows, rather than through template tags per cell: at 50 rows a page, that is most of
# the page's time. Every value from the database goes through escape().


def _words() -> dict[str, str]:
    """The fixed words of the rows, in the active language, escaped once per table."""
    words = {
        "active": _("Active"),
        "suspended": _("Suspended"),
        "on": _("On"),
        "off": _("Off"),
        "you": _("(you)"),
        "expired": _("Expired"),
        "never": _("Never"),
        "manage": _("Manage"),
        "remind": _("Remind to enrol"),
        "send_again": _("Send again"),
        "revoke": _("Revoke"),
        "to": _("to %(email)s"),
        "invitation_to": _("the invitation to %(email)s"),
    }
    words = {key: escape(text) if "%(" not in text else text for key, text in words.items()}
    for key, kind in (
        ("active", "ok"),
        ("suspended", "bad"),
        ("on", "ok"),
        ("off", "bad"),
        ("expired", "bad"),
    ):
        words[key] = f'<span class="badge {kind}">{words[key]}</span>'
    words["you"] = f' <span class="small muted">{words["you"]}</span>'
    return words


def _badges(roles) -> str:
    return "".join(
        f'<span class="badge">{escape(str(ROLES[name].label))}</span>' for name in roles if name in ROLES
    )


def _hidden(text: str) -> str:
    return f'<span class="visually-hidden"> {text}</span>'


def _member_actions(member, users_url: str, email: str, words: dict[str, str]) -> str:
    if member.is_owner:
        return ""
    actions = f'<a href="{users_url}{member.id}/">{words["manage"]}{_hidden(email)}</a>'
    if not member.has_two_step:
        actions += (
            f' <button type="submit" form="remind-form" name="member" value="{member.id}" '
            'class="link-button">'
            f"{words['remind']}{_hidden(email)}</button>"
        )
    return actions


@register.simple_tag(takes_context=True)
def member_rows(context, members, users_url: str) -> str:
    """The <tr> of each member (accounts.selectors.MemberRow): e-mail, name, roles, status,
    two-step, last sign-in, actions."""
    you = context["user"].pk
    words = _words()
    rows = []
    for member in members:
        email = escape(member.email)
        rows.append(
            f"<tr><td>{email}{words['you'] if member.user_id == you else ''}</td>"
            f"<td>{escape(member.first_name)} {escape(member.last_name)}</td>"
            f"<td>{_badges(member.role_names)}</td>"
            f"<td>{words['active'] if member.is_active else words['suspended']}</td>"
            f"<td>{words['on'] if member.has_two_step else words['off']}</td>"
            f"<td>{short_datetime(member.last_sign_in) or words['never']}</td>"
            f'<td class="actions">{_member_actions(member, users_url, email, words)}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - each value above is escaped


@register.simple_tag
def invitation_rows(invitations, users_url: str) -> str:
    """The <tr> of each pending invitation: e-mail, roles, sent, valid until, actions."""
    words = _words()
    rows = []
    now = timezone.now()
    for invitation in invitations:
        email = escape(invitation.email)
        base = f"{users_url}invitations/{invitation.pk}/"
        until = words["expired"] if invitation.expires <= now else short_datetime(invitation.expires)
        rows.append(
            f"<tr><td>{email}</td>"
            f"<td>{_badges(invitation.roles)}</td>"
            f"<td>{short_datetime(invitation.sent_at)}</td>"
            f"<td>{until}</td>"
            f'<td class="actions"><a href="{base}resend/">{words["send_again"]}'
            f"{_hidden(escape(words['to'] % {'email': invitation.email}))}</a> "
            f'<a href="{base}revoke/">{words["revoke"]}'
            f"{_hidden(escape(words['invitation_to'] % {'email': invitation.email}))}</a></td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - each value above is escaped
