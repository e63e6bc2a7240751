from django.urls import path

from recovery import api

urlpatterns = [
    path("recovery/cases", api.CaseRequestView.as_view(), name="recovery-cases"),
    path("recovery/cases/<reference>/status", api.CaseStatusView.as_view(), name="recovery-case-status"),
    path(
        "recovery/cases/<reference>/documents",
        api.CaseDocumentView.as_view(),
        name="recovery-case-documents",
    ),
]
