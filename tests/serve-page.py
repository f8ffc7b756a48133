# tests/serve-page.py: nc-serve's page in a real browser (Debian's
# headless Chromium, driven by chromedriver through python3-selenium),
# for tests/t1280-serve-page.sh.
#
#   python3 serve-page.py URL LOADCMD OUT.json
#
# Opens URL, waits for the alerts table, records what the page shows;
# runs LOADCMD (a shell command: an nc-store load of new alerts) and
# measures, from the moment it exits, how long the first new alert takes
# to show, without a reload; opens the item view of a row and records
# what the chart draws; types filters; then writes everything, with
# the browser's console log, to OUT.json.  The shell test asserts.
# With $NC_PAGE_TOKEN, the token is put in the tab's session storage (as
# the page's token field does) before the page's own script runs, so that
# the page never meets a 401.
import json, os, subprocess, sys, time, tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

url, loadcmd, out = sys.argv[1], sys.argv[2], sys.argv[3]
res = {}

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--no-first-run", "--disable-extensions", "--lang=pt-BR",
          "--user-data-dir=" + tempfile.mkdtemp(prefix="chromium-")):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
drv.set_page_load_timeout(20)


def wait(cond, secs):
    t = time.time()
    while time.time() - t < secs:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    return None


def rows():
    return drv.execute_script(
        "return Array.from(document.querySelectorAll('#rows tr')).map(function (tr) {"
        " return { item: tr.dataset.item, level: tr.dataset.level,"
        " cells: Array.from(tr.children).map(function (td) { return td.textContent; }) }; });")


try:
    if os.environ.get("NC_PAGE_TOKEN"):
        drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
            "source": "if (location.href.indexOf(%s) === 0) sessionStorage.setItem('nc-token', %s);"
                      % (json.dumps(url), json.dumps(os.environ["NC_PAGE_TOKEN"]))})
    drv.get(url)
    wait(lambda: len(rows()) > 0, 10)
    wait(lambda: drv.find_element(By.ID, "status").text == "ao vivo", 5)
    drv.execute_script("window.ncMark = 'not reloaded';")
    res["lang"] = drv.execute_script("return document.documentElement.lang")
    res["status"] = drv.find_element(By.ID, "status").text
    res["rows"] = rows()
    res["counts"] = drv.find_element(By.ID, "counts").text
    res["orders"] = drv.find_element(By.ID, "orders").text

    before = set(r["item"] for r in res["rows"])
    subprocess.run(["sh", "-c", loadcmd], check=True)
    t0 = time.time()
    got = wait(lambda: [r for r in rows() if r["item"] not in before], 30)
    res["new_ms"] = round((time.time() - t0) * 1000) if got else None
    res["new_rows"] = got or []
    res["mark"] = drv.execute_script("return window.ncMark || null")
    res["rows_after"] = rows()

    # The item view of the first row of the first load.
    first = res["rows"][0]["item"]
    cell = [td for td in drv.find_elements(By.CSS_SELECTOR, "#rows tr td.item") if td.text == first][0]
    cell.click()
    wait(lambda: drv.execute_script("return document.querySelectorAll('#chart .band, #chart .history').length"), 5)
    res["item"] = first
    res["chart"] = drv.execute_script(
        "var c = document.getElementById('chart'); return {"
        " history: c.querySelectorAll('.history').length, band: c.querySelectorAll('.band').length,"
        " band_d: (c.querySelector('.band') || { getAttribute: function () { return ''; } }).getAttribute('d'),"
        " forecast: c.querySelectorAll('.forecast').length,"
        " reorder: c.querySelectorAll('.reorder-point').length,"
        " axis: Array.from(c.querySelectorAll('.axis')).map(function (t) { return t.textContent; }) };")
    res["item_title"] = drv.find_element(By.ID, "item-title").text
    res["item_info"] = drv.find_element(By.ID, "item-info").text

    # Filters: a family typed without its accent and in lower case.
    fam = drv.find_element(By.ID, "f-family")
    fam.send_keys(sys.argv[4] if len(sys.argv) > 4 else "")
    time.sleep(0.2)
    res["rows_family"] = rows()
    fam.clear()
    drv.execute_script("var s = document.getElementById('f-level'); s.value = 'VERMELHO';"
                       " s.dispatchEvent(new Event('input'));")
    time.sleep(0.2)
    res["rows_red"] = rows()
finally:
    # Written whatever happened: the shell test says what is missing.
    res["console"] = drv.get_log("browser")
    drv.quit()
    with open(out, "w") as f:
        json.dump(res, f, ensure_ascii=False, indent=1)
