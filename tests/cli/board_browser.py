#!/usr/bin/env python3
"""board_browser.py - the board of radar serve checked in headless Chromium, for test_board_browser.sh.

usage: board_browser.py BASE_URL SHOT_DIR CHROMIUM

The server at BASE_URL holds the world of tests/fixtures/board (see its README):
a story reported every month from January to September 2024 by three outlets,
a story done, one failed, one gone quiet, an open one with a word found only in
its article, and outlets with different hit rates. Chromium is driven over the
DevTools protocol (the client in browser.py); every check reads the rendered
DOM, and each action is a real mouse click or a change of a form field:

- the board lists the newest activity first, and the status filter (the select
  on the page) changes the stories listed to the API's for that status; the
  window filter too; counts are written "1 mention, 1 source", no stage "none";
- the story chart of the nine-month story: one axis label per month, all
  distinct, and source labels whose boxes do not overlap;
- a search result is titled by the article's title and carries its link, and
  the article page opened from a story scrolls its highlighted evidence into view;
- a click on the "hit rate" heading sorts the sources table by hit rate, a
  second click turns the order round, and a source's page shows its record;
- every character the page writes is in the DejaVu fonts of a plain Debian
  install (no emoji font needed).

Prints "ok: ..." and "FAIL: ..." lines; exit status 0 when all passed, 1 otherwise
(Chromium that cannot start is a failure here: the caller checked it is installed).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Page, Skip, api, page_socket, start_chromium  # noqa: E402

CARDS = "[...document.querySelectorAll('.story-card')].map(c => +c.dataset.story)"


def fresh(page, url, view, what):
    """Load url anew, even when the page shows it already (a hash that does not change loads nothing)."""
    page.send("Page.navigate", url="about:blank")
    page.wait_for("location.href === 'about:blank'", "a blank page")
    page.goto(url, view, what)


def main():
    if len(sys.argv) != 4:
        print("usage: board_browser.py BASE_URL SHOT_DIR CHROMIUM", file=sys.stderr)
        return 2
    base, shots, binary = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="radar-board.")
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
            print("FAIL:", desc, ("(" + str(detail) + ")") if detail != "" else "")

    class section:
        """A group of checks: an error in it fails it and the next group still runs."""

        def __init__(self, name):
            self.name = name

        def __enter__(self):
            return self

        def __exit__(self, kind, e, tb):
            if kind in (TimeoutError, RuntimeError, OSError, KeyError, ValueError, TypeError, IndexError):
                check(f"the checks of {self.name} ran to the end", False, f"{kind.__name__}: {e}")
                return True
            return False

    proc = None
    try:
        try:
            proc, port = start_chromium(binary, profile)
            page = Page(page_socket(port))
        except Skip as e:
            log = os.path.join(work, "chromium.log")
            tail = open(log, errors="replace").read()[-800:] if os.path.exists(log) else ""
            check("Chromium starts headless", False, f"{e}\n{tail}")
            return 1
        for domain in ("Page", "Runtime", "Log"):
            page.send(domain + ".enable")

        recent = api(base, "/api/stories?limit=25&sort=recent")["stories"]
        long = max(recent, key=lambda s: s["mentions"])

        # ---- the board: newest activity first, counts, stages
        with section("the board's order and counts"):
            fresh(page, base + "/#/", "board", "the board")
            got = page.eval(CARDS)
            check("the board lists the newest activity first", got == [s["id"] for s in recent] and len(got) == 6,
                  f"{got} vs {[s['id'] for s in recent]}")
            check("the sort field says so", page.eval("document.querySelector('select[name=sort]').value") == "recent")
            counts = page.eval("[...document.querySelectorAll('.story-card .counts')].map(c => c.textContent)")
            want = [("%d mention%s, %d source%s" % (s["mentions"], "" if s["mentions"] == 1 else "s",
                                                    s["sources"], "" if s["sources"] == 1 else "s")) for s in recent]
            check("counts are written with plurals, '1 mention, 1 source'", counts == want and "1 mention, 1 source" in counts,
                  f"{counts}")
            text = page.eval("document.getElementById('view').innerText")
            # a story of endings only reached no stage: its stage is its ending, its furthest "none"
            ending = [s for s in recent if s.get("furthest_stage", s["stage"]) == "none"]
            check("no stage is shown as 'none' on the board", "none" not in text.split() and ending, text[:300])
            page.goto(base + f"/#/story/{ending[0]['id']}", "story", "a story of an ending only")
            text = page.eval("document.getElementById('view').innerText")
            check("nor on the page of a story of an ending only", "none" not in text.split(), text[:600])

        # ---- the status filter: a change of the select on the page
        with section('the status and window filters'):
            fresh(page, base + "/#/", "board", "the board")
            open_ids = page.eval(CARDS)
            for status in ("done", "failed", "quiet", "open"):
                page.eval("document.body.dataset.ready = ''; { const s = document.querySelector('select[name=status]'); "
                          f"s.value = {json.dumps(status)}; s.dispatchEvent(new Event('change')); }}")
                page.wait_for("document.body.dataset.ready === '1' && location.hash.includes('status=" + status + "')",
                              "the board filtered by status " + status)
                want = [s["id"] for s in api(base, "/api/stories?limit=25&sort=recent&status=" + status)["stories"]]
                got = page.eval(CARDS)
                check(f"the status filter '{status}' lists the {status} stories only", got == want and got and got != open_ids,
                      f"{got} vs {want}")
            badge = page.eval("document.querySelector('.story-card .outcome') && "
                              "document.querySelector('.story-card .outcome').textContent")
            page.goto(base + "/#/?status=done", "board", "the stories done")
            check("a story done is not also called active or dormant",
                  page.eval("[...document.querySelectorAll('.story-card')].every(c => !c.querySelector('.status'))"))
            page.goto(base + "/#/?status=quiet", "board", "the quiet stories")
            check("a story that went quiet says 'went quiet'",
                  page.eval("document.querySelector('.story-card .outcome').textContent") == "went quiet", badge)
            page.goto(base + "/#/", "board", "the board again")
            page.eval("document.body.dataset.ready = ''; { const s = document.querySelector('select[name=since]'); "
                      "s.value = '2024-07-01'; s.dispatchEvent(new Event('change')); }")
            page.wait_for("document.body.dataset.ready === '1' && location.hash.includes('since=2024-07-01')",
                          "the board from the 2024-25 season on")
            want = [s["id"] for s in api(base, "/api/stories?limit=25&sort=recent&since=2024-07-01")["stories"]]
            got = page.eval(CARDS)
            check("the window filter (season 2024-25 on) lists the stories active since", got == want and 0 < len(got) < len(recent),
                  f"{got} vs {want}")
            page.screenshot(os.path.join(shots, "board-window.png"))

        # ---- the chart of the nine-month story
        with section('the story chart'):
            fresh(page, base + "/#/", "board", "the board")
            page.click(f".story-card[data-story='{long['id']}']")
            page.wait_for(f"location.hash === '#/story/{long['id']}' && document.body.dataset.view === 'story' && "
                          "document.body.dataset.ready === '1'", "the story after a click on its card")
            axis = page.eval("[...document.querySelectorAll('#timeline-chart .axis-label')].map(t => t.textContent)")
            months = sorted({m["date"][:7] for m in api(base, f"/api/stories/{long['id']}")["timeline"] if m.get("date")})
            check("the story has mentions over many months", len(months) >= 8, months)
            check("the time axis has one label per month, none twice",
                  len(axis) == len(months) and len(set(axis)) == len(axis), f"{axis} for {months}")
            check("the axis labels name the months, the year with the first", axis[0] == "Jan 2024" and axis[-1] == "Sep", axis)
            boxes = page.eval("""[...document.querySelectorAll('#timeline-chart .dot-label, #timeline-chart .axis-label')]
                .map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent]; })""")
            overlaps = [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                        if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5]
            labels = page.eval("[...document.querySelectorAll('#timeline-chart .dot-label')].map(t => t.textContent)")
            check("the chart's labels do not overlap one another", not overlaps and boxes, overlaps[:5])
            check("the sources are named on the chart", {"Harbour Gazette", "North Star Times", "Valley Courier"} <= set(labels),
                  labels)
            check("the summary counts agree", page.eval("document.querySelector('.summary .counts').textContent") ==
                  "%d mentions, %d sources" % (long["mentions"], long["sources"]))
            page.screenshot(os.path.join(shots, "board-story-chart.png"))
            # a story of three weeks: its axis names weeks, each once
            short = [s for s in recent if s["first_seen"] and s["first_seen"][:7] == s["last_seen"][:7] and s["mentions"] > 1][0]
            page.goto(base + f"/#/story/{short['id']}", "story", "a story of three weeks")
            axis = page.eval("[...document.querySelectorAll('#timeline-chart .axis-label')].map(t => t.textContent)")
            check("a story of three weeks has one label per week, none twice",
                  len(axis) >= 3 and len(set(axis)) == len(axis) and all(a.split()[0].isdigit() for a in axis), axis)

        # ---- search: a result titled by the article's title, with its link
        with section('search and the article page'):
            fresh(page, base + "/#/", "board", "the board")
            page.eval("document.body.dataset.ready = ''; document.getElementById('search-q').value = 'lighthouse'")
            page.click("#search button")
            page.wait_for("document.body.dataset.view === 'search' && document.body.dataset.ready === '1'", "the search")
            hits = page.eval("""[...document.querySelectorAll('.hits li')].map(li => ({
                title: li.querySelector('.hit-title a').textContent, page: li.querySelector('.hit-title a').getAttribute('href'),
                out: li.querySelector('a.out') && li.querySelector('a.out').href,
                stories: [...li.querySelectorAll('.hit-stories a')].map(a => a.textContent)}))""")
            check("the search result is titled by the article's title", len(hits) == 1 and hits[0]["title"] == "Wolves keen on Marsh",
                  hits)
            check("the search result carries the article's link",
                  hits and hits[0]["out"] == "https://harbour-gazette.example/marsh", hits)
            check("the search result names its story", hits and hits[0]["stories"] == ["Toby Marsh → Wolverhampton Wanderers"], hits)
            page.click(".hits li .hit-title a")
            page.wait_for("document.body.dataset.view === 'article' && document.body.dataset.ready === '1'", "the article page")
            check("the article page is titled by the article's title, with its link",
                  page.eval("document.querySelector('h1').textContent") == "Wolves keen on Marsh" and
                  page.eval("document.querySelector('#view a.out').href") == "https://harbour-gazette.example/marsh")
            page.screenshot(os.path.join(shots, "board-search.png"))
            # evidence: the article of a story's last mention, opened from the story, in a short window
            page.send("Emulation.setDeviceMetricsOverride", width=900, height=300, deviceScaleFactor=1, mobile=False)
            page.goto(base + f"/#/article/bd-09?story={long['id']}", "article", "an article opened from its story")
            seen = page.eval("""(() => { const m = document.querySelector('mark.evidence'); if (!m) return null;
                const r = m.getBoundingClientRect(); return [r.top, r.bottom, innerHeight, scrollY]; })()""")
            check("the article's evidence is highlighted and scrolled into view",
                  seen and seen[0] >= 0 and seen[1] <= seen[2] and seen[3] > 0, seen)
            page.send("Emulation.clearDeviceMetricsOverride")

        # ---- the sources table, sorted by hit rate with a click
        with section('the sources table'):
            page.goto(base + "/#/sources", "sources", "the sources table")
            rows = "[...document.querySelectorAll('.sources-table tbody tr')].map(r => r.dataset.source)"
            srcs = api(base, "/api/sources")["sources"]
            by_rate = [s["name"] for s in sorted(srcs, key=lambda s: (-s["hit_rate"], s["name"]))]
            check("the sources differ in hit rate", len({s["hit_rate"] for s in srcs}) == len(srcs) == 3, srcs)
            before = page.eval(rows)
            page.eval("document.body.dataset.ready = ''")
            page.click(".sources-table th[data-key=hit_rate] a")
            page.wait_for("document.body.dataset.ready === '1' && location.hash.includes('sort=hit_rate')", "the sort by hit rate")
            got = page.eval(rows)
            rates = page.eval("[...document.querySelectorAll('.sources-table tbody td.rate')].map(t => t.textContent)")
            check("a click on 'hit rate' sorts the table by hit rate, best first", got == by_rate and got != before,
                  f"{got} vs {by_rate}; before {before}; {rates}")
            check("the heading says how the table is sorted",
                  page.eval("document.querySelector('th[data-key=hit_rate]').getAttribute('aria-sort')") == "descending")
            page.eval("document.body.dataset.ready = ''")
            page.click(".sources-table th[data-key=hit_rate] a")
            page.wait_for("document.body.dataset.ready === '1' && location.hash.includes('order=asc')", "the order turned round")
            check("a second click turns the order round", page.eval(rows) == by_rate[::-1], page.eval(rows))
            page.screenshot(os.path.join(shots, "board-sources.png"))
            best = by_rate[0]
            page.click(f".sources-table tr[data-source='{best}'] td a")
            page.wait_for("document.body.dataset.view === 'source' && document.body.dataset.ready === '1'", "a source's page")
            rec = api(base, "/api/sources/" + urllib.parse.quote(best))
            got = page.eval("[...document.querySelectorAll('.source-stories tbody tr')].map(r => +r.dataset.story)")
            check("a source's page shows its record and its stories",
                  page.eval("document.querySelector('h1').textContent") == best and
                  page.eval("document.querySelector('.record .rate').textContent").startswith("%d%%" % round(rec["hit_rate"] * 100))
                  and got == [r["story"] for r in rec["stories_reported"]] and got, got)

        # ---- no glyph beyond a plain Debian install's fonts
        with section('the fonts'):
            chars = page.eval("""(() => { const seen = new Set(); const add = (t) => { for (const c of t) if (c.codePointAt(0) > 127) seen.add(c); };
                for (const e of document.querySelectorAll('*')) { const s = getComputedStyle(e, '::before').content;
                  if (s && s !== 'none' && s !== 'normal') add(s); }
                add(document.body.innerText); return [...seen].join(''); })()""")
            page.goto(base + f"/#/story/{long['id']}", "story", "the story again")
            chars += page.eval("""(() => { let s = ''; for (const t of document.querySelectorAll('#view, #view svg text'))
                s += t.textContent; return [...new Set([...s].filter(c => c.codePointAt(0) > 127))].join(''); })()""")
            with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "web", "app.js"),
                      encoding="utf-8") as f:
                chars += "".join(c for c in f.read() if ord(c) > 127)
            missing = []
            if shutil.which("fc-list"):
                for c in sorted(set(chars)):
                    r = subprocess.run(["fc-list", f"DejaVu Sans:charset={ord(c):x}", "family"],
                                       capture_output=True, text=True, timeout=30)
                    if not r.stdout.strip():
                        missing.append(f"U+{ord(c):04X} {c}")
                check("every character the page writes is in DejaVu Sans (fonts-dejavu-core), no emoji font needed",
                      not missing, missing)
            else:
                check("fontconfig (fc-list) is installed with Chromium", False, "no fc-list")

        page.pump(0.3)
        check("no script or console error on the page", not page.errors, "; ".join(page.errors[:5]))
    except (TimeoutError, RuntimeError, OSError, KeyError, ValueError, TypeError) as e:
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
    start = time.time()
    rc = main()
    print(f"({time.time() - start:.1f} s)")
    sys.exit(rc)
