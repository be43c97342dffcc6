"""The example app: ``SECRET_KEY=... uvicorn web_app:app`` from this folder (see README.md)."""

import logging
import os

import uvicorn
from blog.database import check_database_url

from apistellar import Application, settings
from apistellar_web.exceptions import ConfigurationError

logging.basicConfig(level=logging.INFO)

app = Application("blog", current_dir=os.path.dirname(os.path.abspath(__file__)))

if settings.get("SECRET_KEY") == settings.get("DEMO_SECRET_KEY"):
    if not app.debug:
        raise ConfigurationError(
            "SECRET_KEY is the demo key shipped in settings.py: anyone who reads it can forge "
            "a session (for example {'user': 'admin'}), so the example refuses it unless DEBUG "
            "is on. Set the SECRET_KEY environment variable to a long random value, e.g. "
            "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))') "
            "uvicorn web_app:app, or set it in settings.py; DEBUG=1 allows the demo key for a "
            "local try."
        )
    app.logger.warning("Using the demo SECRET_KEY (DEBUG is on): never deploy this.")

try:
    check_database_url()
except ValueError as error:
    raise ConfigurationError(str(error)) from None

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
