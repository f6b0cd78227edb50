import pytest


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    """Each test keeps its checkpoints in its own file, never the laptop's var/."""
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    settings.AUDIT_CHECKPOINT_SYSLOG = False
    return tmp_path / "audit-checkpoints.jsonl"
