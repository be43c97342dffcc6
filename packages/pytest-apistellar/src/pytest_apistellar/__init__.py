"""pytest-apistellar: the pytest plugin of apistellar (loaded through the ``pytest11`` entry point).

It provides the ``env``, ``settings``, ``prop``, ``item``, ``path`` and ``syspath``
markers and the ``server``, ``join_root_dir`` and ``mock`` fixtures (see ``plugin``).
"""

__all__: list[str] = []
