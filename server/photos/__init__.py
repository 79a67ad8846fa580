"""Photo files named by their SHA-256, used by sync (survey and visit photos) and review
(meeting minutes): below every domain."""
