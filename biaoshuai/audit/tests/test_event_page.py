"""The event page shows every event, whatever its object type and whatever it changed.

The changes of an event may be named after a reverse relation (an appraisal's
"participants", a self-check's "findings"), which has no verbose name of its own.
"""

import pytest
from django.apps import apps

from biaoshuai.audit.models import AuditEvent
from biaoshuai.audit.selectors import audit_event_changes
from biaoshuai.audit.services import audit_record
from biaoshuai.core.testing import login

pytestmark = pytest.mark.django_db
MODELS = [m for m in apps.get_models() if m.__module__.startswith("biaoshuai.")]


def test_an_event_naming_every_field_of_every_model_renders(client, users):
    login(client, users.auditadmin)
    for model in MODELS:
        names = [field.name for field in model._meta.get_fields()]
        event = audit_record(
            actor=users.office,
            action="update",
            object_type=model._meta.label_lower,
            changes={name: [None, 1] for name in names},
        )
        response = client.get(f"/audit/{event.pk}/")
        assert response.status_code == 200, model._meta.label_lower
        assert len(response.context["changes"]) == len(names)


def test_a_reverse_relation_is_named_after_the_related_model(users):
    from biaoshuai.org.models import Unit

    event = audit_record(
        actor=users.office, action="update", obj=users.office, changes={"children": [0, 2]}
    )
    event = AuditEvent.objects.get(pk=event.pk)
    event.object_type = Unit._meta.label_lower  # only read here, never saved
    children = Unit._meta.get_field("children")
    assert audit_event_changes(event) == [
        (str(children.related_model._meta.verbose_name_plural), 0, 2)
    ]


def test_an_appraisal_event_naming_its_participants_renders(client, users):
    """As the appraisal service writes it; such events made the page answer 500."""
    from biaoshuai.appraisal.models import Appraisal

    label = Appraisal._meta.label_lower
    event = audit_record(
        actor=users.office, action="create", object_type=label, changes={"participants": 12}
    )
    login(client, users.auditadmin)
    response = client.get(f"/audit/{event.pk}/")
    assert response.status_code == 200
    assert "participants" not in response.content.decode()
