"""One gate app per data folder.

A ``QLockFile`` in the data folder is the authority (it survives a crash: a lock whose process is
gone is taken over); a ``QLocalServer`` named after the folder lets a second start ask the first
one to come to the front before it exits.
"""

from __future__ import annotations

import logging
from pathlib import Path

from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:  # QtNetwork is loaded after the window is up (it is not needed before)
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = ".checkpoint-app.lock"


def server_name(data_dir: Path) -> str:
    import hashlib   # not before the window's first paint: the lock does not need it

    key = str(Path(data_dir).resolve()).encode("utf-8")
    return "checkpoint-app-" + hashlib.sha256(key).hexdigest()[:20]


class SingleInstance(QObject):
    activated = Signal()

    @property
    def name(self) -> str:
        return server_name(self.data_dir)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self._lock = QLockFile(str(self.data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this process is now the gate app of the folder."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(200):
            return False
        return True

    def listen(self) -> None:
        """Answer later starts (called once the window is up: it is not needed before)."""
        if self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)  # a socket left behind by a crash
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self._server.listen(self.name):
            log.warning("single-instance server: %s", self._server.errorString())
        self._server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()   # a child of the server: freed with it
            sock.readyRead.connect(self._on_ready_read)
            if sock.bytesAvailable():
                self._read(sock)

    def _on_ready_read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        if bytes(sock.readAll()).strip().startswith(b"raise"):
            self.activated.emit()

    def ask_first_to_show(self, timeout_ms: int = 1500) -> bool:
        """From a second start: ask the running app to come to the front."""
        from PySide6.QtNetwork import QLocalSocket

        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(b"raise\n")
        ok = sock.waitForBytesWritten(timeout_ms) or sock.bytesToWrite() == 0
        sock.disconnectFromServer()
        return ok

    def release(self) -> None:
        if self._server is not None:
            from PySide6.QtNetwork import QLocalSocket

            for sock in self._server.findChildren(QLocalSocket):
                sock.readyRead.disconnect(self._on_ready_read)
                sock.abort()
            self._server.close()
            self._server = None
        self._lock.unlock()
