"""Redraws docs/figures/report-main.png and docs/figures/report-sweep.png: `govsim report` pages as headless
Chromium shows them. The main report is of scenarios/main_comparison.ini (REPLICATES replicates, default 5,
to keep it to a minute on two cores); the sweep report of scenarios/experiments/factorial.ini as shipped
(240 days). Each page is captured whole, at half scale.

Usage: /usr/bin/python3 scripts/report-screenshots.py GOVSIM [OUT_DIR] [REPLICATES]
"""
import os
import subprocess
import sys
import tempfile

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
govsim = os.path.abspath(sys.argv[1])
out_dir = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "docs", "figures"))
replicates = sys.argv[3] if len(sys.argv) > 3 else "5"


def run(*args, cwd):
    subprocess.run([govsim, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def capture(index, png, width=1400, scale=0.5):
    """The whole page at `width` CSS pixels, saved at `scale` (a tall page in one image)."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                f"--window-size={width},1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get("file://" + index)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, height + 120)  # the window's frame takes part of it in headless mode too
        driver.save_screenshot(png)
    finally:
        driver.quit()
    img = Image.open(png)
    img = img.resize((int(img.width * scale), int(img.height * scale)), Image.LANCZOS)
    img.convert("RGB").quantize(colors=256).save(png, optimize=True)
    print(f"{png}: {img.width} x {img.height}")


with tempfile.TemporaryDirectory() as tmp:
    run("run", os.path.join(REPO, "scenarios", "main_comparison.ini"), "--set", f"run.replicates={replicates}",
        "--out", "main.h5", "--quiet", cwd=tmp)
    run("report", "main.h5", "--out", "main", cwd=tmp)
    capture(os.path.join(tmp, "main", "index.html"), os.path.join(out_dir, "report-main.png"))
    run("sweep", os.path.join(REPO, "scenarios", "experiments", "factorial.ini"),
        "--out", "sw", "--quiet", cwd=tmp)
    run("merge", "sw", "--out", "factorial.h5", cwd=tmp)
    run("report", "factorial.h5", "--out", "sweep", cwd=tmp)
    capture(os.path.join(tmp, "sweep", "index.html"), os.path.join(out_dir, "report-sweep.png"))
