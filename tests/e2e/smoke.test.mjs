// First run of the real app in a real WebKitGTK window: load a few demo days, find a
// SKU and see its stock by location, read why an order shipped from where it did and
// what each channel may promise, run a release wave into the exception queue, approve a
// planner's proposal, inspect a return at the returns desk, and see the stock ledger
// reconcile with the GL. Driven through tauri-driver (WebDriver on :4444), which
// .ci/e2e.sh starts along with Xvfb and a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Builder, By, Capabilities, Key, until } from "selenium-webdriver";

const application = process.env.STOCKROOM_APP;
const driverUrl = process.env.TAURI_DRIVER_URL ?? "http://127.0.0.1:4444/";
const shots = process.env.E2E_SCREENSHOT_DIR ?? "target/e2e";
const FROM = "2010-12-01";
const TO = "2010-12-03";
const SKU = "85123A";

let driver;

const byTestId = (id) => By.css(`[data-testid="${id}"]`);

/** Saves a screenshot; gives up after 20 s rather than hanging the run. */
async function screenshot(name) {
  if (!driver) return;
  await mkdir(shots, { recursive: true });
  const file = path.join(shots, `${name}.png`);
  // Let WebKit paint the latest render first; a snapshot mid-update comes out blank.
  await driver
    .executeAsyncScript(
      "const done = arguments[arguments.length - 1];" +
        "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)));",
    )
    .catch(() => {});
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 20_000).unref());
  const png = await Promise.race([driver.takeScreenshot(), timeout]);
  if (!png) {
    console.error(`screenshot ${name} timed out`);
    return;
  }
  await writeFile(file, png, "base64");
  console.log(`screenshot: ${file}`);
}

async function visible(id, timeoutMs) {
  const el = await driver.wait(until.elementLocated(byTestId(id)), timeoutMs, `no ${id}`);
  await driver.wait(until.elementIsVisible(el), timeoutMs, `${id} not visible`);
  return el;
}

/** Sets a React-controlled input the way a user would, whatever the date locale. */
async function setInput(el, value) {
  await driver.executeScript(
    `const [el, value] = arguments;
     const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
     setter.call(el, value);
     el.dispatchEvent(new Event("input", { bubbles: true }));
     el.dispatchEvent(new Event("change", { bubbles: true }));`,
    el,
    value,
  );
}

async function dateInputs() {
  const tagged = await driver.findElements(
    By.css('[data-testid="demo-from"], [data-testid="demo-to"]'),
  );
  if (tagged.length === 2) return tagged;
  return driver.findElements(By.css('.demo-loader input[type="date"]'));
}

/** Waits for at least one element whose test id starts with `prefix`. */
async function rowsOf(prefix, message) {
  return driver.wait(
    async () => {
      const found = await driver.findElements(By.css(`[data-testid^="${prefix}"]`));
      return found.length > 0 ? found : null;
    },
    30_000,
    message,
  );
}

before(async () => {
  assert.ok(application, "STOCKROOM_APP must name the built app binary");
  const caps = new Capabilities();
  caps.setBrowserName("wry");
  caps.set("tauri:options", { application });
  driver = await new Builder().withCapabilities(caps).usingServer(driverUrl).build();
});

after(async () => {
  await screenshot("final").catch((err) => console.error(`no final screenshot: ${err}`));
  await driver?.quit();
});

const TEST_TIMEOUT_MS = 20 * 60_000;

const STORY =
  "first run: load demo days, find a SKU, see its stock by location and the plan's proposals";

test(STORY, { timeout: TEST_TIMEOUT_MS }, async () => {
  // The first start creates the local database (initdb), so allow for it.
  const load = await visible("load-demo", 180_000);
  await screenshot("first-run");

  const [from, to] = await dateInputs();
  assert.ok(from && to, "the demo loader has a from and a to date");
  await setInput(from, FROM);
  await setInput(to, TO);
  await driver.wait(until.elementIsEnabled(load), 10_000, "load-demo stays disabled");
  await load.click();

  const summary = await visible("replay-summary", 600_000);
  assert.notEqual((await summary.getText()).trim(), "", "the replay summary is empty");
  await screenshot("replay-summary");

  await (await visible("nav-inventory", 10_000)).click();
  const search = await visible("sku-search", 30_000);
  await search.clear();
  await search.sendKeys(SKU);
  await (await visible(`search-result-${SKU}`, 30_000)).click();

  await visible("positions-table", 30_000);
  const rows = await rowsOf("position-row-", `no position rows for ${SKU}`);
  const rowId = await rows[0].getAttribute("data-testid");
  const location = rowId.slice("position-row-".length);
  const cells = await rows[0].findElements(By.css(`[data-testid^="cell-${location}-"]`));
  assert.ok(cells.length > 0, `no state cells in ${rowId}`);
  const texts = await Promise.all(cells.map((c) => c.getText()));
  assert.ok(texts.some((t) => t.trim() !== ""), `every cell of ${rowId} is empty`);
  console.log(`${SKU} at ${location}: ${texts.join(" | ")}`);
  await screenshot("sku-positions");

  // The demo's invoices were captured, reserved, routed and shipped as orders.
  await (await visible("nav-orders", 10_000)).click();
  await visible("orders-grid", 30_000);
  const orderRows = await rowsOf("order-row-", "no orders after the demo load");
  await (await orderRows[0].findElement(By.css("td"))).click();
  await visible("order-detail", 30_000);
  const routing = await visible("routing-explanation", 30_000);
  const why = await (await routing.findElement(By.css(".explanation"))).getText();
  assert.notEqual(why.trim(), "", "the routing decision has no explanation");
  const candidates = await routing.findElements(By.css('[data-testid^="candidate-row-"]'));
  assert.ok(candidates.length > 0, "the routing decision lists no candidate locations");
  console.log(`order routing: ${why} (${candidates.length} candidates)`);
  await driver.executeScript("arguments[0].scrollIntoView({ block: 'start' });", routing);
  await screenshot("order-routing");

  await (await visible("nav-availability", 10_000)).click();
  const skuInput = await visible("availability-sku-input", 30_000);
  await skuInput.sendKeys(SKU, Key.ENTER);
  await visible("availability-channels", 30_000);
  const channels = await rowsOf("availability-channel-", `no channel availability for ${SKU}`);
  console.log(`availability of ${SKU}: ${channels.length} channels`);
  await screenshot("availability");

  await (await visible("nav-exceptions", 10_000)).click();
  await visible("exceptions-page", 30_000);
  await (await visible("release-wave-button", 10_000)).click();
  const wave = await visible("release-wave-result", 60_000);
  console.log(`release wave: ${await wave.getText()}`);
  await screenshot("exceptions");

  // The demo load also set up suppliers, fitted forecasts and ran a plan.
  await (await visible("nav-planning", 10_000)).click();
  await visible("proposals-grid", 30_000);
  // AG Grid redraws its rows while data arrives; an element found mid-redraw goes stale,
  // so look again until a row can be read.
  const firstSku = await driver.wait(
    async () => {
      try {
        const found = await driver.findElements(By.css('[data-testid^="proposal-sku-"]'));
        return found.length > 0 ? await found[0].getText() : null;
      } catch (err) {
        if (err.name === "StaleElementReferenceError") return null;
        throw err;
      }
    },
    60_000,
    "no proposal rows after the demo's plan",
  );
  const count = await (await visible("proposals-count", 10_000)).getText();
  console.log(`planning: ${count} first SKU ${firstSku}`);
  await driver.wait(
    until.elementLocated(By.css('[data-testid="forecast-chart"] .recharts-surface')),
    30_000,
    "no forecast chart for the proposal in focus",
  );
  await screenshot("planning");

  // Approve the most urgent proposal and find the document it became.
  const tick = await driver.findElement(
    By.css('[data-testid="proposals-grid"] .ag-row[row-index="0"] .ag-selection-checkbox input'),
  );
  await tick.click();
  await (await visible("approve-selected", 10_000)).click();
  const prompt = await visible("prompt-approve", 10_000);
  await (await prompt.findElement(By.css('button[type="submit"]'))).click();
  const decision = await visible("decision-result", 60_000);
  console.log(`approval: ${await decision.getText()}`);
  const kind = (await decision.getText()).includes("purchase order")
    ? "purchase-order"
    : "transfer";
  await (await visible(`planning-tab-${kind}s`, 10_000)).click();
  const docs = await rowsOf(`${kind}-row-`, `no ${kind} after the approval`);
  // WebKitWebDriver will not click a <tr>; its first cell opens it all the same.
  await (await docs[0].findElement(By.css("td"))).click();
  await visible(`receive-${kind}`, 30_000);
  await screenshot(`planning-${kind}s`);

  await (await visible("planning-tab-policy", 10_000)).click();
  await visible("policy-current", 30_000);
  await screenshot("planning-policy");

  // The demo's last days' returns wait at the returns desk: inspect one and decide.
  await (await visible("nav-returns", 10_000)).click();
  await visible("returns-workstation", 30_000);
  const pending = await rowsOf("returns-queue-row-", "no returns waiting after the demo load");
  await screenshot("returns-queue");
  await (await pending[0].findElement(By.css("td"))).click();
  await visible("return-detail", 30_000);
  await (await visible("grade-as_new", 30_000)).click();
  await visible("recovery-options", 10_000);
  const inspection = await visible("inspection", 10_000);
  await (await inspection.findElement(By.css('button[type="submit"]'))).click();
  const done = await visible("decision-done", 30_000);
  console.log(`returns: ${await done.getText()}`);
  await screenshot("returns-decided");

  await (await visible("returns-tab-dashboard", 10_000)).click();
  await visible("kpi-table", 30_000);
  await visible("kpi-row-all", 30_000);
  await screenshot("returns-dashboard");

  // Finance: every movement above was valued and posted; the stock ledger equals the GL.
  await (await visible("nav-finance", 10_000)).click();
  await visible("finance-page", 30_000);
  const difference = await visible("recon-difference", 60_000);
  const diffText = await difference.getText();
  console.log(`reconciliation difference: ${diffText}`);
  assert.match(diffText, /(^|[^\d.,])0\.00(?!\d)/, "the stock ledger and the GL differ");
  assert.match(await difference.getAttribute("class"), /\bbalanced\b/);
  await visible("recon-locations", 30_000);
  await screenshot("finance-reconciliation");
  await (await visible("finance-tab-journal", 10_000)).click();
  await driver.wait(
    async () => (await driver.findElements(By.css('[data-testid^="journal-line-"]'))).length > 0,
    30_000,
    "no journal lines after the demo load",
  );
  await screenshot("finance-journal");
});
