"""Staff filter only by declared filters and never by a hidden field, in every ModelAdmin; a NUL
character in a filter, a search or a form is a 400 (SPEC §6a: masked everywhere, filters and search
included; §10: never a 500)."""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.urls import reverse

from sellercenter.admin import SellerCenterAdminSite
from sellercenter.admin_filters import DeclaredFiltersOnly, hidden_field_errors, shown_fields
from tests.factories import PayoutAccountFactory

pytestmark = pytest.mark.django_db


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def staff(fully_signed_in, staff_user):
    return fully_signed_in(staff_user)


def declared_parameters(staff, model) -> set[str]:
    """What the change list's own filters read from the query string (each filter shows once the
    database has rows to tell apart: the test's two shops)."""
    page = staff.get(changelist(model))
    assert page.status_code == 200, model
    params = set()
    for spec in page.context["cl"].filter_specs:
        params |= set(spec.expected_parameters())
    return params


def hierarchy_parameters(model_admin) -> set[str]:
    field = model_admin.date_hierarchy
    return {f"{field}__{part}" for part in ("year", "month", "day")} if field else set()


def undeclared_lookups(model, declared: set[str]) -> list[str]:
    """Lookups on every concrete field, and one hop through each foreign key, that no filter declares."""
    lookups = []
    for field in model._meta.concrete_fields:
        for name in {field.name, field.attname}:
            lookups += [name, f"{name}__startswith", f"{name}__isnull", f"{name}__gt"]
        if field.is_relation:
            for target in field.related_model._meta.concrete_fields:
                lookups.append(f"{field.name}__{target.name}__startswith")
    return [lookup for lookup in dict.fromkeys(lookups) if lookup not in declared]


def test_every_registered_model_admin_takes_the_declared_filters_rule():
    assert isinstance(admin.site, SellerCenterAdminSite)
    assert len(admin.site._registry) >= 10
    for model, model_admin in registered():
        assert isinstance(model_admin, DeclaredFiltersOnly), model


def test_no_registered_model_admin_searches_or_filters_by_a_hidden_field():
    assert hidden_field_errors(admin.site) == []
    assert not [e for e in admin.site.check(None) if e.id == "sellercenter.E001"]


def test_an_admin_that_searched_a_hidden_field_is_refused_by_the_system_check():
    from commerce.models import PayoutAccount

    class LeakyPayoutAdmin(admin.ModelAdmin):
        fields = ["shop", "bank_name"]
        search_fields = ["sealed_number"]
        list_filter = ["fingerprint"]

    site = AdminSite()
    site.register(PayoutAccount, LeakyPayoutAdmin)
    errors = hidden_field_errors(site)
    assert {e.id for e in errors} == {"sellercenter.E001"}
    assert len(errors) == 2 and "commerce.PayoutAccount.sealed_number" in errors[0].msg


def test_hidden_fields_are_the_ones_no_admin_page_shows():
    from accounts.models import User
    from commerce.models import PayoutAccount

    for sealed in ("sealed_number", "fingerprint", "routing_code"):
        assert sealed not in shown_fields(admin.site._registry[PayoutAccount])
    assert "anti_phishing_phrase" not in shown_fields(admin.site._registry[User])
    assert "password" not in shown_fields(admin.site._registry[User])
    assert "email" in shown_fields(admin.site._registry[User])


@pytest.mark.parametrize(("model", "model_admin"), registered(), ids=lambda v: getattr(v, "__name__", ""))
def test_every_change_list_refuses_undeclared_filters_and_keeps_the_declared_ones(
    staff, shop, other_shop, model, model_admin
):
    declared = declared_parameters(staff, model)
    url = changelist(model)
    for lookup in undeclared_lookups(model, declared | hierarchy_parameters(model_admin)):
        response = staff.get(url, {lookup: "0"})
        assert response.status_code == 400, (model, lookup, response.status_code)
    if model_admin.date_hierarchy:
        day = {
            f"{model_admin.date_hierarchy}__{part}": n
            for part, n in (("year", 2026), ("month", 1), ("day", 2))
        }
        assert staff.get(url, day).status_code == 200
        # Alone, a month means nothing to the date hierarchy: it is no declared filter.
        assert staff.get(url, {f"{model_admin.date_hierarchy}__month": "1"}).status_code == 400
    for parameter in declared:
        response = staff.get(url, {parameter: "1"})
        assert response.status_code in (200, 302), (model, parameter, response.status_code)
        nul = staff.get(url, {parameter: "a\x00b"})
        assert nul.status_code == 400, (model, parameter)
    assert staff.get(url, {"q": "a\x00b"}).status_code == 400
    assert staff.get(url, {"a\x00": "1"}).status_code == 400


def test_the_reported_filters_on_payout_numbers_and_phrases_are_refused(staff, user):
    PayoutAccountFactory(account_number="004912345678")
    user.anti_phishing_phrase = "purple otter"
    user.save()
    assert (
        staff.get("/admin/commerce/payoutaccount/", {"account_number__startswith": "004"}).status_code == 400
    )
    assert staff.get("/admin/commerce/payoutaccount/", {"account_number": "004912345678"}).status_code == 400
    assert staff.get("/admin/accounts/user/", {"anti_phishing_phrase__startswith": "p"}).status_code == 400
    assert staff.get("/admin/accounts/user/", {"first_name": "a\x00b"}).status_code == 400
    # The search boxes do not reach them either.
    by_number = staff.get("/admin/commerce/payoutaccount/", {"q": "0049"})
    assert by_number.status_code == 200 and by_number.context["cl"].result_count == 0
    by_phrase = staff.get("/admin/accounts/user/", {"q": "purple"})
    assert by_phrase.status_code == 200 and by_phrase.context["cl"].result_count == 0


def test_a_nul_in_an_admin_form_is_a_400_too(staff, user):
    response = staff.post(f"/admin/accounts/user/{user.pk}/change/", {"email": "a\x00b@example.com"})
    assert response.status_code == 400
