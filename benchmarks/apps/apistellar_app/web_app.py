"""apistellar with its built-in session, error and context hooks (the default app)."""

import os

from apistellar import Application

app = Application("bench", current_dir=os.path.dirname(os.path.abspath(__file__)))
