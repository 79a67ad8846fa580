"""The server's fixtures, for the presenter tests that drive the real server app in-process
(``test_meeting_draft.py``): a migrated database rolled back per test, the app, a commune
with households on the 2022 lists, and signed-in callers."""

from tests.server.conftest import (  # noqa: F401 (fixtures used here)
    app,
    client,
    connection,
    engine,
    migrated_url,
    security,
    session,
    settings,
)
from tests.server.review.conftest import api, commune  # noqa: F401 (fixtures used here)
