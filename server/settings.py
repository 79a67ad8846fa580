"""Server settings, read from ``RASOAT_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "rasoat-demo-secret-do-not-use-in-production"


class Settings(BaseSettings):
    """Everything the server needs to start; defaults suit a laptop demo on SQLite."""

    model_config = SettingsConfigDict(env_prefix="RASOAT_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    # The database owner's URL, for migrations only; the API connects with ``database_url``
    # as a role that may not change the audit log (deploy/postgres/app-role.sql).
    migration_database_url: str = ""
    demo: bool = False
    secret_key: SecretStr = SecretStr(DEMO_SECRET)
    access_token_minutes: Annotated[int, Field(gt=0, le=24 * 60)] = 15
    refresh_token_days: Annotated[int, Field(gt=0, le=365)] = 30
    # How long a refresh token stays usable after a refresh retired it, for when that
    # refresh's answer was lost on the way to the tablet (a dropped 3G link).
    refresh_grace_seconds: Annotated[int, Field(ge=0, le=3600)] = 600
    lockout_failures: Annotated[int, Field(gt=0)] = 5
    lockout_minutes: Annotated[int, Field(gt=0)] = 15
    # Failed sign-ins from one address (any names) before it is locked out too: a commune
    # office behind one NAT signs in from one address, hence well above lockout_failures.
    address_lockout_failures: Annotated[int, Field(gt=0)] = 30
    # Argon2id cost; RFC 9106's second recommended option by default, lowered only in tests.
    password_time_cost: Annotated[int, Field(ge=1)] = 3
    password_memory_kib: Annotated[int, Field(ge=64)] = 65536
    max_body_bytes: Annotated[int, Field(gt=0)] = 2_000_000
    # The audit log's MAC key (derived from secret_key when unset) and its anchor file: both
    # live outside the database (server/audit/seal.py). The anchor defaults to the data
    # folder outside demo mode; keep it where the database's users cannot write.
    audit_key: SecretStr | None = None
    audit_anchor: Path | None = None
    # Photos in S3-compatible object storage when a bucket is named (several API hosts share
    # it), else in the data folder. Credentials come from the usual AWS_* variables or the
    # host's role, never from here (server/photos/storage.py; boto3 is the ``s3`` extra).
    photo_bucket: str = ""
    photo_endpoint_url: str = ""
    photo_region: str = ""
    photo_prefix: str = "photos/"
    # Background jobs (docs/jobs.md). ``rasoat serve`` runs a worker thread in its own process
    # unless told a separate ``rasoat worker`` takes the jobs (API replicas set it false).
    jobs_in_process: bool = True
    # A worker renews its hold on a job every third of the lease; a job whose worker died is
    # taken again once the lease runs out, up to job_max_attempts times in all.
    job_lease_seconds: Annotated[int, Field(ge=1, le=3600)] = 30
    job_max_attempts: Annotated[int, Field(ge=1, le=20)] = 3
    # Finished jobs and their files are deleted after this many days: they hold personal data.
    job_keep_days: Annotated[int, Field(ge=1, le=365)] = 7

    @model_validator(mode="after")
    def _long_secret(self) -> Settings:
        if len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("RASOAT_SECRET_KEY must be at least 32 characters")
        return self

    def check_secret(self) -> None:
        """Raise ValueError when the built-in demo secret would sign real tokens: outside demo
        mode RASOAT_SECRET_KEY must be set."""
        if not self.demo and self.secret_key.get_secret_value() == DEMO_SECRET:
            raise ValueError(
                "RASOAT_SECRET_KEY must be set (a long random string) unless RASOAT_DEMO=1"
            )

    @property
    def resolved_audit_anchor(self) -> Path | None:
        """Return the audit anchor file: the configured one, else the data folder's outside
        demo mode (a demo needs no anchor)."""
        if self.audit_anchor is not None:
            return self.audit_anchor
        return None if self.demo else (self.data_dir / "audit.anchor").resolve()

    @property
    def resolved_migration_url(self) -> str:
        """Return the URL migrations run with: the owner's, else the database URL."""
        return self.migration_database_url or self.resolved_database_url

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL: the configured one, or SQLite in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'rasoat.sqlite3').resolve()}"
