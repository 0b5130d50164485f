"""govsim serve driven in headless Chromium (Selenium and chromedriver, Debian's packages).

Usage: check_serve.py GOVSIM WORK_DIR

The page is used as a researcher would: a bad value is refused with the message `govsim run --set` prints; a
parameter is changed, joint handling is switched on in the second arm, and 60 days are run; the values the
charts plot are then compared, bit for bit, with `/series` of `govsim run` on the scenario the page saves, and
with the HDF5 file the page offers. A screenshot (WORK_DIR/serve.png) shows the charts drawn (checked on the
canvases' pixels); a second tab gets a simulation of its own; Ctrl-C stops the server with exit code 0, and
nothing is written outside its --out directory.
"""
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import h5py
import numpy as np
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

GOVSIM, WORK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def fail(msg):
    sys.exit(f"FAIL: {msg}")


def wait_for(driver, script, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    fail(f"timed out after {timeout} s waiting for {what}; page error: "
         f"{driver.execute_script('return window.govsim && window.govsim.error')!r}")


def set_value(driver, key, value):
    box = driver.find_element(By.ID, f"p-{key}")
    # Its section folded: open it, as a user would.
    driver.execute_script("const d = arguments[0].closest('details');"
                          "if (!d.open) d.querySelector('summary').click();"
                          "arguments[0].scrollIntoView({block: 'center'});", box)
    box.clear()
    box.send_keys(value)


def plotted(driver):
    """What the four charts draw: metric, and each arm's label and data (null for NaN)."""
    return driver.execute_script("""
        return govsim.charts.map((c, i) => ({
          metric: document.getElementById('chart' + i + '-metric').value,
          labels: c.data.labels,
          datasets: c.data.datasets.map(d => ({label: d.label, data: d.data}))}));""")


def same(chart_values, series, what):
    a = np.array([math.nan if v is None else v for v in chart_values], dtype=float)
    if a.shape != series.shape or not np.array_equal(a, series, equal_nan=True):
        diff = np.nanmax(np.abs(a - series)) if a.shape == series.shape else f"shapes {a.shape} {series.shape}"
        fail(f"{what}: the chart's values differ from govsim run's series (max difference {diff})")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    cwd, out = os.path.join(WORK, "cwd"), os.path.join(WORK, "out")
    os.makedirs(cwd)
    server = subprocess.Popen([GOVSIM, "serve", "--port", "0", "--out", out], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    if "http://" not in line:
        server.kill()
        fail(f"govsim serve printed no address: {line!r} {server.stderr.read()!r}")
    url = line.split()[2]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1100"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        session = wait_for(driver, "return window.govsim && window.govsim.session && "
                                   "document.getElementById('p-run.days') && window.govsim.session", 30,
                           "the page to start a session")

        # A bad value: the command line's message, and nothing runs.
        empty = os.path.join(WORK, "defaults.ini")
        open(empty, "w").close()
        cli = subprocess.run([GOVSIM, "run", empty, "--set", "grid.hours_per_day=abc", "--out",
                              os.path.join(WORK, "bad.h5")], capture_output=True, text=True)
        set_value(driver, "grid.hours_per_day", "abc")
        driver.find_element(By.ID, "run").click()
        shown = wait_for(driver, "return document.getElementById('error').textContent", 20, "the error")
        if cli.returncode != 2 or shown != cli.stderr.strip():
            fail(f"the page showed {shown!r}; govsim run prints {cli.stderr.strip()!r} (exit {cli.returncode})")

        # A parameter, a mechanism, 60 days.
        set_value(driver, "grid.hours_per_day", "7")
        set_value(driver, "run.days", "60")
        set_value(driver, "district.communities", "12")
        driver.find_element(By.ID, "arm1-m-joint_handling").click()
        driver.find_element(By.ID, "run").click()
        wait_for(driver, "return govsim.done && govsim.day === 59 && !document.getElementById('error').textContent",
                 180, "60 days")
        time.sleep(0.5)  # the last frame drawn
        charts = plotted(driver)

        # The saved scenario, run by govsim run: the same series, bit for bit.
        saved = os.path.join(WORK, "saved.ini")
        urllib.request.urlretrieve(f"{url}api/sessions/{session}/scenario.ini", saved)
        text = open(saved).read()
        if "hours_per_day = 7" not in text or "joint_handling" not in text:
            fail(f"the saved scenario lacks the page's settings:\n{text}")
        cli_h5 = os.path.join(WORK, "cli.h5")
        subprocess.run([GOVSIM, "run", saved, "--out", cli_h5, "--quiet"], check=True)
        offered = os.path.join(WORK, "offered.h5")
        urllib.request.urlretrieve(f"{url}api/sessions/{session}/result.h5", offered)
        for path in (cli_h5, offered):
            with h5py.File(path, "r") as f:
                arms = [a.decode() if isinstance(a, bytes) else a for a in f["runs/arm"][()]]
                if len(arms) != 2:
                    fail(f"{path}: {len(arms)} runs, expected 2 (two arms, one replicate)")
                for chart in charts:
                    if len(chart["labels"]) != 60:
                        fail(f"chart {chart['metric']} shows {len(chart['labels'])} days, not 60")
                    for a, ds in enumerate(chart["datasets"]):
                        row = arms.index(ds["label"])
                        same(ds["data"], f["series"][chart["metric"]][row, :], f"{path}: {chart['metric']}, {ds['label']}")
        if not os.path.exists(os.path.join(out, f"session-{session}", "result.h5")):
            fail("the offered HDF5 file is not in the session's directory")

        # The charts are drawn: coloured pixels on every canvas; the screenshot.
        inked = driver.execute_script("""
            return [...document.querySelectorAll('canvas')].map(c => {
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; });""")
        if len(inked) < 7 or min(inked) < 200:
            fail(f"a canvas is (nearly) empty: painted pixels per canvas {inked}")
        shot = os.path.join(WORK, "serve.png")
        driver.save_screenshot(shot)
        if os.path.getsize(shot) < 30000:
            fail(f"the screenshot {shot} is suspiciously small ({os.path.getsize(shot)} bytes)")

        # Reset and step a day: the run starts again from day 0, one day at a time.
        driver.find_element(By.ID, "reset").click()
        wait_for(driver, "return govsim.day === -1", 30, "the reset")
        driver.find_element(By.ID, "step").click()
        wait_for(driver, "return govsim.day === 0", 30, "one step")
        time.sleep(0.5)
        if driver.execute_script("return govsim.day") != 0:
            fail("'Step a day' ran more than one day")
        step0 = driver.execute_script("return govsim.charts[0].data.datasets[0].data[0]")
        if step0 != charts[0]["datasets"][0]["data"][0]:
            fail(f"day 0 after a reset differs: {step0} against {charts[0]['datasets'][0]['data'][0]}")

        # A second tab: a session of its own, not started, while the first stays finished.
        first = driver.current_window_handle
        driver.switch_to.new_window("tab")
        driver.get(url)
        second = wait_for(driver, "return window.govsim && window.govsim.session", 30, "the second tab's session")
        if second == session:
            fail("the second tab got the first tab's session")
        if driver.execute_script("return govsim.day") != -1:
            fail("the second tab's simulation is not a new one")
        state = json.load(urllib.request.urlopen(f"{url}api/sessions/{session}/state"))
        if state["day"] != 0 or state["running"]:
            fail(f"the first session changed: {state}")
        driver.switch_to.window(first)
    finally:
        driver.quit()
        # Ctrl-C: a clean stop.
        server.send_signal(signal.SIGINT)
        try:
            rc = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            fail("govsim serve did not stop within 20 s of Ctrl-C")
    if rc != 0:
        fail(f"govsim serve exited {rc} after Ctrl-C: {server.stderr.read()!r}")
    if os.listdir(cwd):
        fail(f"govsim serve wrote outside --out: {os.listdir(cwd)}")
    print(f"PASS: govsim serve: bad value refused with the CLI's message; 60 days of 2 arms plotted equal "
          f"govsim run's series of the saved scenario and the offered HDF5; charts drawn ({shot}); a second "
          f"tab has its own session; reset and step work; Ctrl-C stops it")


if __name__ == "__main__":
    main()
