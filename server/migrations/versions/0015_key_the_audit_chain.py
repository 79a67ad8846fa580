"""Re-chain the audit log under a key kept outside the database.

The chain was plain SHA-256: whoever could write the table could edit a row and recompute
every later hash. Entries are now MACs under the audit key (RASOAT_AUDIT_KEY, or derived from
RASOAT_SECRET_KEY), so run this with the server's settings in the environment. The plain
chain is checked first: a log already broken is not re-keyed over (the upgrade stops).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from server.audit.seal import Seal
from server.settings import Settings

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
COLUMNS = "seq, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash"


def _fields(row: sa.Row[tuple[object, ...]], prev: str) -> bytes:
    values = [
        str(row.seq),
        row.at,
        "" if row.actor_id is None else str(row.actor_id),
        row.actor,
        row.action,
        row.entity,
        row.entity_id,
        row.before or "",
        row.after or "",
        prev,
    ]
    return "\x1f".join(str(v) for v in values).encode()


def _rechain(key: bytes | None) -> None:
    """Check the chain as it is (plain SHA-256 when ``key`` is None, else keyed) and write it
    again under the other scheme."""
    target = Seal.of(Settings()).key if key is None else None
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
    old_prev, new_prev = GENESIS, GENESIS
    rows = bind.execute(sa.text(f"SELECT {COLUMNS} FROM audit_log ORDER BY seq")).all()
    for row in rows:
        fields = _fields(row, old_prev)
        made = (
            hashlib.sha256(fields).hexdigest()
            if key is None
            else hmac.new(key, fields, hashlib.sha256).hexdigest()
        )
        if made != row.hash:
            raise RuntimeError(f"audit entry {row.seq} does not match its hash: not re-chained")
        again = _fields(row, new_prev)
        new = (
            hmac.new(target, again, hashlib.sha256).hexdigest()
            if target is not None
            else hashlib.sha256(again).hexdigest()
        )
        bind.execute(
            sa.text("UPDATE audit_log SET prev_hash = :prev, hash = :hash WHERE seq = :seq"),
            {"prev": new_prev, "hash": new, "seq": row.seq},
        )
        old_prev, new_prev = row.hash, new
    if postgres:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    else:
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def upgrade() -> None:
    _rechain(None)


def downgrade() -> None:
    _rechain(Seal.of(Settings()).key)
