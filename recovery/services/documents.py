"""Documents the person sends through the case's upload link (SPEC §8 step 3)."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import RequestContext
from notifications import links
from recovery import rules
from recovery.documents import check_document
from recovery.models import CaseDocument, CaseStep, DocumentKind, RecoveryCase
from recovery.services import notices
from recovery.services.cases import lock_case
from recovery.services.errors import CaseRefused
from recovery.services.timeline import CONTACT, record_step


def case_of_link(link) -> RecoveryCase:
    """The case an upload (or other recovery) link was issued for."""
    _, _, pk = link.subject.partition(":")
    return RecoveryCase.objects.select_related("user").get(pk=int(pk))


def add_document(
    case: RecoveryCase, *, kind: str, upload, context: RequestContext, link=None
) -> CaseDocument:
    """Check the file by its content, then store it privately for the case and spend one use of the
    upload link (when given), all or nothing.

    Raises DocumentRefused (recovery.documents) for a file that is not a clean PDF, JPEG or PNG of at
    most 10 MB, CaseRefused when the case takes no documents now or its round is full, LinkInvalid
    when another request used the link up first. Nothing is stored and no use is spent on a refusal.
    """
    kind = DocumentKind(kind)
    # Decoding and re-encoding can take a moment: done before any lock is taken.
    checked = check_document(upload)
    stored = []
    try:
        with transaction.atomic():
            if link is not None:
                links.spend(link)
            case = lock_case(case.pk)
            if not case.accepts_documents:
                raise CaseRefused(
                    _("This case takes no documents now (%(status)s).")
                    % {"status": case.get_status_display().lower()},
                    code="case_closed_for_documents",
                )
            if case.documents_in_round >= rules.FILES_PER_ROUND:
                raise CaseRefused(
                    _(
                        "You have sent %(count)d files, the most one round takes. Support will "
                        "e-mail you if they need more."
                    )
                    % {"count": rules.FILES_PER_ROUND},
                    code="round_full",
                )
            first_of_round = case.documents_in_round == 0
            document = CaseDocument(
                case=case,
                round=case.documents_round,
                kind=kind,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            document.file.save("upload", ContentFile(checked.content), save=False)
            stored.append(document.file.name)
            document.save()
            case.receive_document()
            case.save()
            record_step(
                case,
                CaseStep.Kind.DOCUMENT_RECEIVED,
                actor=CONTACT,
                context=context,
                document=document.pk,
                kind=kind.value,
                name=document.name,
                round=case.documents_round,
            )
            if first_of_round:
                notices.notify(case, "documents_received", kind=str(kind.label), name=document.name)
    except BaseException:
        # Nothing half-written: a file whose row did not commit is deleted.
        for name in stored:
            CaseDocument.file.field.storage.delete(name)
        raise
    return document


def purge_files(case: RecoveryCase) -> int:
    """Delete the files of the case's documents (the rows stay for the timeline); returns how many."""
    purged = 0
    for document in case.documents.filter(purged_at__isnull=True):
        if document.file:
            document.file.delete(save=False)
        document.purged_at = timezone.now()
        document.save(update_fields=["file", "purged_at"])
        purged += 1
    return purged
