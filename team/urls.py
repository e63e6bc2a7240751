from django.urls import path

from team.views import joining, members, settings

app_name = "team"

urlpatterns = [
    # Becoming a seller, joining and leaving.
    path("signup/", joining.signup, name="signup"),
    path("signup/sent/", joining.signup_sent, name="signup-sent"),
    path("signup/confirm/", joining.signup_confirm, name="signup-confirm"),
    path("invitations/accept/", joining.accept_invitation, name="invitation-accept"),
    path("shops/new/", joining.open_shop, name="shop-create"),
    path("shop/<slug:slug>/leave/", joining.leave, name="leave"),
    # User Management.
    path("shop/<slug:slug>/users/", members.members, name="members"),
    path("shop/<slug:slug>/users/add/", members.invite, name="invite"),
    path("shop/<slug:slug>/users/invitations/", members.invitation_list, name="invitations"),
    path("shop/<slug:slug>/users/remind/", members.member_remind, name="members-remind"),
    path("shop/<slug:slug>/users/settings/", settings.member_settings, name="settings"),
    path("shop/<slug:slug>/users/<int:member_id>/", members.member, name="member"),
    path("shop/<slug:slug>/users/<int:member_id>/remove/", members.member_remove, name="member-remove"),
    path(
        "shop/<slug:slug>/users/<int:member_id>/reset-two-step/",
        members.member_reset_two_step,
        name="member-reset-two-step",
    ),
    path("shop/<slug:slug>/users/<int:member_id>/remind/", members.member_remind, name="member-remind"),
    path(
        "shop/<slug:slug>/users/invitations/<int:invitation_id>/resend/",
        members.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "shop/<slug:slug>/users/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation-revoke",
    ),
    path("shop/<slug:slug>/settings/two-step/", settings.shop_two_step, name="shop-two-step"),
]
