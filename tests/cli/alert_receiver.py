#!/usr/bin/env python3
"""A webhook receiver and feed server on 127.0.0.1 for the alert tests
(standard library only).

usage: alert_receiver.py DIR PORTFILE

GET serves the files under DIR/www. POST to
  /ok         200; the body is kept
  /fail       500, always; the body is kept
  /flaky/N    500 to the first N POSTs to this path, then 200
Each POST's body is written to DIR/posts/NNNN (a counter across paths) and a
line "NNNN PATH STATUS" is appended to DIR/posts.log. The port is written to
PORTFILE once the server listens.
"""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR, PORTFILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
COUNTS = {"all": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", ctype="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        path = os.path.normpath(os.path.join(DIR, "www", self.path.lstrip("/").split("?")[0]))
        if not path.startswith(os.path.join(DIR, "www")) or not os.path.isfile(path):
            self.answer(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        self.answer(200, body, "application/rss+xml" if path.endswith(".xml") else "text/html")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with LOCK:
            COUNTS["all"] += 1
            n = COUNTS["all"]
            COUNTS[self.path] = COUNTS.get(self.path, 0) + 1
            seen = COUNTS[self.path]
            if self.path == "/ok":
                status = 200
            elif self.path.startswith("/flaky/"):
                status = 500 if seen <= int(self.path.split("/")[2]) else 200
            else:
                status = 500
            os.makedirs(os.path.join(DIR, "posts"), exist_ok=True)
            with open(os.path.join(DIR, "posts", "%04d" % n), "wb") as f:
                f.write(body)
            with open(os.path.join(DIR, "posts.log"), "a") as f:
                f.write("%04d %s %d %s\n" % (n, self.path, status, self.headers.get("Content-Type", "")))
        self.answer(status, b"ok" if status == 200 else b"down")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
