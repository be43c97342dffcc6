"""Settings of the example project (upper-case names only).

Every setting can be overridden from the environment under its own name, e.g.
``SECRET_KEY=... DATABASE_URL=postgresql://... uvicorn web_app:app``.
"""

# The key shipped with the example. Anyone can read it here, so anyone could sign a
# session cookie saying {"user": "admin"}: web_app.py refuses to start with it unless
# DEBUG is on. Set SECRET_KEY in the environment (or here) to a long random value.
DEMO_SECRET_KEY = "demo-only-6f1c0c2b7f7a4c1b9e2d8a5f3c4b1a09-replace-me"
SECRET_KEY = DEMO_SECRET_KEY
DEBUG = False

# As in a newly scaffolded project: an unexpected exception answers a generic 500 (its
# text and traceback stay in the log, with a request id), and JSON bodies need a JSON
# Content-Type (so a cross-site form or text/plain fetch cannot post one).
UNEXPECTED_ERRORS_AS_500 = True
JSON_REQUIRE_CONTENT_TYPE = True

# Where the articles live (see blog/database.py): a SQLite file in this folder by default,
# or postgresql://user:password@host:5432/dbname.
DATABASE_URL = "sqlite:///blog.sqlite3"

# Add X-Worker-Pid (the serving process id) to every response: shows which worker
# answered when the app runs with several (gunicorn -w 2, uvicorn --workers 2).
WORKER_PID_HEADER = False

TEMPLATE_DIR = "templates"
STATIC_DIR = "static"

# Values filled into coroutinelocal for every request.
LOCAL_VARIABLE = {"session": "apistellar_session.Session"}

SITE_TITLE = "apistellar blog"
