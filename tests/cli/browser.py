#!/usr/bin/env python3
"""browser.py - drive the radar serve page in headless Chromium, for test_serve_browser.sh.

usage: browser.py BASE_URL SHOT_DIR [CHROMIUM]

Starts Chromium (--headless --no-sandbox) with a private profile and speaks the
Chrome DevTools Protocol to it over a WebSocket (a minimal client below: the
standard library has none). On the page served at BASE_URL it: loads the board,
clicks a story card with real mouse events, checks the story view (timeline
chart with a dot per dated mention, each evidence sentence highlighted in its
article text), follows the board's filters and shareable links, renders a
likelihood and source reliability when the API gives them (injected into the
API's answers here, as the store does not compute them yet), looks at a
phone-sized window, and saves screenshots in SHOT_DIR. Any script error or
console error on the page fails the run.

Prints "ok: ..." and "FAIL: ..." lines; exit status 0 when all passed, 1 on a
failure, 77 when Chromium cannot be started (the caller fails: it checked Chromium is installed).
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

TIMEOUT = 60.0


class Skip(Exception):
    pass


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, pings, close."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("the DevTools socket closed during the handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise OSError("WebSocket handshake refused: " + head.split(b"\r\n")[0].decode(errors="replace"))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise OSError("the DevTools socket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send_frame(self, opcode, data):
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(head + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if opcode == 0x9:  # ping
                self._send_frame(0xA, data)
                continue
            if opcode == 0x8:
                raise OSError("the DevTools socket was closed by Chromium")
            if opcode in (0x0, 0x1, 0x2):
                message += data
                if b0 & 0x80:
                    return message.decode()


class Page:
    """One page target: commands with replies, and the events seen meanwhile."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []
        self.errors = []  # script exceptions and console errors on the page
        self.handlers = {}
        self.replies = {}  # replies read while waiting for another (event handlers send commands too)

    def send(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            if my_id in self.replies:
                msg = self.replies.pop(my_id)
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            msg = json.loads(self.ws.recv())
            if "id" in msg:
                self.replies[msg["id"]] = msg
            else:
                self.event(msg)
        raise TimeoutError(method)

    def event(self, msg):
        m = msg.get("method")
        p = msg.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
            self.errors.append("console.error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                            for a in p.get("args", [])))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            e = p["entry"]
            # a 4xx/5xx the page asked for on purpose is logged by Chromium too; those are checked by the test
            if e.get("source") != "network":
                self.errors.append(f"log ({e.get('source')}): {e.get('text')}")
        if m in self.handlers:
            self.handlers[m](p)

    def pump(self, seconds):
        """Handle events for a while (used while waiting)."""
        self.ws.sock.settimeout(seconds)
        try:
            msg = json.loads(self.ws.recv())
            if "id" in msg:
                self.replies[msg["id"]] = msg
            else:
                self.event(msg)
        except socket.timeout:
            pass
        finally:
            self.ws.sock.settimeout(TIMEOUT)

    def eval(self, expr):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluating {expr!r}: {r['exceptionDetails'].get('text')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expr, what, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.eval(expr):
                    return True
            except RuntimeError:
                pass
            self.pump(0.1)
        raise TimeoutError(f"waiting for {what} ({expr})")

    def goto(self, url, view, what=None):
        """Navigate and wait until the page says it has drawn `view` (the readiness flag is
        cleared first, so that the view drawn before is not taken for the new one)."""
        try:
            self.eval("document.body && (document.body.dataset.ready = '')")
        except RuntimeError:
            pass
        self.send("Page.navigate", url=url)
        self.wait_for(f"document.body.dataset.view === '{view}' && document.body.dataset.ready === '1'", what or view)

    def click(self, selector):
        """A real click: the mouse moves to the element's centre, presses and releases."""
        box = self.eval(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 12)]; }})()""")
        if not box:
            raise RuntimeError(f"nothing to click at {selector}")
        x, y = box
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path):
        r = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))


def start_chromium(binary, profile):
    args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-sync", "--disable-component-update", "--disable-default-apps", "--mute-audio",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", f"--user-data-dir={profile}",
            "--window-size=1280,900", "about:blank"]
    log = open(os.path.join(profile, "..", "chromium.log"), "wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        if proc.poll() is not None:
            raise Skip(f"Chromium exited with status {proc.returncode} at start (see chromium.log)")
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if len(lines) >= 1 and lines[0].isdigit():
                return proc, int(lines[0])
        time.sleep(0.1)
    proc.kill()
    raise Skip("Chromium did not open its DevTools port within a minute")


def page_socket(port):
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                for t in json.load(r):
                    if t.get("type") == "page" and t.get("webSocketDebuggerUrl"):
                        return t["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.2)
    raise Skip("Chromium has no page to drive")


def api(base, path):
    with urllib.request.urlopen(base + path, timeout=TIMEOUT) as r:
        return json.load(r)


def main():
    if len(sys.argv) < 3:
        print("usage: browser.py BASE_URL SHOT_DIR [CHROMIUM]", file=sys.stderr)
        return 2
    base, shots = sys.argv[1].rstrip("/"), sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else (shutil.which("chromium") or shutil.which("chromium-browser"))
    if not binary:
        print("SKIP: no chromium on PATH")
        return 77
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="radar-browser.")
    profile = os.path.join(work, "profile")
    os.makedirs(profile)
    passed, failed = 0, 0

    def check(desc, cond, detail=""):
        nonlocal passed, failed
        if cond:
            passed += 1
            print("ok:", desc)
        else:
            failed += 1
            print("FAIL:", desc, ("(" + detail + ")") if detail else "")

    proc = None
    try:
        try:
            proc, port = start_chromium(binary, profile)
            page = Page(page_socket(port))
        except Skip as e:
            log = os.path.join(work, "chromium.log")
            tail = open(log, errors="replace").read()[-600:] if os.path.exists(log) else ""
            print(f"SKIP: Chromium cannot be started: {e}\n{tail}")
            return 77
        for domain in ("Page", "Runtime", "Log"):
            page.send(domain + ".enable")

        # ---- the board, then a click into a story
        page.goto(base + "/#/", "board", "the board")
        cards = page.eval("document.querySelectorAll('.story-card').length")
        board = api(base, "/api/stories?limit=25&sort=recent")
        check("the board lists the stories", cards == len(board["stories"]) and cards > 0,
              f"{cards} cards, the API has {len(board['stories'])}")
        check("the board is newest activity first, as the API's sort=recent", page.eval(
            "document.querySelector('.story-card').dataset.story") == str(board["stories"][0]["id"]))
        page.screenshot(os.path.join(shots, "board.png"))
        # the story with the most mentions: a timeline worth the name
        target = max(board["stories"], key=lambda s: (s["mentions"], -s["id"]))
        sel = f".story-card[data-story='{target['id']}']"
        page.click(sel)
        page.wait_for(f"location.hash === '#/story/{target['id']}' && document.body.dataset.view === 'story' && "
                      "document.body.dataset.ready === '1'", "the story after the click")
        check("a click on a card opens its story", True)
        story = api(base, f"/api/stories/{target['id']}")
        dated = [m for m in story["timeline"] if m.get("date")]
        dots = page.eval("document.querySelectorAll('#timeline-chart circle.mention-dot').length")
        check("the timeline chart has a dot per dated mention", dots == len(dated) and dots > 0,
              f"{dots} dots, {len(dated)} dated mentions")
        colours = page.eval("[...document.querySelectorAll('#timeline-chart circle.mention-dot')]"
                            ".map(c => getComputedStyle(c).fill)")
        stages = [m["stage"] for m in sorted(dated, key=lambda m: m["date"])]
        check("dots are coloured by stage", len(set(colours)) == len(set(stages)), f"{colours} for {stages}")
        labels = page.eval("[...document.querySelectorAll('#timeline-chart .dot-label')].map(t => t.textContent)")
        names = {m.get("published_by") or (m["sources"][0]["name"] if m["sources"] else m["article"]) for m in dated}
        # a label that would overlap another is left out (test_board_browser.sh checks they never overlap)
        check("dots are labelled with their sources", labels and set(labels) <= names, f"{labels} vs {names}")
        marks = page.eval("[...document.querySelectorAll('.article-text .body mark.evidence')].map(m => m.textContent)")
        wanted = [e["text"] for m in story["timeline"] for e in m["evidence"]]
        check("every evidence sentence is highlighted inside its article text",
              len(marks) >= 1 and all(w in marks for w in wanted), f"marks {marks!r}, evidence {wanted!r}")
        in_text = page.eval("""[...document.querySelectorAll('.article-text .body')].every(b =>
            b.querySelector('mark.evidence') && b.textContent.length > b.querySelector('mark.evidence').textContent.length)""")
        check("the highlights sit inside longer article text", in_text)
        rivals = page.eval("[...document.querySelectorAll('.rivals a')].map(a => a.textContent)")
        check("rival suitors are listed", rivals == story["rival_suitors"], f"{rivals} vs {story['rival_suitors']}")
        fees = page.eval("document.querySelectorAll('.fees li').length")
        check("the fees reported are listed", fees == len([m for m in story["timeline"] if m.get("fee")]))
        check("no likelihood box when the store gives none",
              page.eval("document.querySelector('.likelihood') === null") or "likelihood" in story)
        page.screenshot(os.path.join(shots, "story.png"))

        # ---- back, filters and shareable links
        page.eval("document.body.dataset.ready = ''; history.back()")
        page.wait_for("document.body.dataset.view === 'board' && document.body.dataset.ready === '1'", "back to board")
        check("the back button returns to the board", True)
        club = target["to_club"]
        page.eval(f"""(() => {{ document.body.dataset.ready = ''; const i = document.querySelector('input[name=club]'); i.value = {json.dumps(club)};
            i.dispatchEvent(new Event('change')); }})()""")
        page.wait_for("location.hash.includes('club=') && document.body.dataset.ready === '1'", "the club filter")
        want = api(base, "/api/stories?limit=25&sort=recent&club=" + urllib.parse.quote(club))
        got = page.eval("[...document.querySelectorAll('.story-card')].map(c => +c.dataset.story)")
        check("the club filter narrows the board and goes into the URL",
              got == [s["id"] for s in want["stories"]], f"{got}")
        shared = page.eval("location.href")
        page.send("Page.navigate", url="about:blank")
        page.goto(shared, "board", "shared link")
        again = page.eval("[...document.querySelectorAll('.story-card')].map(c => +c.dataset.story)")
        check("a shared link opens the same filtered board", again == got)
        check("the filter field shows the shared filter", page.eval("document.querySelector('input[name=club]').value") == club)
        page.eval("document.body.dataset.ready = ''")
        page.send("Page.navigate", url=base + "/#/?sort=recent&stage=interest")
        page.wait_for("document.body.dataset.ready === '1' && document.querySelector('select[name=sort]').value === 'recent'",
                      "sort and stage from the URL")
        want = api(base, "/api/stories?limit=25&sort=recent&stage=interest")
        got = page.eval("[...document.querySelectorAll('.story-card')].map(c => +c.dataset.story)")
        check("sort and stage come from the URL", got == [s["id"] for s in want["stories"]])
        # statuses: every card but an open one has a badge (went quiet its own), and the status filter
        page.goto(base + "/#/", "board", "the board, for its statuses")
        badges = page.eval("[...document.querySelectorAll('.story-card')].map(c => { const b = c.querySelector("
                           "'.outcome'); return b ? b.textContent : 'open'; })")
        board = api(base, "/api/stories?limit=25&sort=recent")
        want = [{"quiet": "went quiet"}.get(s.get("outcome") or "open", s.get("outcome") or "open")
                for s in board["stories"]]
        check("each card shows its status, 'went quiet' with a badge of its own", badges == want, f"{badges} vs {want}")
        for status in ("quiet", "done", "failed", "open"):
            page.eval("document.body.dataset.ready = ''")
            page.send("Page.navigate", url=base + "/#/?status=" + status)
            page.wait_for("document.body.dataset.ready === '1' && document.querySelector('select[name=status]').value === "
                          + json.dumps(status), "the status filter from the URL")
            want = api(base, "/api/stories?limit=25&sort=recent&status=" + status)
            got = page.eval("[...document.querySelectorAll('.story-card')].map(c => +c.dataset.story)")
            check(f"the status filter '{status}' shows the API's stories", got == [s["id"] for s in want["stories"]],
                  f"{got}")
        # sort by likelihood, on a store that cannot: a message, no breakage
        page.goto(base + "/#/?sort=likelihood", "board", "likelihood sort")
        has_cards = page.eval("document.querySelectorAll('.story-card').length > 0")
        has_note = page.eval("!!document.querySelector('.notice.error')")
        check("sort by likelihood: stories, or a clear message when the store cannot sort so", has_cards or has_note)

        # ---- other views
        player = target["player"]
        page.goto(base + "/#/player/" + urllib.parse.quote(player), "player", "player view")
        check("the player view", page.eval("document.querySelector('h1').textContent") == player and
              page.eval("document.querySelectorAll('.story-card').length") >= 1)
        page.goto(base + "/#/club/" + urllib.parse.quote(club), "club", "club view")
        check("the club view", page.eval(f"document.querySelector('.story-card[data-story=\"{target['id']}\"]') !== null"))
        page.goto(base + "/#/sources", "sources", "sources view")
        rows = page.eval("document.querySelectorAll('.sources-table tbody tr').length")
        check("the sources view", rows == len(api(base, "/api/sources")["sources"]) and rows > 0)
        page.goto(base + "/#/", "board", "board")
        page.eval("document.body.dataset.ready = ''; document.getElementById('search-q').value = 'bid'")
        page.click("#search button")
        page.wait_for("document.body.dataset.view === 'search' && document.body.dataset.ready === '1'", "search")
        check("the search box finds articles, matches marked",
              page.eval("document.querySelectorAll('.hits li').length") >= 1 and
              page.eval("document.querySelectorAll('.snippet mark').length") >= 1)
        page.goto(base + "/#/story/999999", "story", "missing story")
        check("a missing story says so", "no story" in (page.eval("document.querySelector('.notice.error').textContent") or ""))

        # ---- a likelihood and a reliability, as the store will give them: injected into the API's answers
        def inject(p):
            rid = p["requestId"]
            url = p["request"]["url"]
            body = page.send("Fetch.getResponseBody", requestId=rid)
            raw = base64.b64decode(body["body"]) if body.get("base64Encoded") else body["body"].encode()
            d = json.loads(raw)
            if "/api/sources" in url:
                for i, s in enumerate(d["sources"]):
                    s["hit_rate"] = 0.5 + 0.05 * (i % 5)
                    s["interval"] = [s["hit_rate"] - 0.2, s["hit_rate"] + 0.15]
            elif "/api/stories/" in url:
                d["likelihood"] = {"p": 0.42, "factors": [
                    {"name": "stage_reached", "value": 4, "contribution": 0.8},
                    {"name": "independent_sources", "value": 2, "contribution": 0.3},
                    {"name": "silence", "value": 1514, "contribution": -0.6}]}
            elif "/api/stories" in url:
                for i, s in enumerate(d["stories"]):
                    s["likelihood"] = round(0.9 - 0.1 * i, 2)
            page.send("Fetch.fulfillRequest", requestId=rid, responseCode=200,
                      responseHeaders=[{"name": "Content-Type", "value": "application/json; charset=utf-8"}],
                      body=base64.b64encode(json.dumps(d).encode()).decode())
        page.handlers["Fetch.requestPaused"] = inject
        page.send("Fetch.enable", patterns=[{"urlPattern": "*/api/stories*", "requestStage": "Response"},
                                             {"urlPattern": "*/api/sources*", "requestStage": "Response"}])
        page.goto(base + f"/#/story/{target['id']}", "story", "story + likelihood")
        check("a story's likelihood is shown with its explanation",
              page.eval("document.querySelector('.likelihood .meter-text').textContent") == "42%" and
              page.eval("document.querySelectorAll('.likelihood .factors tbody tr').length") == 3)
        check("factors that lower the likelihood are marked so",
              page.eval("document.querySelectorAll('.likelihood .factors td.down').length") == 1)
        page.screenshot(os.path.join(shots, "story-likelihood.png"))
        page.goto(base + "/#/", "board", "board + likelihood")
        check("board cards show a likelihood when the API gives one",
              page.eval("document.querySelectorAll('.story-card .meter').length") == cards)
        page.goto(base + "/#/sources", "sources", "sources + reliability")
        first = api(base, "/api/sources")["sources"][0]["name"]  # given a hit rate of 50% above
        rel = page.eval(f"document.querySelector('.sources-table tr[data-source={json.dumps(first)}] td.rate').textContent")
        check("sources show their reliability when the API gives one", rel.startswith("50%") and "(" in rel, rel)
        page.send("Fetch.disable")
        page.handlers.pop("Fetch.requestPaused")

        # ---- a phone-sized window
        page.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
        page.goto(base + f"/#/story/{target['id']}", "story", "story on a phone")
        overflow = page.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check("the story fits a phone-sized window (no sideways scrolling of the page)", overflow <= 1, f"{overflow}px")
        page.screenshot(os.path.join(shots, "story-phone.png"))
        page.goto(base + "/#/", "board", "board on a phone")
        overflow = page.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check("the board fits a phone-sized window", overflow <= 1, f"{overflow}px")
        page.screenshot(os.path.join(shots, "board-phone.png"))

        page.pump(0.3)
        check("no script or console error on the page", not page.errors, "; ".join(page.errors[:5]))
    except (TimeoutError, RuntimeError, OSError, KeyError, ValueError) as e:
        check("the browser session ran to the end", False, f"{type(e).__name__}: {e}")
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {shots}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
