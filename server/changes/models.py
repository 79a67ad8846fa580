"""The change sequence's table."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base

# SQLite only auto-increments a column declared INTEGER PRIMARY KEY.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class Change(Base):
    """One change a device may need to pull. ``seq`` is allocated under the writers' lock, so
    it grows in commit order and a cursor never skips a late-committing change. A record is in
    a hamlet's stream (``hamlet_id``) or in one device's stream (``device_id``)."""

    __tablename__ = "sync_changes"
    __table_args__ = (
        Index("ix_sync_changes_hamlet_seq", "hamlet_id", "seq"),
        Index("ix_sync_changes_device_seq", "device_id", "seq"),
        Index("ix_sync_changes_entity_key_seq", "entity", "entity_key", "seq"),
    )

    seq: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_key: Mapped[str] = mapped_column(String(40))
    hamlet_id: Mapped[int | None] = mapped_column(Integer)
    device_id: Mapped[int | None] = mapped_column(Integer)
