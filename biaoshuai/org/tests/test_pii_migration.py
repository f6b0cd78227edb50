"""Upgrading a database with plain phones and e-mail: migrations 0005–0007 encrypt them
with SM4 and fill the blind indexes; going back writes them plain again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from biaoshuai.core.fields import blind_index
from biaoshuai.core.testing import migrate_latest
from biaoshuai.org.models import Person

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("org", "0004_role_post_title")]
AFTER = [("org", "0007_person_encrypted_fields")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def column(pk, name):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM org_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_existing_rows_are_encrypted_and_decrypted_back():
    try:
        apps = migrate(BEFORE)
        unit = apps.get_model("org", "Unit").objects.create(
            name="老单位", kind="township", path="00000001/"
        )
        old = apps.get_model("org", "Person").objects.create(
            unit=unit, name="老干部", phone="13512345678", email="old@example.cn"
        )
        empty = apps.get_model("org", "Person").objects.create(unit=unit, name="无电话")
        migrate(AFTER)
        assert column(old.pk, "phone").startswith("sm4gcm$")
        assert "12345678" not in column(old.pk, "phone")
        assert "example" not in column(old.pk, "email")
        assert column(empty.pk, "phone") == ""
        person = Person.objects.get(phone_index=blind_index("13512345678", kind="phone"))
        assert (person.pk, person.phone, person.email) == (
            old.pk,
            "13512345678",
            "old@example.cn",
        )
        assert Person.objects.get(email_index=blind_index("OLD@example.cn", kind="email")) == person
        migrate(BEFORE)
        assert (column(old.pk, "phone"), column(old.pk, "email")) == (
            "13512345678",
            "old@example.cn",
        )
    finally:
        migrate_latest()
