"""pytest-apistellar: the pytest plugin of apistellar (loaded through the ``pytest11`` entry point).

Today it provides the ``env`` and ``settings`` markers; the app, client and live-server
fixtures follow with the web framework.
"""

__all__: list[str] = []
