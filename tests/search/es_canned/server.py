"""A small real HTTP server on 127.0.0.1 that answers like Elasticsearch 9 from canned JSON
and records every request the client sends.

It is not a fake of Elasticsearch's behaviour: it knows nothing of indices or queries. A test
says which answer each request gets (`respond`) and then checks what the client sent
(`requests`). What it does prove is the client's side of the wire: the paths, methods,
headers and bodies the backend produces, and how it parses real-shaped responses."""

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

CANNED = Path(__file__).parent
ES_MEDIA_TYPE = "application/vnd.elasticsearch+json;compatible-with=9"


def canned(name):
    """The parsed JSON of tests/search/es_canned/<name>.json."""
    return json.loads((CANNED / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict
    headers: dict
    raw_body: bytes

    @property
    def json(self):
        return json.loads(self.raw_body) if self.raw_body else None

    @property
    def ndjson(self):
        """The lines of a bulk body, each parsed."""
        return [json.loads(line) for line in self.raw_body.decode().splitlines() if line.strip()]


@dataclass
class Route:
    method: str
    pattern: re.Pattern
    status: int
    body: object  # JSON-serialisable, or a callable(request) -> (status, body)
    times: int | None = None  # None: answers every time


@dataclass
class CannedElasticsearch:
    product_header: bool = True
    routes: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)

    def respond(self, method, path, body=None, *, status=200, times=None):
        """Answer `method` requests whose path (without query string) fully matches the regular
        expression `path`. The latest matching route wins; `times` limits how often."""
        self.routes.insert(0, Route(method, re.compile(path), status, body, times))

    def matching(self, method, path):
        """Recorded requests whose method and path fully match these regular expressions."""
        return [
            r
            for r in self.requests
            if re.fullmatch(method, r.method) and re.fullmatch(path, r.path)
        ]

    def start(self):
        handler = type("Handler", (_Handler,), {"canned": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, request):
        for route in self.routes:
            if not re.fullmatch(route.method, request.method) or not route.pattern.fullmatch(
                request.path
            ):
                continue
            if route.times is not None:
                if route.times == 0:
                    continue
                route.times -= 1
            if callable(route.body):
                return route.body(request)
            return route.status, route.body
        self.unmatched.append(request)
        return 500, {
            "error": {
                "root_cause": [{"type": "canned_response_missing", "reason": request.path}],
                "type": "canned_response_missing",
                "reason": f"no canned response for {request.method} {request.path}",
            },
            "status": 500,
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    canned: CannedElasticsearch

    def _handle(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            method=self.command,
            path=url.path,
            query={key: values[-1] for key, values in parse_qs(url.query).items()},
            headers={key.lower(): value for key, value in self.headers.items()},
            raw_body=self.rfile.read(length) if length else b"",
        )
        self.canned.requests.append(request)
        status, body = self.canned.answer(request)
        payload = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", ES_MEDIA_TYPE)
        if self.canned.product_header:
            self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815 (http.server's API)

    def log_message(self, format, *args):  # keep test output quiet
        pass
