"""Support for the whole suite: ports that parallel test workers never hand out twice.

``free_port()`` returns a port that was free a moment ago; the server that will listen on it
starts a second or two later. Under pytest-xdist another worker could be handed the same port
in that window and start its own server there. Each worker therefore keeps only its own share
of the ports (``port // 2 % workers == index``: Linux hands out odd ports to ``bind(0)``, so
the lowest bit cannot split them), and two workers never pick the same one. Outside xdist
nothing changes.
"""

import os

import apistellar_web.testing

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)

if _WORKER.startswith("gw") and _WORKERS > 1:
    _index = int(_WORKER[2:]) % _WORKERS
    _any_free_port = apistellar_web.testing.free_port

    def _free_port_of_this_worker(host: str = "127.0.0.1") -> int:
        """A port that was free a moment ago on ``host``, in this worker's share of them."""
        while True:
            port = _any_free_port(host)
            if port // 2 % _WORKERS == _index:
                return port

    # Test modules import ``free_port`` after this conftest; LiveServer looks it up here too.
    apistellar_web.testing.free_port = _free_port_of_this_worker  # type: ignore[assignment]
