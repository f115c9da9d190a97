#!/usr/bin/env python3
"""Title and byline match rates on the readability benchmark, uninews beside trafilatura.

Each page's truth.json entry carries `title` and `byline`. A title matches when it equals
the labelled title after whitespace is collapsed and case folded; a byline matches the
same way, also with a leading "By " dropped from both sides. Pages whose label is empty
count for a tool when the tool gives nothing too. uninews runs as
`uninews extract FILE --url URL --no-profile` (record fields `title`, `author`);
trafilatura's `bare_extraction` metadata (`title`, `author`) runs in the given
interpreter's environment.

    python3 scripts/readability-meta.py --set ../shared/generic/readability \
        --bin target/release/uninews --trafilatura /path/to/venv/bin/python [--misses]
"""
import argparse
import json
import re
import subprocess

TRAFILATURA = r"""
import json, sys, trafilatura
out = {}
for path, url in json.load(sys.stdin):
    html = open(path, encoding="utf-8", errors="replace").read()
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is not None and not isinstance(doc, dict):
        doc = doc.as_dict()
    doc = doc or {}
    out[path] = {"title": doc.get("title") or "", "byline": doc.get("author") or ""}
json.dump(out, sys.stdout)
"""


def norm(s, byline=False):
    s = re.sub(r"\s+", " ", (s or "")).strip().casefold()
    if byline:
        s = re.sub(r"^by\s+", "", s)
    return s


def uninews(binary, path, url):
    r = subprocess.run([binary, "extract", path, "--url", url, "--no-profile"], capture_output=True, timeout=60)
    try:
        rec = json.loads(r.stdout) if r.returncode == 0 else {}
    except ValueError:
        rec = {}
    return {"title": rec.get("title") or "", "byline": rec.get("author") or ""}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", required=True, help="folder with <id>.html and truth.json")
    ap.add_argument("--bin", required=True, help="the uninews binary")
    ap.add_argument("--trafilatura", help="python interpreter that has trafilatura installed")
    ap.add_argument("--misses", action="store_true", help="list uninews's misses")
    a = ap.parse_args()
    truth = json.load(open(f"{a.set}/truth.json", encoding="utf-8"))
    pages = [(pid, f"{a.set}/{pid}.html", t) for pid, t in truth.items()]
    ours = {path: uninews(a.bin, path, t["url"]) for _, path, t in pages}
    theirs = {}
    if a.trafilatura:
        job = json.dumps([(path, t["url"]) for _, path, t in pages])
        r = subprocess.run([a.trafilatura, "-c", TRAFILATURA], input=job.encode(), capture_output=True)
        if r.returncode != 0:
            raise SystemExit("trafilatura failed: " + r.stderr.decode()[-300:])
        theirs = json.loads(r.stdout)
    print(f"{'field':8} {'pages':>5} {'uninews':>8} {'trafilatura':>12}")
    for field in ("title", "byline"):
        bl = field == "byline"
        hit = lambda got, t: norm(got.get(field), bl) == norm(t.get(field), bl)
        n = len(pages)
        u = sum(hit(ours[p], t) for _, p, t in pages)
        line = f"{field:8} {n:5} {u / n:8.3f}"
        if theirs:
            line += f" {sum(hit(theirs.get(p, {}), t) for _, p, t in pages) / n:12.3f}"
        print(line)
        if a.misses:
            for pid, p, t in pages:
                if not hit(ours[p], t):
                    print(f"  {pid} {field}: want {t.get(field)!r} got {ours[p].get(field)!r}")


if __name__ == "__main__":
    main()
