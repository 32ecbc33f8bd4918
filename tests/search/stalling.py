"""A real TCP server on loopback that accepts connections and never answers them, like an
Elasticsearch stuck in garbage collection or behind a dead proxy, until it is told to relay
them to a server that answers (`answer_from`): then the same address answers again."""

import contextlib
import socket
import threading


class StallingServer:
    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.05)
        self.accepted = 0  # connections accepted, stalled or relayed
        self.target = None  # (host, port) to relay to; None: stall
        self._sockets = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def start(self):
        self._thread.start()
        return self

    def answer_from(self, url):
        """Relay new connections to `url` (http://host:port) instead of stalling them."""
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        self.target = (host, int(port))

    def stop(self):
        self._stopping.set()
        self._thread.join()
        self.listener.close()
        for sock in self._sockets:
            sock.close()

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            self._sockets.append(client)
            if self.target is not None:
                upstream = socket.create_connection(self.target)
                self._sockets.append(upstream)
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        return  # the other side or `stop` closed the connection
    finally:
        # Pass the end of one direction on; the socket may be closed already by `stop`.
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
