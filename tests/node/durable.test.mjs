// A durable sandbox: `kill -9` while eight clients POST, then a restart on the same database
// (it opens, its integrity check passes, every confirmation answered 201 is there, and a retry
// with the same MS-RequestId gets the first answer, not a second record); and a full disk (a
// clear 503, nothing corrupted, what was recorded stays).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { startSandbox, TOKEN } from "../e2e/harness.mjs";

const TODAY = "2019-11-20";
const customerOf = (n) => `b0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const body = (n) => JSON.stringify({
  primaryContact: { firstName: "Dana", lastName: `Durable ${n}`, email: `durable${n}@example.com` },
  templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
  dateAgreed: "2019-11-14T00:00:00Z",
  type: "MicrosoftCustomerAgreement",
});

/** One confirmation POST; resolves to { status, text } or { status: "lost" }. */
async function post(sandbox, attempt) {
  try {
    const response = await fetch(`${sandbox.url}/v1/customers/${customerOf(attempt.n)}/agreements`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", "MS-RequestId": attempt.requestId },
      body: body(attempt.n),
    });
    return { status: response.status, text: await response.text() };
  } catch {
    return { status: "lost" };
  }
}

const records = async (sandbox) => (await fetch(`${sandbox.url}/sandbox/records`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
const ours = (list) => list.agreements.filter((a) => /^durable\d+@example\.com$/.test(a.email));

test("kill -9 while 8 clients POST, then a restart on the same database: nothing lost, nothing twice", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "csp-durable-"));
  try {
    const data = join(dir, "sandbox.sqlite");
    let sandbox = await startSandbox({ today: TODAY, data, sample: true });
    const attempts = [];
    let next = 1;
    let killed = false;
    const client = async () => {
      while (!killed && next < 1000) {
        const attempt = { n: next++, requestId: randomUUID() };
        attempts.push(attempt);
        Object.assign(attempt, await post(sandbox, attempt));
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await sandbox.kill();
    killed = true;
    await Promise.all(clients);
    const answered = attempts.filter((a) => a.status === 201);
    assert.ok(answered.length > 10, `${answered.length} confirmations answered 201 before the kill`);
    t.diagnostic(`${answered.length} answered 201 before the kill, ${attempts.length - answered.length} without an answer`);

    sandbox = await startSandbox({ today: TODAY, data, sample: true });
    try {
      const after = await records(sandbox);
      assert.equal(after.integrity, "ok");
      const stored = new Set(ours(after).map((a) => a.email));
      for (const a of answered) assert.ok(stored.has(`durable${a.n}@example.com`), `line ${a.n} answered 201 and lost`);
      // Every request again, with its own MS-RequestId: the first answer, never a second record.
      for (const attempt of attempts) {
        const again = await post(sandbox, attempt);
        assert.equal(again.status, 201, `request ${attempt.n}: ${again.text}`);
        if (attempt.status === 201) assert.deepEqual(JSON.parse(again.text), JSON.parse(attempt.text));
      }
      const final = ours(await records(sandbox));
      const emails = final.map((a) => a.email);
      assert.equal(new Set(emails).size, emails.length, "a confirmation recorded twice");
      assert.equal(final.length, attempts.length);
    } finally {
      await sandbox.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a full disk: a clear 503, nothing corrupted, what was recorded stays", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "csp-full-"));
  try {
    const data = join(dir, "sandbox.sqlite");
    let sandbox = await startSandbox({ today: TODAY, data, sample: true, args: ["--max-db-growth-pages", "4"] });
    const recorded = [];
    let full;
    try {
      for (let n = 1; n < 1000 && !full; n++) {
        const answer = await post(sandbox, { n, requestId: randomUUID() });
        if (answer.status === 201) recorded.push(n);
        else full = answer;
      }
      assert.equal(full?.status, 503, `no full disk after ${recorded.length} confirmations`);
      t.diagnostic(`full after ${recorded.length} confirmations`);
      const error = JSON.parse(full.text);
      assert.equal(error.errorName, "StorageFull");
      assert.equal(error.isRetryable, false);
      assert.match(error.description, /storage is full: nothing was recorded/);
      const now = await records(sandbox);
      assert.equal(now.integrity, "ok");
      assert.equal(ours(now).length, recorded.length);
    } finally {
      await sandbox.stop();
    }
    // Restarted with room: the same records, whole, and the next confirmation goes through.
    sandbox = await startSandbox({ today: TODAY, data });
    try {
      const again = await records(sandbox);
      assert.equal(again.integrity, "ok");
      assert.deepEqual(ours(again).map((a) => a.email), recorded.map((n) => `durable${n}@example.com`));
      assert.equal((await post(sandbox, { n: 999, requestId: randomUUID() })).status, 201);
    } finally {
      await sandbox.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
