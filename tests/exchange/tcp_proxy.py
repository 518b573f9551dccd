"""A TCP proxy on loopback between a PC and the hub, that cuts or stalls a connection after a
given number of bytes sent towards the server: the network of a compound office, on a bad day.

Threads, one pair per connection; ``sent`` counts every byte forwarded client → server, so a
test can measure a whole push once and then cut the next one half-way through its batches."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit, urlunsplit


class Proxy:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._target = (parts.hostname, parts.port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        port = self._listener.getsockname()[1]
        self.url = urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.port}", f":{port}")))
        self.sent = 0
        self._lock = threading.Lock()
        self._cut_at: int | None = None
        self._stall_at: int | None = None
        self.stalled = threading.Event()        # set once a connection has stopped at the stall point
        self._resume = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    # -- what the test asks for ------------------------------------------------------------------

    def cut_after(self, n: int) -> None:
        """Close the connection once ``n`` more bytes have gone towards the server."""
        self._cut_at = self.sent + n

    def stall_after(self, n: int) -> None:
        """Stop forwarding (both ways) once ``n`` more bytes have gone towards the server, until
        :meth:`resume` or :meth:`cut`."""
        self._resume.clear()
        self.stalled.clear()
        self._stall_at = self.sent + n

    def resume(self) -> None:
        self._stall_at = None
        self._resume.set()

    def cut(self) -> None:
        """Close every connection now (a cable pulled)."""
        for s in list(self._sockets):
            _close(s)
        self._resume.set()

    def close(self) -> None:
        self.cut()
        _close(self._listener)

    # -- the plumbing --------------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._target)
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, upstream: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if upstream:
                    data = self._limit(data, src, dst)
                    if data is None:
                        return
                elif self._stall_at is not None and self.stalled.is_set():
                    self._resume.wait()
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)

    def _limit(self, data: bytes, src: socket.socket, dst: socket.socket) -> bytes | None:
        with self._lock:
            start, self.sent = self.sent, self.sent + len(data)
        for mark, action in ((self._cut_at, "cut"), (self._stall_at, "stall")):
            if mark is not None and start < mark <= self.sent:
                dst.sendall(data[:mark - start])        # up to the mark, then the trouble
                rest = data[mark - start:]
                if action == "cut":
                    self._cut_at = None
                    _close(src)
                    _close(dst)
                    return None
                self.stalled.set()
                self._resume.wait()
                if dst.fileno() == -1:
                    return None
                return rest
        return data


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
