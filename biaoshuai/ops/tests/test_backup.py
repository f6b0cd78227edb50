import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from biaoshuai.accounts.services import user_create
from biaoshuai.audit.models import AuditEvent
from biaoshuai.ops.backup import CHECKSUM_MISMATCH, DATABASE_NOT_EMPTY
from biaoshuai.org.models import Person, Unit

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and a restore see committed rows

ROOT = Path(__file__).resolve().parents[3]
PICTURE = bytes(range(256)) * 40  # not text: the bytes must come back exactly


@pytest.fixture
def instance(org, settings, tmp_path):
    """Records (units, cadres, an account, their audit events), a media file, a checkpoint."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    (settings.MEDIA_ROOT / "practice" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "practice" / "2026" / "走访照片.png").write_bytes(PICTURE)
    (settings.MEDIA_ROOT / "readme.txt").write_text("材料", encoding="utf-8")
    user_create(username="keeper", password="Keep-it-2026", by=None, name="保管员", initial=False)
    call_command("audit_checkpoint", stdout=io.StringIO())
    assert AuditEvent.objects.count() > 0
    return settings


def test_round_trip_into_a_fresh_database_keeps_rows_files_and_the_audit_chain(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "Backup written" in out.getvalue()
    source = _counts_here()
    assert source["org_unit"] == Unit.objects.count() == 4
    assert source["org_person"] == Person.objects.count() == 4

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["tables"] == source
    assert "0001_initial" in manifest["migrations"]["ops"]
    assert set(manifest["files"]) >= {"media/practice/2026/走访照片.png", "media/readme.txt"}
    assert len(manifest["files"]["media/readme.txt"]["sha256"]) == 64

    with _fresh_database(tmp_path) as (url, count_rows):
        media = tmp_path / "restored-media"
        media.mkdir()
        (media / "left-over.txt").write_text("x")
        refused = _manage(tmp_path, url, media, "restore", str(archive))
        assert refused.returncode != 0
        assert "media folder" in refused.stderr and "--force" in refused.stderr
        (media / "left-over.txt").unlink()

        restored = _manage(tmp_path, url, media, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert "Checksums verified" in restored.stdout
        assert "the audit chain verifies" in restored.stdout
        assert count_rows() == source
        assert (media / "practice" / "2026" / "走访照片.png").read_bytes() == PICTURE
        assert (media / "readme.txt").read_text(encoding="utf-8") == "材料"
        assert not (media / "left-over.txt").exists()

        verified = _manage(tmp_path, url, media, "audit_verify", "--require-checkpoint")
        assert verified.returncode == 0, verified.stderr
        assert "latest checkpoint matches" in verified.stdout

        again = _manage(tmp_path, url, media, "restore", str(archive))
        assert again.returncode != 0 and "The database is not empty" in again.stderr
        forced = _manage(tmp_path, url, media, "restore", "--force", str(archive))
        assert forced.returncode == 0, forced.stderr
        assert count_rows() == source


def test_restore_refuses_a_database_that_holds_data(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert str(refused.value).startswith(DATABASE_NOT_EMPTY.split("(")[0])


def test_a_tampered_archive_is_refused_before_anything_is_touched(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for info in original:
            data = original.extractfile(info).read()
            if info.name == "media/readme.txt":
                data = "改过的材料".encode()
                info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    units = Unit.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore", "--force", str(tampered), stdout=io.StringIO())
    assert str(refused.value) == CHECKSUM_MISMATCH.format(path=tampered, member="media/readme.txt")
    assert Unit.objects.count() == units
    assert (instance.MEDIA_ROOT / "readme.txt").read_text(encoding="utf-8") == "材料"


def test_a_folder_of_dated_archives_keeps_backup_keep_days(instance, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "biaoshuai-20261020-023000.tar.gz"
    recent = folder / "biaoshuai-20261110-023000.tar.gz"
    unrelated = folder / "notes.txt"
    for path in (old, recent, unrelated):
        path.write_bytes(b"x")
    instance.BACKUP_DIR = folder
    instance.BACKUP_KEEP = 14
    out = io.StringIO()
    call_command("scheduler", "--once", "backup", stdout=out)
    [made] = folder.glob("biaoshuai-20261118-*.tar.gz")  # today, the suite's pinned day
    assert not old.exists() and recent.exists() and unrelated.exists()
    assert f"Removed (older than 14 days): {old}" in out.getvalue()
    with tarfile.open(made) as tar:
        assert "manifest.json" in tar.getnames()


def _counts_here():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


class _fresh_database:
    """A new, empty database of the engine under test: (DATABASE_URL, count rows)."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.options = connection.settings_dict

    def __enter__(self):
        if connection.vendor == "sqlite":
            path = self.tmp_path / "restored.sqlite3"
            return f"sqlite:///{path}", lambda: _sqlite_counts(path)
        self.name = f"{self.options['NAME']}_restored"
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            admin.execute(f'CREATE DATABASE "{self.name}"')
        o = self.options
        url = f"postgres://{o['USER']}:{o.get('PASSWORD') or ''}@{o['HOST']}:{o['PORT'] or 5432}/{self.name}"
        return url, self._pg_counts

    def __exit__(self, *exc):
        if connection.vendor != "sqlite":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, dbname="postgres"):
        o = self.options
        return psycopg.connect(
            host=o["HOST"],
            port=o["PORT"] or 5432,
            user=o["USER"],
            password=o.get("PASSWORD") or None,
            dbname=dbname,
            autocommit=True,
        )

    def _pg_counts(self):
        with self._admin(self.name) as db:
            tables = [
                row[0]
                for row in db.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _sqlite_counts(path):
    import sqlite3

    db = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


def _manage(tmp_path, database_url, media, *args):
    """manage.py in a new process: another instance, on the restored database and media."""
    (tmp_path / "restored_settings.py").write_text(
        "import os\n"
        "from config.test_settings import *  # noqa\n"
        "MEDIA_ROOT = os.environ['RESTORED_MEDIA_ROOT']\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "restored_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DATABASE_URL": database_url,
        "RESTORED_MEDIA_ROOT": str(media),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "AUDIT_CHECKPOINT_FILE": str(django_settings.AUDIT_CHECKPOINT_FILE),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
