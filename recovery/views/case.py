"""The page the upload link opens: where the case stands, what happens next, and the upload form.

Opening the link lets this browser read the case's status for a day, even once the link's five
uses are spent; sending a file needs the live link.
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.events import RequestContext
from notifications import links
from recovery.documents import DocumentRefused
from recovery.forms import DocumentForm
from recovery.models import CaseDocument, RecoveryCase
from recovery.selectors import next_step
from recovery.services import documents, notices
from recovery.services.errors import CaseRefused
from recovery.uploads import plain_name_uploads

VIEWING_SESSION_KEY = "recovery_case"
VIEWING_LIFETIME = timedelta(days=1)


def _held_link(request):
    try:
        return links.held(request, notices.UPLOAD_PURPOSE)
    except links.LinkInvalid:
        return None


def _viewed_case(request, link) -> RecoveryCase | None:
    if link is not None:
        case = documents.case_of_link(link)
        until = timezone.now() + VIEWING_LIFETIME
        request.session[VIEWING_SESSION_KEY] = {"case": case.pk, "until": until.timestamp()}
        return case
    viewing = request.session.get(VIEWING_SESSION_KEY) or {}
    if viewing.get("until", 0) < timezone.now().timestamp():
        return None
    return RecoveryCase.objects.filter(pk=viewing.get("case")).first()


def _render(request, *, form=None, error="", status=200):
    link = _held_link(request)
    case = _viewed_case(request, link)
    if case is None:
        return render(request, "recovery/case_unavailable.html", status=400 if status == 200 else status)
    uploads_left = link.uses_left if link is not None and case.accepts_documents else 0
    context = {
        "case": case,
        "next_step": next_step(case),
        "documents": CaseDocument.objects.filter(case=case, round=case.documents_round),
        "uploads_left": uploads_left,
        "form": form or DocumentForm(),
        "error": error,
    }
    return render(request, "recovery/case.html", context, status=status)


def _refused(request, message, status):
    return _render(request, error=message, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@plain_name_uploads(_refused)
def case_page(request):
    link = _held_link(request)
    _viewed_case(request, link)
    if request.method == "GET":
        return _render(request)
    if link is None:
        return _render(
            request,
            error=_(
                "This upload link was used up, has expired or was replaced. Ask for a new one on the "
                "status page."
            ),
            status=410,
        )
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form=form, status=400)
    try:
        document = documents.add_document(
            documents.case_of_link(link),
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            context=RequestContext.from_request(request),
            link=link,
        )
    except DocumentRefused as refused:
        return _render(request, form=form, error=refused.message, status=refused.status)
    except CaseRefused as refused:
        return _render(request, form=form, error=refused.message, status=refused.status)
    except links.LinkInvalid as invalid:
        return _render(request, form=form, error=invalid.message, status=invalid.status)
    messages.success(
        request,
        _("We received “%(name)s” (%(kind)s).")
        % {"name": document.name, "kind": document.get_kind_display().lower()},
    )
    return redirect("recovery:case")
