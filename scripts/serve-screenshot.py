"""Redraws docs/figures/serve.png, the README's picture of `govsim serve`: the default district with 20
communities for 300 days, joint handling in the second arm, run in headless Chromium.

Usage: /usr/bin/python3 scripts/serve-screenshot.py GOVSIM [OUT.png]
"""
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

govsim = os.path.abspath(sys.argv[1])
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "docs", "figures", "serve.png")
with tempfile.TemporaryDirectory() as tmp:
    server = subprocess.Popen([govsim, "serve", "--port", "0", "--out", tmp], stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().split()[2]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1500,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        while not driver.execute_script("return window.govsim && window.govsim.session && document.getElementById('p-run.days')"):
            time.sleep(0.1)
        for key, value in (("run.days", "300"), ("district.communities", "20")):
            box = driver.find_element(By.ID, f"p-{key}")
            driver.execute_script("const d = arguments[0].closest('details'); if (!d.open) d.open = true;", box)
            box.clear()
            box.send_keys(value)
        name = driver.find_element(By.ID, "arm1-name")
        name.clear()
        name.send_keys("joint_handling")
        driver.find_element(By.ID, "arm1-m-joint_handling").click()
        driver.find_element(By.ID, "run").click()
        while not driver.execute_script("return govsim.done"):
            time.sleep(0.2)
        time.sleep(0.5)
        driver.execute_script("document.querySelector('aside').scrollTop = 0")
        driver.save_screenshot(out)
    finally:
        driver.quit()
        server.terminate()
        server.wait()
print(out)
