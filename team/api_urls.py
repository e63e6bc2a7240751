from django.urls import path

from team import api

urlpatterns = [
    path("shops", api.ShopsView.as_view(), name="shops"),
    path("shops/<slug:slug>/members", api.MembersView.as_view(), name="team-members"),
    path("shops/<slug:slug>/members/<int:member_id>", api.MemberView.as_view(), name="team-member"),
    path(
        "shops/<slug:slug>/members/<int:member_id>/reset-two-step",
        api.MemberResetTwoStepView.as_view(),
        name="team-member-reset-two-step",
    ),
    path(
        "shops/<slug:slug>/members/<int:member_id>/remind",
        api.MemberRemindView.as_view(),
        name="team-member-remind",
    ),
    path("shops/<slug:slug>/invitations", api.InvitationsView.as_view(), name="team-invitations"),
    path(
        "shops/<slug:slug>/invitations/<int:invitation_id>",
        api.InvitationView.as_view(),
        name="team-invitation",
    ),
    path(
        "shops/<slug:slug>/invitations/<int:invitation_id>/resend",
        api.InvitationResendView.as_view(),
        name="team-invitation-resend",
    ),
    path("shops/<slug:slug>/settings", api.MemberSettingsView.as_view(), name="team-settings"),
    path("shops/<slug:slug>/membership", api.MembershipView.as_view(), name="team-membership"),
    path("invitations/accept", api.AcceptInvitationView.as_view(), name="invitation-accept"),
]
