"""Personal data at rest: SM4-GCM in the column, plain in Python, blind indexes to match."""

import datetime

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from biaoshuai.audit.models import AuditEvent
from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.fields import (
    PIIKeyError,
    blind_index,
    decrypt,
    encrypt,
    is_encrypted,
    key_id,
    stored_key_id,
)
from biaoshuai.core.testing import migrate_latest
from biaoshuai.opinions.models import MailboxMessage, Opinion
from biaoshuai.opinions.services import opinion_submit
from biaoshuai.org.models import Person
from biaoshuai.org.services import person_create, person_update

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = "ffeeddccbbaa99887766554433221100"


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_column_holds_no_plain_phone_or_email(org):
    person = person_create(
        by=None, unit=org.lishi, name="赵敏", phone="13512345678", email="ZhaoMin@Example.cn"
    )
    stored_phone, stored_email = (
        raw("org_person", "phone", person.pk),
        raw("org_person", "email", person.pk),
    )
    for stored, plain in [(stored_phone, "13512345678"), (stored_email, "ZhaoMin@Example.cn")]:
        assert stored.startswith("sm4gcm$") and plain not in stored
        assert "12345678" not in stored and "zhaomin" not in stored.lower()
    # The same value encrypts differently each time: the column says nothing by itself.
    other = person_create(by=None, unit=org.lishi, name="赵敏", phone="13512345678")
    assert raw("org_person", "phone", other.pk) != stored_phone
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.email) == ("13512345678", "ZhaoMin@Example.cn")
    assert fresh.masked_phone == "135****5678"
    # The blind index matches whatever way the number or address is written.
    assert set(Person.objects.filter(phone_index=blind_index("135-1234 5678", kind="phone"))) == {
        person,
        other,
    }
    assert (
        Person.objects.get(email_index=blind_index(" zhaomin@example.CN", kind="email")) == person
    )
    # An empty value stays empty, so "not given" can still be filtered on.
    assert raw("org_person", "email", other.pk) == ""
    assert Person.objects.filter(email="").count() == Person.objects.count() - 1


def test_update_fields_saves_the_index_too_and_the_audit_log_masks(org):
    person = org.people["lishi_a"]
    person_update(person=person, by=None, phone="13900009999")
    assert Person.objects.get(phone_index=blind_index("13900009999", kind="phone")) == person
    assert not Person.objects.filter(phone_index=blind_index("13812341234", kind="phone"))
    event = AuditEvent.objects.filter(object_type="org.person", action="update").latest("id")
    before, after = event.changes["phone"]
    assert before.startswith("138****1234 #") and after.startswith("139****9999 #")
    assert "13900009999" not in str(event.changes)


def test_searching_the_encrypted_column_is_refused(org):
    for lookup in ["phone__icontains", "phone__startswith", "phone__in"]:
        with pytest.raises(FieldError, match="stored encrypted"):
            Person.objects.filter(**{lookup: "138"}).count()
    with pytest.raises(FieldError, match="blind index"):
        Person.objects.filter(phone="13812341234").count()
    assert Person.objects.exclude(phone="").count() == 4


def test_opinion_and_mailbox_contacts_are_encrypted(db):
    campaign = campaign_create_from_template(
        template_key="jiangdangxing", starts_on=datetime.date(2026, 11, 1), by=None
    )
    opinion, _ = opinion_submit(
        campaign=campaign,
        content="窗口无人",
        is_anonymous=False,
        name="群众",
        phone="027-8888 1234",
        email="a@b.cn",
    )
    assert "8888" not in raw("opinions_opinion", "submitter_phone", opinion.pk)
    assert "a@b.cn" not in raw("opinions_opinion", "submitter_email", opinion.pk)
    fresh = Opinion.objects.get(pk=opinion.pk)
    assert (fresh.submitter_phone, fresh.submitter_email) == ("027-8888 1234", "a@b.cn")
    assert Opinion.objects.get(submitter_phone_index=blind_index("02788881234", kind="phone"))
    message = MailboxMessage.objects.create(message_id="<m1@x>", sender="q@example.cn")
    assert "example" not in raw("api_mailboxmessage", "sender", message.pk)
    assert MailboxMessage.objects.get(pk=message.pk).sender == "q@example.cn"


def test_a_value_is_bound_to_its_column():
    token = encrypt("13512345678", context="org.person.phone")
    assert decrypt(token, context="org.person.phone") == "13512345678"
    with pytest.raises(PIIKeyError, match="integrity"):
        decrypt(token, context="opinions.opinion.submitter_phone")
    tampered = token[:-6] + ("AAAAAA" if token[-6:] != "AAAAAA" else "BBBBBB")
    with pytest.raises(PIIKeyError, match="integrity"):
        decrypt(tampered, context="org.person.phone")


def test_wrong_key_is_a_clear_error_and_rotation_keeps_old_values_readable(org, monkeypatch):
    monkeypatch.setenv("PII_KEY", KEY_A)
    person = person_create(by=None, unit=org.lishi, name="钱程", phone="13611112222")
    assert stored_key_id(raw("org_person", "phone", person.pk)) == key_id(bytes.fromhex(KEY_A))
    monkeypatch.setenv("PII_KEY", KEY_B)
    with pytest.raises(PIIKeyError, match=f"key {key_id(bytes.fromhex(KEY_A))}.*PII_KEY"):
        Person.objects.get(pk=person.pk)
    monkeypatch.setenv("PII_KEY_PREVIOUS", KEY_A)
    assert Person.objects.get(pk=person.pk).phone == "13611112222"


def test_reencrypt_command_moves_every_value_to_the_current_key(org, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("PII_KEY", KEY_A)
    person = person_create(by=None, unit=org.lishi, name="孙丽", phone="13611113333")
    monkeypatch.setenv("PII_KEY", KEY_B)
    monkeypatch.setenv("PII_KEY_PREVIOUS", KEY_A)
    call_command("pii_reencrypt", verbosity=0)
    stored = raw("org_person", "phone", person.pk)
    assert is_encrypted(stored) and stored_key_id(stored) == key_id(bytes.fromhex(KEY_B))
    monkeypatch.delenv("PII_KEY_PREVIOUS")
    assert Person.objects.get(pk=person.pk).phone == "13611113333"
    assert Person.objects.get(phone_index=blind_index("13611113333", kind="phone")) == person


def test_a_cadres_login_keeps_the_email_encrypted_too(org):
    from biaoshuai.org.services import person_login_create

    person = person_create(by=None, unit=org.lishi, name="周敏", email="zhoumin@example.cn")
    user, _ = person_login_create(by=None, person=person, username="zhoumin")
    assert "zhoumin@" not in raw("accounts_user", "email", user.pk)
    assert type(user).objects.get(pk=user.pk).email == "zhoumin@example.cn"


@pytest.mark.django_db(transaction=True)
def test_accounts_and_mailbox_migrations_encrypt_and_decrypt_back():
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    before = [("accounts", "0004_loginlog_reason_delayed"), ("api", "0001_initial")]
    after = [("accounts", "0005_user_email_encrypted"), ("api", "0002_mailbox_sender_encrypted")]
    try:
        apps = migrate(before)
        user = apps.get_model("accounts", "User").objects.create(
            username="old", email="old@example.cn"
        )
        message = apps.get_model("api", "MailboxMessage").objects.create(
            message_id="<old@x>", sender="sender@example.cn"
        )
        migrate(after)
        assert is_encrypted(raw("accounts_user", "email", user.pk))
        assert is_encrypted(raw("api_mailboxmessage", "sender", message.pk))
        assert MailboxMessage.objects.get(pk=message.pk).sender == "sender@example.cn"
        migrate(before)
        assert raw("accounts_user", "email", user.pk) == "old@example.cn"
        assert raw("api_mailboxmessage", "sender", message.pk) == "sender@example.cn"
    finally:
        migrate_latest()
