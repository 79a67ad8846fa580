"""The application for process managers: ``gunicorn -k uvicorn.workers.UvicornWorker
server.asgi:app`` (settings from ``RASOAT_*`` environment variables)."""

from server.app import create_app
from server.settings import Settings

app = create_app(Settings())
