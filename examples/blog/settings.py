"""Settings of the example project (upper-case names only)."""

# Demo only: a real project gets a fresh random key from the scaffold. Override it with
# the SECRET_KEY environment variable.
SECRET_KEY = "demo-only-6f1c0c2b7f7a4c1b9e2d8a5f3c4b1a09-replace-me"

TEMPLATE_DIR = "templates"
STATIC_DIR = "static"

# Values filled into coroutinelocal for every request.
LOCAL_VARIABLE = {"session": "apistellar_session.Session"}

SITE_TITLE = "apistellar blog"
