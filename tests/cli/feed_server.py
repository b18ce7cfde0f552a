#!/usr/bin/env python3
"""A small HTTP server on 127.0.0.1 for the watch tests (standard library only).

usage: feed_server.py DOCROOT PORTFILE LOGFILE

Serves the files under DOCROOT with an ETag (a hash of the content) and a
Last-Modified date, answering 304 to a matching If-None-Match or
If-Modified-Since, plus a few special paths:
  /redirect/NAME  301 to /NAME          /loop  redirects to itself forever
  /slow/NAME      NAME after 3 seconds  /missing.xml  404
  /huge-declared  a 50 MB body announced by Content-Length
  /huge-chunked   a 50 MB body sent without a length (chunked)
  /gzip-bomb      50 MB of feed gzipped into some 50 KB (Content-Encoding: gzip)
Files named *.latin1.html are served as text/html; charset=ISO-8859-1.
Each request's path is appended to LOGFILE, one per line. The port is
written to PORTFILE once the server listens.
"""
import email.utils
import gzip
import hashlib
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DOCROOT, PORTFILE, LOGFILE = sys.argv[1], sys.argv[2], sys.argv[3]
HUGE = 50 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up half-way (a size limit): fine

    def send_plain(self, status, headers, body=b""):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        with open(LOGFILE, "a") as log:
            log.write(self.path + "\n")
        path = self.path
        try:
            if path.startswith("/redirect/"):
                return self.send_plain(301, [("Location", "/" + path[len("/redirect/"):])])
            if path == "/loop":
                return self.send_plain(302, [("Location", "/loop")])
            if path.startswith("/slow/"):
                time.sleep(3)
                path = "/" + path[len("/slow/"):]
            if path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(HUGE))
                self.end_headers()
                return self.stream(HUGE, chunked=False)
            if path == "/huge-chunked":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                return self.stream(HUGE, chunked=True)
            if path == "/gzip-bomb":
                body = gzip.compress(b"<rss>" + b" " * (HUGE - 5), 9)
                return self.send_plain(200, [("Content-Type", "application/rss+xml"),
                                             ("Content-Encoding", "gzip")], body)
            return self.serve_file(path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a size limit, a timeout): fine

    def stream(self, total, chunked):
        block = b"<rss>" + b" " * (64 * 1024 - 5)
        sent = 0
        while sent < total:
            n = min(len(block), total - sent)
            if chunked:
                self.wfile.write(b"%x\r\n" % n + block[:n] + b"\r\n")
            else:
                self.wfile.write(block[:n])
            sent += n
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def serve_file(self, path):
        name = os.path.normpath(path.split("?")[0]).lstrip("/")
        full = os.path.join(DOCROOT, name)
        if name.startswith("..") or not os.path.isfile(full):
            return self.send_plain(404, [("Content-Type", "text/plain")], b"not found\n")
        with open(full, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        modified = email.utils.formatdate(os.path.getmtime(full), usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            return self.send_plain(304, [("ETag", etag)])
        ctype = "text/html; charset=utf-8" if name.endswith(".html") else "application/xml"
        if name.endswith(".latin1.html"):
            ctype = "text/html; charset=ISO-8859-1"
        self.send_plain(200, [("Content-Type", ctype), ("ETag", etag), ("Last-Modified", modified)], body)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
