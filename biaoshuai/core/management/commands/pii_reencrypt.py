"""Rewrite every SM4-encrypted value under the current PII_KEY and recompute every blind
index under the current PII_INDEX_KEY: the last step of a key rotation (README)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from biaoshuai.core.fields import BlindIndexField, blind_index, encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt personal data under PII_KEY and recompute the blind indexes."

    def handle(self, *args, **options):
        for model, names in encrypted_fields():
            indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
            columns = [*names, *(f.name for f in indexes)]
            rows = model._base_manager.order_by("pk").only("pk", *columns)
            batch, total = [], 0
            with transaction.atomic():
                # Reading decrypts with PII_KEY or PII_KEY_PREVIOUS; a value no configured
                # key opens stops the command (and the transaction) with the key id named.
                for row in rows.iterator(chunk_size=500):
                    for index in indexes:
                        source = getattr(row, index.source)
                        setattr(row, index.attname, blind_index(source, kind=index.kind))
                    batch.append(row)
                    if len(batch) == 500:
                        model._base_manager.bulk_update(batch, columns)
                        total, batch = total + len(batch), []
                if batch:
                    model._base_manager.bulk_update(batch, columns)
                    total += len(batch)
            self.stdout.write(f"{model._meta.label}: {total} rows re-encrypted")
