"""Offline sync: the change sequence devices pull from, idempotent pushes, conflicts queued for
a commune officer, resumable photo uploads and the geofence check (docs/sync.md)."""
