"""apistellar-session: Flask-compatible signed cookie sessions for any ASGI app."""

__all__: list[str] = []
