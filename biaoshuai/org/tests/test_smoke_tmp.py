from django.urls import reverse

from biaoshuai.core.testing import login


def test_pages_render(client, users, org):
    login(client, users.office)
    for name, args in [
        ("org:unit_list", []),
        ("org:unit_detail", [org.lishi.pk]),
        ("org:unit_create", []),
        ("org:unit_edit", [org.lishi.pk]),
        ("org:person_list", []),
        ("org:person_detail", [org.people["lishi_a"].pk]),
        ("org:person_create", []),
        ("org:person_edit", [org.people["lishi_a"].pk]),
        ("org:roster_import", []),
        ("org:roster_template", []),
        ("org:person_export", []),
        ("org:user_list", []),
        ("org:user_detail", [users.office.pk]),
    ]:
        r = client.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.status_code)
    login(client, users.sysadmin)
    for name, args in [
        ("org:user_create", []),
        ("org:role_assign", [users.office.pk]),
        ("org:user_list", []),
    ]:
        r = client.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.status_code)
    login(client, users.liaison_lishi)
    r = client.get(reverse("org:person_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in r.content.decode()
    assert "王建国" in r.content.decode()
