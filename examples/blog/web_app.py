"""The example app: ``uvicorn web_app:app`` from this folder, or ``python web_app.py``."""

import logging
import os

import uvicorn

from apistellar import Application

logging.basicConfig(level=logging.INFO)

app = Application("blog", current_dir=os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
