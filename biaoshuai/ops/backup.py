"""Backup and restore: one tar.gz holding a consistent database snapshot, media/ and a manifest.

The archive:

    manifest.json      created, app version, engine, applied migrations, rows per table,
                       and the SHA-256 and size of every other member
    db.sqlite3         SQLite: a copy made with SQLite's online backup API, or
    db.dump            PostgreSQL: `pg_dump -Fc` of the same snapshot the row counts come from
    media/...          every uploaded file
    audit/checkpoints.jsonl   the audit checkpoint file when there is one (for reference)

A restore checks every checksum before it touches anything, refuses a database or media
folder that holds data unless forced, restores, compares the row counts with the manifest,
and verifies the audit chain.
"""

import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_MEMBER = "db.sqlite3"
PG_MEMBER = "db.dump"
MEDIA_PREFIX = "media/"
CHECKPOINTS_MEMBER = "audit/checkpoints.jsonl"
ARCHIVE_NAME = "biaoshuai-{:%Y%m%d-%H%M%S}.tar.gz"
ARCHIVE_PATTERN = re.compile(r"^biaoshuai-(\d{8}-\d{6})\.tar\.gz$")
# Rows that `migrate` itself writes: a database holding only these counts as empty.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

NOT_A_BACKUP = "{path} is not a backup archive: {reason}."
CHECKSUM_MISMATCH = (
    "{path}: {member} does not match its checksum in the manifest; nothing restored."
)
ENGINE_MISMATCH = (
    "The archive holds a {archived} database but this instance uses {configured}; "
    "restore it into a {archived} database."
)
DATABASE_NOT_EMPTY = (
    "The database is not empty ({tables}). Restore into a new, empty database, "
    "or use --force to replace everything in it."
)
MEDIA_NOT_EMPTY = (
    "The media folder {path} is not empty ({count} files). Restore into an empty folder, "
    "or use --force to replace its contents."
)
COUNTS_MISMATCH = "Restored, but the row counts differ from the manifest: {tables}."
AUDIT_BROKEN = "Restored, but the audit chain does not verify: {error}"
UNKNOWN_MIGRATIONS = (
    "The archive was made by a newer version of the application (migrations unknown here: "
    "{names}). Install that version first."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def backup_create(*, output, using="default"):
    """Write the archive to `output` (written aside and renamed when complete); the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as tmp:
        tmp = Path(tmp)
        if connection.vendor == "sqlite":
            member = SQLITE_MEMBER
            tables, migrations = _sqlite_snapshot(connection, tmp / member)
        elif connection.vendor == "postgresql":
            member = PG_MEMBER
            tables, migrations = _pg_snapshot(connection, tmp / member)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        members = {member: tmp / member}
        media_root = Path(settings.MEDIA_ROOT)
        for path in _files_under(media_root):
            members[MEDIA_PREFIX + path.relative_to(media_root).as_posix()] = path
        checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
        if checkpoints.is_file():
            members[CHECKPOINTS_MEMBER] = checkpoints
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "app_version": _app_version(),
            "database": {"engine": connection.vendor, "member": member},
            "migrations": migrations,
            "tables": tables,
            "files": {name: _digest(path) for name, path in sorted(members.items())},
        }
        manifest_path = tmp / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
        part = output.with_name(output.name + ".part")
        with tarfile.open(part, "w:gz") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            for name, path in sorted(members.items()):
                archive.add(path, arcname=name, recursive=False)
        os.replace(part, output)
    return manifest


def backup_to_dir(*, directory, keep_days, using="default"):
    """A dated archive in `directory`, then remove the archives older than `keep_days`
    (the newest always stays). Returns (path, removed paths)."""
    directory = Path(directory)
    path = directory / ARCHIVE_NAME.format(timezone.localtime())
    backup_create(output=path, using=using)
    return path, backups_prune(directory=directory, keep_days=keep_days)


def backups_prune(*, directory, keep_days):
    cutoff = timezone.localtime() - datetime.timedelta(days=keep_days)
    dated = []
    for path in Path(directory).iterdir():
        match = ARCHIVE_PATTERN.match(path.name)
        if match:
            made = datetime.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            dated.append((timezone.make_aware(made), path))
    dated.sort()
    removed = []
    for made, path in dated[:-1]:
        if made < cutoff:
            path.unlink()
            removed.append(path)
    return removed


def backup_restore(*, archive, force=False, using="default", log=print):
    """Restore `archive` into the configured database and media folder; the manifest."""
    archive = Path(archive)
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="biaoshuai-restore-") as tmp:
        tmp = Path(tmp)
        manifest = _extract_verified(archive, tmp)
        log(f"Checksums verified: {len(manifest['files'])} files.")
        archived = manifest["database"]["engine"]
        if archived != connection.vendor:
            raise BackupError(
                ENGINE_MISMATCH.format(archived=archived, configured=connection.vendor)
            )
        _check_migrations_known(manifest)
        media_root = Path(settings.MEDIA_ROOT)
        if not force:
            holding = _tables_with_rows(connection)
            if holding:
                raise BackupError(DATABASE_NOT_EMPTY.format(tables=", ".join(holding[:5])))
            media_count = sum(1 for _ in _files_under(media_root))
            if media_count:
                raise BackupError(MEDIA_NOT_EMPTY.format(path=media_root, count=media_count))
        member = tmp / manifest["database"]["member"]
        if connection.vendor == "sqlite":
            _sqlite_restore(connection, member)
        else:
            _pg_restore(connection, member)
        log(f"Database restored ({connection.vendor}).")
        _media_restore(tmp / "media", media_root)
        log(f"Media restored: {sum(1 for _ in _files_under(media_root))} files in {media_root}.")
    connection.close()
    restored = _table_counts(connection)
    differing = sorted(
        table
        for table in set(restored) | set(manifest["tables"])
        if restored.get(table) != manifest["tables"].get(table)
    )
    if differing:
        raise BackupError(COUNTS_MISMATCH.format(tables=", ".join(differing[:10])))
    log(f"Row counts match the manifest: {len(restored)} tables, {sum(restored.values())} rows.")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        log("This version has newer migrations: migrating.")
        call_command("migrate", interactive=False, database=using, skip_checks=True, verbosity=0)
    try:
        call_command("audit_verify", stdout=_Discard(), stderr=_Discard())
    except CommandError as exc:
        raise BackupError(AUDIT_BROKEN.format(error=exc)) from exc
    return manifest


def archive_manifest(archive):
    """The manifest of an archive (not verified)."""
    with tarfile.open(archive, "r:gz") as tar:
        return _read_manifest(tar, archive)


# Snapshots ----------------------------------------------------------------------------------


def _sqlite_snapshot(connection, target):
    """Copy the live database with SQLite's online backup API (consistent while in use)."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    snapshot = sqlite3.connect(target)
    try:
        tables = _sqlite_counts(snapshot)
        migrations = _migrations_from(snapshot.execute("SELECT app, name FROM django_migrations"))
    finally:
        snapshot.close()
    return tables, migrations


def _sqlite_counts(db):
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _pg_snapshot(connection, target):
    """`pg_dump -Fc` of an exported snapshot, counted in the same snapshot."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        tables = _pg_counts(cursor, connection)
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = _migrations_from(cursor.fetchall())
        _pg_run(
            connection,
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}"],
            ["--file", str(target)],
        )
    return tables, migrations


def _pg_counts(cursor, connection):
    names = connection.introspection.table_names(cursor)
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def _migrations_from(rows):
    applied = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


# Restore ------------------------------------------------------------------------------------


def _extract_verified(archive, tmp):
    """Extract every member listed in the manifest into `tmp`, checking each checksum."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason=exc)) from exc
    with tar:
        manifest = _read_manifest(tar, archive)
        expected = manifest["files"]
        seen = set()
        for info in tar:
            if info.name == MANIFEST:
                continue
            if info.name not in expected or not info.isfile() or not _safe(info.name):
                raise BackupError(
                    NOT_A_BACKUP.format(path=archive, reason=f"unexpected member {info.name}")
                )
            destination = tmp / info.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(info) as source, open(destination, "wb") as out:
                for chunk in iter(lambda src=source: src.read(1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[info.name]["sha256"]:
                raise BackupError(CHECKSUM_MISMATCH.format(path=archive, member=info.name))
            seen.add(info.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(NOT_A_BACKUP.format(path=archive, reason=f"{missing[0]} missing"))
    return manifest


def _read_manifest(tar, archive):
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.load(member)
    except (KeyError, ValueError, tarfile.TarError) as exc:
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason="no manifest")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(NOT_A_BACKUP.format(path=archive, reason="unknown manifest format"))
    return manifest


def _safe(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _check_migrations_known(manifest):
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(UNKNOWN_MIGRATIONS.format(names=", ".join(unknown[:5])))


def _tables_with_rows(connection):
    counts = _table_counts(connection)
    return sorted(t for t, n in counts.items() if n and t not in BOOKKEEPING_TABLES)


def _table_counts(connection):
    with connection.cursor() as cursor:
        return _pg_counts(cursor, connection)


def _sqlite_restore(connection, member):
    connection.close()
    target = Path(connection.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(member)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()


def _pg_restore(connection, member):
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            # Whatever is there goes (empty tables from `migrate`, or everything with --force).
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    _pg_run(
        connection,
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
        ["--dbname", connection.settings_dict["NAME"], str(member)],
    )


def _pg_run(connection, command, tail):
    """Run a PostgreSQL client with the DATABASES settings (password through PGPASSWORD)."""
    options = connection.settings_dict
    args = list(command)
    if options.get("HOST"):
        args += ["--host", str(options["HOST"])]
    if options.get("PORT"):
        args += ["--port", str(options["PORT"])]
    if options.get("USER"):
        args += ["--username", str(options["USER"])]
    args.append("--no-password")
    if command[0] == "pg_dump":
        args += ["--dbname", options["NAME"]]
    env = {**os.environ}
    if options.get("PASSWORD"):
        env["PGPASSWORD"] = str(options["PASSWORD"])
    result = subprocess.run(args + tail, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _media_restore(source, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        shutil.copytree(source, media_root, dirs_exist_ok=True)


# Helpers ------------------------------------------------------------------------------------


def _files_under(root):
    root = Path(root)
    if not root.is_dir():
        return
    for directory, _dirs, files in os.walk(root):
        for name in sorted(files):
            yield Path(directory) / name


def _digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


class _Discard:
    def write(self, text):
        pass

    def flush(self):
        pass


def _app_version():
    try:
        return importlib.metadata.version("biaoshuai")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
