import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from biaoshuai.accounts.models import User
from biaoshuai.accounts.services import user_create


def codes(password, username="zhangwei"):
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.django_db
def test_a_good_password_passes():
    assert codes("Lishi-2026x") == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1-xyz", "password_too_short"),  # 7 characters
        ("lowercase-only", "password_too_simple"),  # two classes: lower case and symbols
        ("Abcdefghij", "password_too_simple"),  # two classes: lower and upper case
        ("Password1", "password_too_common"),
        ("Zhangwei-2026", "password_contains_username"),  # any case
    ],
)
def test_each_rule(password, code):
    assert code in codes(password)


@pytest.mark.django_db
def test_three_classes_are_enough():
    assert codes("abcdef12!") == set()  # lower, digits, symbols
    assert codes("ABCDEF12a") == set()  # upper, digits, lower


@pytest.mark.django_db
def test_messages_are_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as simple:
            validate_password("abcdefghij", User(username="x"))
        with pytest.raises(ValidationError) as contains:
            validate_password("Zhangwei-2026", User(username="zhangwei"))
    assert "至少" in " ".join(simple.value.messages)
    assert "用户名" in " ".join(contains.value.messages)


@pytest.mark.django_db
def test_a_service_refuses_a_weak_password_and_saves_nothing():
    with pytest.raises(ValidationError):
        user_create(username="liufang", password="password", by=None)
    assert not User.objects.filter(username="liufang").exists()
