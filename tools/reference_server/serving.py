"""Run an ASGI app with uvicorn on a loopback socket, in the foreground or in a background thread."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any, TypeAlias, TypeVar

import uvicorn

# ASGI's types as starlette.types spells them (vj-proxy serves with this module too, and has no starlette).
Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]
App = TypeVar("App", bound=ASGIApp)


def bind(host: str, port: int) -> socket.socket:
    """Bind first, so that port 0 gives a free port whose number is known before serving starts. The socket
    listens at once: a client told the address connects (queued until the server accepts) rather than
    being refused while the server is still starting."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: uvicorn writes headers and body apart, and with Nagle on, each
    # answer on a kept-alive connection would wait for the client's delayed ACK (~40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    # Listening already, so that a client told the URL may connect at once: its connection waits in the
    # backlog until uvicorn serves (without this it would be refused while uvicorn starts).
    sock.listen(2048)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(app: ASGIApp) -> uvicorn.Server:
    # h11 and asyncio named, not uvicorn's "auto": the reference server answers the same whether or not
    # httptools and uvloop (which vj-proxy uses) are installed beside it.
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", http="h11",
                                         loop="asyncio"))


@contextlib.contextmanager
def serving_in_thread(app: App, host: str = "127.0.0.1",
                      make: Callable[[App], uvicorn.Server] = make_server) -> Iterator[str]:
    """Serve app on a free loopback port for the duration of the block; yields its base URL. `make` builds
    the uvicorn server for the app (vj-proxy's has options of its own)."""
    sock = bind(host, 0)
    server = make(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("server thread ended before it started serving")
            thread.join(0.01)
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
