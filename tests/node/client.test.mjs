// The Partner Center client of pkg/ in Node 20 (its global fetch), against answers a browser
// rarely sees on demand: a server that stalls after the headers, a connection dropped in the
// middle of a body, an answer lost after the record was written (the sandbox's after-commit
// fault), a read-back that fails, and hostile settings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { startSandbox, TOKEN, CUSTOMERS } from "../e2e/harness.mjs";

const pkg = new URL("../../pkg/", import.meta.url);
const api = await import(new URL("csp_agreements.js", pkg));
api.initSync({ module: readFileSync(new URL("csp_agreements_bg.wasm", pkg)) });

const CUSTOMER = "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03";
const MCUA = "117a77b0-9360-443b-8795-c6dedc750cf9";
const FORM = {
  agreementType: "MicrosoftCustomerAgreement", dateAgreed: "2019-11-14", firstName: "Tania",
  lastName: "Carr", email: "someone@example.com", phoneNumber: "", country: "", language: "",
};
const OPTIONS = { localToday: "2019-11-20", utcToday: "2019-11-20" };

/** A server on 127.0.0.1 whose answers are written by `handle(request, response, n)`. */
async function mock(handle) {
  const seen = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      handle(request, response, seen.length);
    });
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, seen, close: () => { server.closeAllConnections(); return new Promise((done) => server.close(done)); } };
}

function client(apiBase, extra = {}) {
  return new api.PartnerCenterClient({ apiBase, getToken: () => "t", timeoutMs: 400, retryBaseDelayMs: 10, ...extra });
}

/** Fails the test instead of waiting forever. */
function within(ms, promise) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const json = (response, status, value) => {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(value));
};
const agreementJson = { primaryContact: { firstName: "Tania", lastName: "Carr", email: "someone@example.com" }, templateId: MCUA, dateAgreed: "2019-11-14T00:00:00", type: "MicrosoftCustomerAgreement" };

describe("answers cut short", () => {
  test("a server that stalls after the headers is a timeout, retried, then a failure", async () => {
    const server = await mock((_, response) => {
      response.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      response.write('{"id": "');
    });
    try {
      const error = await within(5000, client(server.base, { maxAttempts: 2 }).customer(CUSTOMER).then(
        () => assert.fail("resolved"), (e) => e));
      assert.equal(error.code, "timeout");
      assert.equal(error.attempts, 2);
      assert.equal(server.seen.length, 2);
    } finally {
      await server.close();
    }
  });

  test("a fetch that does not follow the abort still times out at the client's timeout", async () => {
    // As Node 20's own fetch does with a server that never answers: pending, aborted or not.
    const real = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = () => {
      calls += 1;
      return new Promise(() => {});
    };
    try {
      const started = Date.now();
      const error = await within(3000, client("http://127.0.0.1:9", { maxAttempts: 2 }).customer(CUSTOMER).then(
        () => assert.fail("resolved"), (e) => e));
      assert.equal(error.code, "timeout");
      assert.equal(error.attempts, 2);
      assert.equal(calls, 2);
      assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    } finally {
      globalThis.fetch = real;
    }
  });

  test("a body that never ends, from a fetch that does not follow the abort, times out too", async () => {
    const real = globalThis.fetch;
    globalThis.fetch = async () => ({ status: 200, headers: new Headers(), text: () => new Promise(() => {}) });
    try {
      const error = await within(3000, client("http://127.0.0.1:9", { maxAttempts: 1 }).customer(CUSTOMER).then(
        () => assert.fail("resolved"), (e) => e));
      assert.equal(error.code, "timeout");
    } finally {
      globalThis.fetch = real;
    }
  });

  test("a body dropped midway is retried with the same MS-RequestId, and the new customer's id is kept", async () => {
    const created = { id: "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918", companyProfile: { companyName: "Litware" } };
    const server = await mock((_, response, n) => {
      if (n === 1) {
        response.writeHead(201, { "Content-Type": "application/json", "Content-Length": "300" });
        response.write('{"id":"7e6d5c4b');
        setTimeout(() => response.socket.destroy(), 20);
      } else {
        json(response, 201, created);
      }
    });
    try {
      const customer = await within(5000, client(server.base).createCustomer({ companyProfile: { domain: "litware.example" } }));
      assert.equal(customer.id, created.id);
      assert.equal(server.seen.length, 2);
      assert.equal(server.seen[0].headers["ms-requestid"], server.seen[1].headers["ms-requestid"]);
      assert.equal(server.seen[0].body, server.seen[1].body);
    } finally {
      await server.close();
    }
  });

  test("a 2xx whose JSON is cut short is no success", async () => {
    const server = await mock((_, response) => {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end('{"items": [');
    });
    try {
      await assert.rejects(within(5000, client(server.base, { maxAttempts: 2 }).customer(CUSTOMER)), (e) => e.code === "network" && e.attempts === 2);
    } finally {
      await server.close();
    }
  });

  test("the confirmation was recorded but the read-back failed: success, with a note", async () => {
    let lists = 0;
    const server = await mock((request, response) => {
      if (request.url.startsWith("/v1/agreements")) return json(response, 200, { items: [{ templateId: MCUA, agreementType: "MicrosoftCustomerAgreement" }] });
      if (request.method === "POST") return json(response, 201, agreementJson);
      lists += 1;
      if (lists === 1) return json(response, 200, { items: [] });
      json(response, 500, { code: "500", description: "down" });
    });
    try {
      const result = await within(5000, client(server.base, { maxAttempts: 1 }).confirm(CUSTOMER, FORM, { ...OPTIONS, locale: "fr-FR" }));
      assert.equal(result.ok, true);
      assert.equal(result.note.code, "read-back-failed");
      assert.match(result.note.message, /enregistrée/);
      assert.deepEqual(result.agreements.map((a) => a.dateAgreed), ["2019-11-14"]);
    } finally {
      await server.close();
    }
  });
});

describe("against the sandbox: an answer lost after the commit", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ today: "2019-11-20" });
  });
  after(() => sandbox.stop());

  const fault = async (value) => {
    const response = await fetch(`${sandbox.url}/sandbox/faults`, {
      method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify(value),
    });
    assert.equal(response.status, 204);
  };
  const stored = async (customerId) => {
    const response = await fetch(`${sandbox.url}/v1/customers/${customerId}/agreements?agreementType=MicrosoftCustomerAgreement`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    return (await response.json()).items;
  };
  const sandboxClient = () => new api.PartnerCenterClient({ apiBase: sandbox.url, getToken: () => TOKEN, retryBaseDelayMs: 10 });

  test("the retry with the same MS-RequestId gets the first answer: one record, no note", async () => {
    await fault({ method: "POST", path: `/v1/customers/${CUSTOMERS.US}/agreements`, when: "after-commit" });
    const result = await within(10000, sandboxClient().confirm(CUSTOMERS.US, FORM, OPTIONS));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.note, undefined);
    assert.equal((await stored(CUSTOMERS.US)).length, 1);
  });

  test("a backend that forgets request ids answers the retry 409: reconciled, one record, a note", async () => {
    const es = "5e1f8b9d-0a6c-4d4f-8b7e-2c6d8f0a4b06";
    const form = { ...FORM, firstName: "José", lastName: "Núñez", email: "jose@adatum.example" };
    const before = (await stored(es)).length;
    await fault({ method: "POST", path: `/v1/customers/${es}/agreements`, when: "after-commit", forgetRequestId: true });
    const result = await within(10000, sandboxClient().confirm(es, form, OPTIONS));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.note?.code, "already-recorded");
    assert.equal(result.agreement.primaryContact.firstName, "José");
    assert.equal((await stored(es)).length, before + 1, "exactly one new record");
  });
});

describe("settings a stranger could abuse", () => {
  test("the token only goes to https:, this origin or the loopback", () => {
    for (const apiBase of ["", "/relay", "https://api.partnercenter.microsoft.com", "http://127.0.0.1:8787", "http://localhost:3000"]) {
      assert.doesNotThrow(() => client(apiBase), apiBase);
    }
    for (const [apiBase, pattern] of [
      ["http://relay.example", /https:/],
      ["https://user:secret@relay.example", /user information/],
      ["//evil.example", /expected an https: URL/],
      ["javascript:alert(1)", /expected an https: URL/],
    ]) {
      assert.throws(() => client(apiBase), (e) => pattern.test(e.message), apiBase);
    }
  });

  test("a header value with a line break or outside Latin-1 settles every promise, with a clear error", async () => {
    const server = await mock((request, response) => {
      if (request.url.startsWith("/v1/agreements")) return json(response, 200, { items: [{ templateId: MCUA, agreementType: "MicrosoftCustomerAgreement" }] });
      if (request.method === "GET") return json(response, 200, { totalCount: 0, items: [] });
      json(response, 201, agreementJson);
    });
    try {
      const partner = client(server.base);
      for (const requestId of ["a\r\nX-Injected: 1", "é€"]) {
        await within(2000, assert.rejects(partner.confirm(CUSTOMER, FORM, { ...OPTIONS, requestId }), /options\.requestId/));
      }
      // A token that cannot travel in a header is no token: refused, nothing sent.
      for (const token of ["t\r\nX-Injected: 1", "tök€n"]) {
        const result = await within(2000, client(server.base, { getToken: () => token }).confirm(CUSTOMER, FORM, OPTIONS));
        assert.equal(result.ok, false);
        assert.equal(result.error.code, "unauthorized");
      }
      assert.equal(server.seen.length, 0, "nothing was sent");
      // The client is not left "already sending": the next confirmation goes.
      const next = await within(2000, partner.confirm(CUSTOMER, FORM, OPTIONS));
      assert.equal(next.ok, true, JSON.stringify(next));
    } finally {
      await server.close();
    }
  });

  test("a template link that is not http(s) never reaches the page", async () => {
    const server = await mock((request, response) => {
      if (request.url.startsWith("/v1/agreements")) return json(response, 200, { items: [{ templateId: MCUA, agreementType: "MicrosoftCustomerAgreement" }] });
      json(response, 200, { displayUri: "javascript:alert(document.domain)", downloadUri: "javascript:alert(1)", language: "fr-FR", country: "FR" });
    });
    try {
      await assert.rejects(client(server.base).templateDocument("FR", "fr-FR"), (e) => e.code === "unexpected");
    } finally {
      await server.close();
    }
  });
});

describe("the enhanced attestation", () => {
  const ATTESTATION = "5f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0";
  const ENHANCED = { localToday: "2026-11-24", utcToday: "2026-11-24" };
  const attestationJson = (status, url = `https://accept.example/?a=${ATTESTATION}`) => ({ attestationId: ATTESTATION, attestationUrl: url, status });

  test("confirm on the enhanced route: the customer's name read, one creation retried with the same MS-RequestId", async () => {
    const server = await mock((request, response, n) => {
      if (request.method === "GET") return json(response, 200, { id: CUSTOMER, companyProfile: { companyName: "Northwind Traders" } });
      if (n === 2) return json(response, 503, { code: 503, description: "busy" });
      json(response, 201, attestationJson("Pending"));
    });
    try {
      const result = await client(server.base).confirm(CUSTOMER, { ...FORM, dateAgreed: "", country: "US" }, ENHANCED);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.route, "enhanced");
      assert.deepEqual(result.attestation, { attestationId: ATTESTATION, acceptanceUrl: `https://accept.example/?a=${ATTESTATION}`, status: "Pending" });
      const posts = server.seen.filter((r) => r.method === "POST");
      assert.deepEqual(posts.map((r) => r.url), ["/v1/attestations/enhanced", "/v1/attestations/enhanced"]);
      assert.equal(posts[0].headers["ms-requestid"], posts[1].headers["ms-requestid"]);
      // No customer in the body: Partner Center binds it at completion.
      assert.deepEqual(JSON.parse(posts[0].body), {
        country: "US", language: "en-US", companyName: "Northwind Traders",
        signatoryFirstName: "Tania", signatoryLastName: "Carr", signatoryEmail: "someone@example.com",
      });
      // Never the legacy POST.
      assert.equal(server.seen.some((r) => r.url.endsWith("/agreements") && r.method === "POST"), false);
    } finally {
      await server.close();
    }
  });

  test("a completion whose answer is lost is concluded from the attestation, never sent twice", async () => {
    let reads = 0;
    const server = await mock((request, response) => {
      if (request.url.startsWith("/v1/attestations/enhanced/")) {
        reads += 1;
        return json(response, 200, attestationJson(reads === 1 ? "Accepted" : "Completed"));
      }
      if (request.url.startsWith("/v1/agreements")) return json(response, 200, { items: [{ templateId: MCUA, agreementType: "MicrosoftCustomerAgreement" }] });
      response.writeHead(201, { "Content-Type": "application/json", "Content-Length": "400" });
      response.write('{"primaryContact":');
      setTimeout(() => response.socket.destroy(), 20);
    });
    try {
      const result = await within(5000, client(server.base, { maxAttempts: 1 }).completeAttestation(CUSTOMER, ATTESTATION));
      assert.deepEqual({ ok: result.ok, attestationId: result.attestationId, agreement: result.agreement }, { ok: true, attestationId: ATTESTATION, agreement: undefined });
      const completions = server.seen.filter((r) => r.method === "POST");
      assert.equal(completions.length, 1);
      assert.deepEqual(JSON.parse(completions[0].body), { attestationId: ATTESTATION, templateId: MCUA, type: "MicrosoftCustomerAgreement" });
    } finally {
      await server.close();
    }
  });

  test("nothing is completed before the acceptance; a javascript: acceptance link never reaches the page", async () => {
    const server = await mock((request, response) => {
      if (request.url.includes("evil")) return json(response, 200, { ...attestationJson("Pending", "javascript:alert(1)"), attestationId: "evil" });
      json(response, 200, attestationJson("Pending"));
    });
    try {
      const early = await client(server.base, { locale: "fr-FR" }).completeAttestation(CUSTOMER, ATTESTATION);
      assert.equal(early.stage, "not-accepted");
      assert.equal(early.attestation.status, "Pending");
      assert.match(early.message, /client/);
      assert.equal(server.seen.filter((r) => r.method === "POST").length, 0);
      const evil = await client(server.base).attestation(CUSTOMER, "evil");
      assert.equal(evil.ok, false);
      assert.equal(evil.error.code, "unexpected");
    } finally {
      await server.close();
    }
  });
});

describe("against the sandbox of 2026: one status per customer", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ today: "2026-11-24" });
  });
  after(() => sandbox?.stop());

  test("re-acceptance, direct acceptance, none", async () => {
    const partner = new api.PartnerCenterClient({ apiBase: sandbox.url, getToken: () => TOKEN });
    const options = { localToday: "2026-11-24", utcToday: "2026-11-24" };
    const trey = await partner.customerAgreementStatus("6f2a9c0e-1b7d-4e5a-9c8f-3d7e9a1b5c07", options);
    assert.deepEqual([trey.orderable, trey.nextStep, trey.reason, trey.partnerCenterCode, trey.latestAttestation], [false, "accept-again", "attestation-before-refresh", 13605, "2022-09-15"]);
    const proseware = await partner.customerAgreementStatus("8b4c1e2a-3d9f-4a7c-9e0b-5f9a1c3d7e09", options);
    assert.deepEqual([proseware.orderable, proseware.directAcceptance, proseware.nextStep], [true, true, "none"]);
    const northwind = await partner.customerAgreementStatus(CUSTOMERS.US, options);
    assert.deepEqual([northwind.orderable, northwind.nextStep, northwind.route], [false, "send-for-acceptance", "enhanced"]);
  });

  test("an attestation recorded but never answered, tried again with its requestId: one attestation", async () => {
    const partner = new api.PartnerCenterClient({ apiBase: sandbox.url, getToken: () => TOKEN, retryBaseDelayMs: 10 });
    const options = { localToday: "2026-11-24", utcToday: "2026-11-24", requestId: "5d0c3a5e-8f5e-4a52-9f0e-2c8d1b7a9e11" };
    const form = { firstName: "Ana", lastName: "Lima", email: "ana.lima@example.com", country: "ES", language: "es-ES" };
    // Every attempt of the first call is recorded, then its answer lost.
    const fault = { method: "POST", path: "/v1/attestations/enhanced", when: "after-commit", times: 3 };
    await fetch(`${sandbox.url}/sandbox/faults`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify(fault) });
    const first = await partner.createAttestation(CUSTOMERS.ES, form, options);
    assert.equal(first.ok, false);
    const again = await partner.createAttestation(CUSTOMERS.ES, form, options);
    assert.equal(again.ok, true);
    const records = await (await fetch(`${sandbox.url}/sandbox/records`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
    // The customer is bound at completion: the attestation is the company's.
    assert.deepEqual(records.attestations.filter((a) => a.companyName === "Adatum Ibérica").map((a) => a.id), [again.attestation.attestationId]);
    // An empty id is refused before anything is sent.
    await assert.rejects(partner.createAttestation(CUSTOMERS.ES, form, { ...options, requestId: " " }), /options\.requestId/);
  });
});
