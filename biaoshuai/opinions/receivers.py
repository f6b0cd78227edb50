"""Calls back the integrator when a reply to an opinion it pushed is published.

The opinions app publishes a reply in `opinion_approve`, which saves the opinion with
`reply_published_at` among the updated fields: that save is the signal listened to here.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from biaoshuai.opinions.models import Opinion

EVENT_REPLY_PUBLISHED = "opinion.reply_published"


@receiver(post_save, sender=Opinion, dispatch_uid="api.opinion_reply_published")
def opinion_reply_published(sender, instance, created, update_fields=None, **kwargs):
    if created or not update_fields or "reply_published_at" not in update_fields:
        return
    if instance.reply_published_at is None:
        return
    from .services import webhook_deliveries_create

    webhook_deliveries_create(opinion=instance, event=EVENT_REPLY_PUBLISHED)
