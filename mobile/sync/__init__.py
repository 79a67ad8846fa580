"""The tablet's side of sync, free of Kivy: a persistent outbox in the tablet's SQLite, an
engine that pushes, uploads photos and pulls over an injected ``httpx.Client``, and photo
reduction before upload (docs/sync.md)."""
