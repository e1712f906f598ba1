#!/usr/bin/env node
// Cross-language interop check of docspace-offboarding.
//
// The official JavaScript CloudEvents SDK (npm "cloudevents") builds two employee.terminated
// events, one per content mode, and publishes them to JetStream the way an HR system written in
// JavaScript would:
//
//   structured  HTTP.structured(event): the JSON event is the NATS message body and the SDK's
//               content-type header goes along (application/cloudevents+json; charset=utf-8);
//   binary      HTTP.binary(event): the SDK's ce-* headers become NATS headers and the data is the
//               body. The CloudEvents NATS protocol binding (section 3.1.3) wants every attribute
//               in a ce- header (datacontenttype included) and every header value percent-encoded;
//               the HTTP serialisation of the SDK does neither, so natsBinary() below checks what
//               the SDK emitted against the binding and fixes it up (binding.mjs holds the
//               encoding), reporting each difference on stderr. The binary event's id carries a
//               space, a double quote, a percent sign and non-ASCII characters, so the service's
//               percent-decoding is seen in the result, whose data echoes the id.
//
// It then waits for both results on the output stream through an ordered consumer, turns each
// result message back into a CloudEvent with HTTP.toEvent (percent-decoding ce- headers first, as
// the binding requires of a receiver), validates it and checks its attributes and data against
// the termination it answers. It prints one JSON line per result on stdout and exits 0; on any
// failure it prints the reason on stderr and exits 1 (2 for a usage error).
//
// Usage: node interop.mjs --help

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

import { CloudEvent, HTTP } from "cloudevents";
import { connect, credsAuthenticator, Match, headers as natsHeaders } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";

import { decodeHeaderValue, encodeHeaderValue, HeaderValueError } from "./binding.mjs";

const sdkVersion = createRequire(import.meta.url)("cloudevents/package.json").version;

// The public contract of the service (CONTRACT sections 1 and 2).
const TYPE_TERMINATED = "employee.terminated";
const TYPE_COMPLETED = "offboarding.completed";
const TYPE_FAILED = "offboarding.failed";
const RESULT_SUBJECTS = [TYPE_COMPLETED, TYPE_FAILED];
const SUBJECT_DEAD_LETTER = "offboarding.deadletter";
// The header in which the service gives the reason of a dead letter.
const HEADER_REASON = "Offboarding-Reason";
const STATUS_TYPE = {
  completed: TYPE_COMPLETED,
  planned: TYPE_COMPLETED,
  failed: TYPE_FAILED,
  cancelled: TYPE_FAILED,
};
const STEP_STATUSES = new Set(["done", "skipped", "failed", "planned"]);
const MEDIA_JSON = "application/json";
const MEDIA_CLOUDEVENT = "application/cloudevents";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const USAGE = `Usage: node interop.mjs [options]

Publishes one employee.terminated event per CloudEvents content mode with the JavaScript
CloudEvents SDK, waits for the service's results and checks them.

Options (environment variable in brackets):
  --nats-url URL              NATS server URL(s), comma separated [NATS_URL]
                              (default nats://127.0.0.1:4222)
  --creds FILE                NATS credentials file [NATS_CREDS]
  --structured-user-id GUID   DocSpace user offboarded by the structured event
                              [INTEROP_STRUCTURED_USER_ID] (required)
  --structured-folder-id ID   that user's workspace folder [INTEROP_STRUCTURED_FOLDER_ID]
  --binary-user-id GUID       DocSpace user offboarded by the binary event
                              [INTEROP_BINARY_USER_ID] (required)
  --binary-folder-id ID       that user's workspace folder [INTEROP_BINARY_FOLDER_ID]
  --structured-id ID          id of the structured event (default: js-structured-<random>)
  --binary-id ID              id of the binary event (default: js-binary-<random> followed by
                              characters the binding must percent-encode)
  --source URI                source of both events [INTEROP_SOURCE] (default /hris/interop-js)
  --input-subject SUBJECT     where to publish [OFFBOARDING_INPUT_SUBJECT]
                              (default employee.terminated)
  --output-stream NAME        stream holding the results [OFFBOARDING_OUTPUT_STREAM]
                              (default OFFBOARDING)
  --result-source URI         source of the service's events [OFFBOARDING_EVENT_SOURCE]
                              (default /docspace-offboarding)
  --result-mode MODE          content mode the results must arrive in, structured or binary
                              [OFFBOARDING_OUTPUT_MODE] (default structured)
  --expect-status LIST        result statuses accepted, comma separated (default completed)
  --timeout SECONDS           how long to wait for both results (default 60)
  -h, --help                  show this help

Prints one JSON line per result on stdout. Exits 0 when both results arrived and passed every
check, 1 on a failed check or a NATS error, 2 on a usage error.`;

/** A failed check or a NATS error: the run ends with exit status 1. */
class InteropError extends Error {}

/** A bad command line: the run ends with exit status 2. */
class UsageError extends Error {}

/** options reads the command line, with environment variables as defaults. */
function options(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        "nats-url": { type: "string" },
        creds: { type: "string" },
        "structured-user-id": { type: "string" },
        "structured-folder-id": { type: "string" },
        "binary-user-id": { type: "string" },
        "binary-folder-id": { type: "string" },
        "structured-id": { type: "string" },
        "binary-id": { type: "string" },
        source: { type: "string" },
        "input-subject": { type: "string" },
        "output-stream": { type: "string" },
        "result-source": { type: "string" },
        "result-mode": { type: "string" },
        "expect-status": { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (parsed.help) {
    return { help: true };
  }
  const pick = (flag, name, fallback = "") => parsed[flag] ?? (env[name] || fallback);
  const nonce = randomBytes(6).toString("hex");
  const o = {
    natsURL: pick("nats-url", "NATS_URL", "nats://127.0.0.1:4222"),
    creds: pick("creds", "NATS_CREDS"),
    source: pick("source", "INTEROP_SOURCE", "/hris/interop-js"),
    inputSubject: pick("input-subject", "OFFBOARDING_INPUT_SUBJECT", TYPE_TERMINATED),
    outputStream: pick("output-stream", "OFFBOARDING_OUTPUT_STREAM", "OFFBOARDING"),
    resultSource: pick("result-source", "OFFBOARDING_EVENT_SOURCE", "/docspace-offboarding"),
    resultMode: pick("result-mode", "OFFBOARDING_OUTPUT_MODE", "structured"),
    expectStatus: (parsed["expect-status"] ?? "completed").split(",").map((s) => s.trim()),
    timeoutMs: Number(parsed.timeout ?? "60") * 1000,
    terminations: [
      {
        mode: "structured",
        id: parsed["structured-id"] ?? `js-structured-${nonce}`,
        userId: pick("structured-user-id", "INTEROP_STRUCTURED_USER_ID"),
        folderId: pick("structured-folder-id", "INTEROP_STRUCTURED_FOLDER_ID"),
      },
      {
        mode: "binary",
        // Space, double quote and percent must be percent-encoded in a header; "ë" takes two
        // bytes in UTF-8, "€" three, and "😀" four (a surrogate pair in a JavaScript string).
        id: parsed["binary-id"] ?? `js-binary-${nonce} "Zoë" 100% €😀`,
        userId: pick("binary-user-id", "INTEROP_BINARY_USER_ID"),
        folderId: pick("binary-folder-id", "INTEROP_BINARY_FOLDER_ID"),
      },
    ],
  };
  if (!["structured", "binary"].includes(o.resultMode)) {
    throw new UsageError(`--result-mode ${JSON.stringify(o.resultMode)}: want structured or binary`);
  }
  for (const s of o.expectStatus) {
    if (!(s in STATUS_TYPE)) {
      throw new UsageError(`--expect-status ${JSON.stringify(s)}: want some of ${Object.keys(STATUS_TYPE).join(", ")}`);
    }
  }
  if (!Number.isFinite(o.timeoutMs) || o.timeoutMs <= 0) {
    throw new UsageError(`--timeout ${JSON.stringify(parsed.timeout)}: want a positive number of seconds`);
  }
  for (const t of o.terminations) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t.userId)) {
      throw new UsageError(`--${t.mode}-user-id ${JSON.stringify(t.userId)}: want a DocSpace user GUID`);
    }
    if (t.folderId !== "" && !/^[0-9]+$/.test(t.folderId)) {
      throw new UsageError(`--${t.mode}-folder-id ${JSON.stringify(t.folderId)}: want a folder id`);
    }
    if (t.id.trim() === "" || t.id !== t.id.trim()) {
      throw new UsageError(`--${t.mode}-id ${JSON.stringify(t.id)}: want a non-empty id without surrounding white space`);
    }
  }
  if (o.terminations[0].userId === o.terminations[1].userId) {
    throw new UsageError("the structured and the binary event need two different users");
  }
  return o;
}

/** canonicalString is the CloudEvents canonical string form of an attribute value. */
function canonicalString(name, value) {
  if (name === "time") {
    return new Date(value).toISOString();
  }
  return String(value);
}

/**
 * natsBinary turns the SDK's binary-mode HTTP serialisation of ce into NATS headers and body as
 * the NATS binding prescribes. Every ce- header value the SDK emitted is compared with the
 * attribute it stands for: already percent-encoded, it is kept; equal to the raw value, it is
 * encoded here and the difference is noted; anything else is an error. The SDK's content-type
 * header (the HTTP binding's place for datacontenttype) is kept, and datacontenttype also goes
 * to ce-datacontenttype, where the NATS binding puts it.
 */
function natsBinary(ce, note) {
  const message = HTTP.binary(ce);
  const h = natsHeaders();
  let dataContentType = "";
  for (const [key, value] of Object.entries(message.headers)) {
    const name = key.toLowerCase();
    if (name === "content-type") {
      dataContentType = String(value);
      h.set("content-type", dataContentType);
      continue;
    }
    if (!name.startsWith("ce-")) {
      throw new InteropError(`cloudevents ${sdkVersion} HTTP.binary emitted header ${key}, which no binding defines`);
    }
    const attribute = name.slice(3);
    if (!(attribute in ce)) {
      throw new InteropError(`cloudevents ${sdkVersion} HTTP.binary emitted ${key} for an attribute the event does not have`);
    }
    const raw = canonicalString(attribute, ce[attribute]);
    let encoded;
    try {
      encoded = encodeHeaderValue(raw);
    } catch (err) {
      if (err instanceof HeaderValueError) {
        throw new InteropError(`attribute ${attribute}: ${err.message}`);
      }
      throw err;
    }
    const emitted = String(value);
    if (emitted === encoded) {
      h.set(name, emitted);
      continue;
    }
    if (emitted !== raw) {
      throw new InteropError(
        `cloudevents ${sdkVersion} HTTP.binary emitted ${name}: ${JSON.stringify(emitted)} for ${JSON.stringify(raw)}; ` +
          `NATS binding 3.1.3.2 wants ${JSON.stringify(encoded)}`,
      );
    }
    note(
      `cloudevents ${sdkVersion} HTTP.binary does not percent-encode header values: ${name} came out as ` +
        `${JSON.stringify(emitted)}; NATS binding 3.1.3.2 requires ${JSON.stringify(encoded)}, which was sent`,
    );
    h.set(name, encoded);
  }
  if (dataContentType === "") {
    throw new InteropError(`cloudevents ${sdkVersion} HTTP.binary emitted no content-type for datacontenttype ${ce.datacontenttype}`);
  }
  if (!h.has("ce-datacontenttype")) {
    note(
      `cloudevents ${sdkVersion} HTTP.binary puts datacontenttype in content-type only (the HTTP binding's place); ` +
        "NATS binding 3.1.3.1 maps it to ce-datacontenttype, which was added",
    );
    h.set("ce-datacontenttype", encodeHeaderValue(dataContentType));
  }
  return { headers: h, body: message.body };
}

/**
 * sdkMessage turns a NATS message into the {headers, body} HTTP.toEvent reads: header names in
 * lower case (NATS header names are case-insensitive), one value each, ce- values
 * percent-decoded as the binding requires of a receiver (the SDK does not decode them itself).
 * It also returns the message with the values as received, to tell whether the SDK alone would
 * read the same event.
 */
function sdkMessage(m) {
  const decoded = {};
  const received = {};
  if (m.headers) {
    for (const [key, values] of m.headers) {
      const name = key.toLowerCase();
      const distinct = [...new Set(values)];
      if (distinct.length !== 1 || name in received) {
        throw new InteropError(`message on ${m.subject} (stream sequence ${m.seq}) has header ${name} more than once`);
      }
      received[name] = distinct[0];
      decoded[name] = distinct[0];
      if (name.startsWith("ce-")) {
        try {
          decoded[name] = decodeHeaderValue(distinct[0]);
        } catch (err) {
          if (err instanceof HeaderValueError) {
            throw new InteropError(`message on ${m.subject} (stream sequence ${m.seq}), header ${name}: ${err.message}`);
          }
          throw err;
        }
      }
    }
  }
  const body = m.string();
  return { decoded: { headers: decoded, body }, received: { headers: received, body } };
}

/**
 * contentMode tells the content mode of a message as the NATS binding does: structured when its
 * content type is a CloudEvents format (matched case-insensitively), binary otherwise.
 */
function contentMode(headers) {
  const ct = (headers["content-type"] ?? "").trim().toLowerCase();
  return ct.startsWith(MEDIA_CLOUDEVENT) ? "structured" : "binary";
}

// ---------------------------------------------------------------------------------------------

/** terminationEvent builds the employee.terminated CloudEvent of termination t. */
function terminationEvent(o, t) {
  const employeeId = `E-JS-${t.mode.toUpperCase()}`;
  const data = {
    userId: t.userId,
    employeeId,
    reason: `JavaScript CloudEvents SDK interop check, ${t.mode} mode`,
  };
  if (t.folderId !== "") {
    data.workspaceFolderId = Number(t.folderId);
  }
  return new CloudEvent({
    specversion: "1.0",
    id: t.id,
    source: o.source,
    type: TYPE_TERMINATED,
    // Not ASCII: in binary mode this header must be percent-encoded.
    subject: `${employeeId} Zoë Ørsted`,
    time: new Date().toISOString(),
    datacontenttype: MEDIA_JSON,
    // The W3C traceparent of the distributed tracing extension; results carry it on.
    traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`,
    data,
  });
}

/** publish sends the event of termination t in its content mode and keeps its body in t.body. */
async function publish(js, o, t, note) {
  let headers;
  let body;
  if (t.mode === "structured") {
    const message = HTTP.structured(t.event);
    headers = natsHeaders();
    for (const [key, value] of Object.entries(message.headers)) {
      headers.set(key.toLowerCase(), String(value));
    }
    body = message.body;
  } else {
    ({ headers, body } = natsBinary(t.event, note));
  }
  // No Nats-Msg-Id: the service itself takes a repeat of the same source and id for the same
  // termination.
  try {
    await js.publish(o.inputSubject, body, { headers });
  } catch (err) {
    throw new InteropError(`publish the ${t.mode} event to ${o.inputSubject}: ${err.message}`);
  }
  t.body = String(body);
}

/**
 * check validates the result event ce of termination t, which the SDK read from a message in
 * content mode mode with Nats-Msg-Id msgID and time attribute rawTime as sent, and returns the
 * line to print.
 */
function check(o, t, ce, { mode, msgID, rawTime }) {
  const fail = (what) => {
    throw new InteropError(`result of the ${t.mode} event ${JSON.stringify(t.id)}: ${what}`);
  };
  try {
    ce.validate();
  } catch (err) {
    fail(`not a valid CloudEvent: ${err.message}${err.errors ? " " + JSON.stringify(err.errors) : ""}`);
  }
  if (mode !== o.resultMode) {
    fail(`arrived in ${mode} mode, want ${o.resultMode}`);
  }
  if (ce.specversion !== "1.0") {
    fail(`specversion ${JSON.stringify(ce.specversion)}, want "1.0"`);
  }
  const d = ce.data;
  if (typeof d !== "object" || d === null || Array.isArray(d)) {
    fail(`data is ${JSON.stringify(d)}, want a JSON object`);
  }
  if (!(d.status in STATUS_TYPE)) {
    fail(`data.status ${JSON.stringify(d.status)} is not a result status`);
  }
  if (ce.type !== STATUS_TYPE[d.status]) {
    fail(`type ${JSON.stringify(ce.type)} with status ${d.status}, want ${STATUS_TYPE[d.status]}`);
  }
  if (!o.expectStatus.includes(d.status)) {
    const why = d.error ? ` (${d.error.step}: ${d.error.code}: ${d.error.message})` : "";
    fail(`data.status ${d.status}${why}, want ${o.expectStatus.join(" or ")}`);
  }
  if (ce.source !== o.resultSource) {
    fail(`source ${JSON.stringify(ce.source)}, want ${JSON.stringify(o.resultSource)}`);
  }
  if (typeof ce.id !== "string" || ce.id.trim() === "") {
    fail(`id ${JSON.stringify(ce.id)}, want a non-empty string`);
  }
  if (msgID !== ce.id) {
    fail(`Nats-Msg-Id ${JSON.stringify(msgID)}, want the event id ${JSON.stringify(ce.id)}`);
  }
  if (ce.subject !== t.userId) {
    fail(`subject ${JSON.stringify(ce.subject)}, want the user id ${t.userId}`);
  }
  if (ce.datacontenttype !== undefined && ce.datacontenttype.split(";")[0].trim().toLowerCase() !== MEDIA_JSON) {
    fail(`datacontenttype ${JSON.stringify(ce.datacontenttype)}, want ${MEDIA_JSON}`);
  }
  // The SDK replaces a time it cannot parse with the current time, so the time is checked as sent.
  if (typeof rawTime !== "string" || !RFC3339.test(rawTime) || Date.parse(rawTime) !== Date.parse(ce.time)) {
    fail(`time ${JSON.stringify(rawTime)} is not an RFC 3339 time (the SDK read ${JSON.stringify(ce.time)})`);
  }
  if (ce.traceparent !== t.event.traceparent) {
    fail(`traceparent ${JSON.stringify(ce.traceparent)}, want the input's ${JSON.stringify(t.event.traceparent)}`);
  }
  if (d.terminationId !== t.id) {
    fail(`data.terminationId ${JSON.stringify(d.terminationId)}, want ${JSON.stringify(t.id)}`);
  }
  if (d.terminationSource !== o.source) {
    fail(`data.terminationSource ${JSON.stringify(d.terminationSource)}, want ${JSON.stringify(o.source)}`);
  }
  if (d.userId !== t.userId) {
    fail(`data.userId ${JSON.stringify(d.userId)}, want ${t.userId}`);
  }
  if (d.employeeId !== t.event.data.employeeId) {
    fail(`data.employeeId ${JSON.stringify(d.employeeId)}, want ${JSON.stringify(t.event.data.employeeId)}`);
  }
  for (const f of ["startedAt", "finishedAt"]) {
    if (typeof d[f] !== "string" || !RFC3339.test(d[f])) {
      fail(`data.${f} ${JSON.stringify(d[f])} is not an RFC 3339 time`);
    }
  }
  if (!Array.isArray(d.steps) || d.steps.length === 0) {
    fail(`data.steps ${JSON.stringify(d.steps)}, want the steps run`);
  }
  for (const s of d.steps) {
    if (typeof s !== "object" || s === null || typeof s.name !== "string" || !STEP_STATUSES.has(s.status)) {
      fail(`data.steps holds ${JSON.stringify(s)}, want a name and a step status`);
    }
  }
  if (d.status === "completed" && (typeof d.report !== "object" || d.report === null)) {
    fail("a completed result without data.report");
  }
  if ((d.status === "failed" || d.status === "cancelled") && (typeof d.error !== "object" || d.error === null || typeof d.error.code !== "string")) {
    fail(`a ${d.status} result without data.error`);
  }
  return {
    inputMode: t.mode,
    resultMode: mode,
    id: ce.id,
    type: ce.type,
    source: ce.source,
    subject: ce.subject,
    time: rawTime,
    traceparent: ce.traceparent,
    terminationId: d.terminationId,
    terminationSource: d.terminationSource,
    userId: d.userId,
    employeeId: d.employeeId,
    status: d.status,
    steps: d.steps.map((s) => ({ name: s.name, status: s.status })),
    ...(d.error ? { error: { step: d.error.step, code: d.error.code, retryable: d.error.retryable } } : {}),
  };
}

/**
 * awaitResults reads the output stream through the ordered consumer c until every termination
 * has its result or the deadline passes, checks each result, and returns the lines in the order
 * of o.terminations. Results of other terminations are skipped; a dead letter holding one of the
 * published events ends the wait with the service's reason.
 */
async function awaitResults(c, o, deadline, note) {
  const pending = new Map(o.terminations.map((t) => [`${o.source}\u0000${t.id}`, t]));
  const lines = new Map();
  while (pending.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) {
      const missing = [...pending.values()].map((t) => `${t.mode} ${JSON.stringify(t.id)}`).join(", ");
      throw new InteropError(`no result within ${o.timeoutMs / 1000} s for: ${missing}`);
    }
    let m;
    try {
      m = await c.next({ expires: Math.max(1000, Math.min(left, 5000)) });
    } catch (err) {
      throw new InteropError(`read stream ${o.outputStream}: ${err.message}`);
    }
    if (m === null) {
      continue;
    }
    if (m.subject === SUBJECT_DEAD_LETTER) {
      const t = [...pending.values()].find((p) => p.body === m.string());
      if (t !== undefined) {
        const reason = m.headers?.get(HEADER_REASON, Match.IgnoreCase) || "no reason given";
        throw new InteropError(`the service dead-lettered the ${t.mode} event ${JSON.stringify(t.id)}: ${reason}`);
      }
      continue;
    }
    const { decoded, received } = sdkMessage(m);
    let ce;
    try {
      ce = HTTP.toEvent(decoded);
    } catch (err) {
      throw new InteropError(`cloudevents ${sdkVersion} HTTP.toEvent cannot read the result at stream sequence ${m.seq}: ${err.message}`);
    }
    if (Array.isArray(ce)) {
      throw new InteropError(`the message at stream sequence ${m.seq} is a batch, which the NATS binding does not define`);
    }
    const d = ce.data ?? {};
    const key = `${d.terminationSource}\u0000${d.terminationId}`;
    const t = pending.get(key);
    if (t === undefined) {
      continue;
    }
    pending.delete(key);
    const mode = contentMode(decoded.headers);
    let rawTime = decoded.headers["ce-time"];
    if (mode === "structured") {
      rawTime = JSON.parse(decoded.body).time;
    }
    lines.set(t, check(o, t, ce, { mode, msgID: decoded.headers["nats-msg-id"], rawTime }));
    if (mode === "binary") {
      // What a consumer using the SDK without the binding's decoding would read.
      let alone;
      try {
        alone = HTTP.toEvent(received);
      } catch (err) {
        note(`cloudevents ${sdkVersion} HTTP.toEvent cannot read the result as received, without percent-decoding: ${err.message}`);
        continue;
      }
      for (const name of Object.keys(decoded.headers).filter((n) => n.startsWith("ce-"))) {
        const attribute = name.slice(3);
        if (JSON.stringify(alone[attribute]) !== JSON.stringify(ce[attribute])) {
          note(
            `cloudevents ${sdkVersion} HTTP.toEvent does not percent-decode header values: it reads ${attribute} ` +
              `of the result as ${JSON.stringify(alone[attribute])}; NATS binding 3.1.3.2 decoding gives ${JSON.stringify(ce[attribute])}`,
          );
        }
      }
    }
  }
  return o.terminations.map((t) => lines.get(t));
}

/** run publishes both events and checks both results. */
async function run(o) {
  const seen = new Set();
  const note = (msg) => {
    if (!seen.has(msg)) {
      seen.add(msg);
      process.stderr.write(`interop: note: ${msg}\n`);
    }
  };
  const connectOptions = { servers: o.natsURL.split(",").map((s) => s.trim()), name: "docspace-offboarding-interop-js" };
  if (o.creds !== "") {
    let creds;
    try {
      creds = await readFile(o.creds);
    } catch (err) {
      throw new InteropError(`read NATS credentials: ${err.message}`);
    }
    connectOptions.authenticator = credsAuthenticator(new Uint8Array(creds));
  }
  let nc;
  try {
    nc = await connect(connectOptions);
  } catch (err) {
    throw new InteropError(`connect to NATS at ${o.natsURL}: ${err.message}`);
  }
  try {
    const deadline = Date.now() + o.timeoutMs;
    const js = jetstream(nc);
    let results;
    try {
      // Read from the end of the stream as it is now: earlier results are not ours.
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(o.outputStream);
      results = await js.consumers.get(o.outputStream, {
        filter_subjects: [...RESULT_SUBJECTS, SUBJECT_DEAD_LETTER],
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: info.state.last_seq + 1,
      });
    } catch (err) {
      throw new InteropError(`follow stream ${o.outputStream}: ${err.message}`);
    }
    for (const t of o.terminations) {
      t.event = terminationEvent(o, t);
      await publish(js, o, t, note);
    }
    const lines = await awaitResults(results, o, deadline, note);
    for (const line of lines) {
      process.stdout.write(JSON.stringify(line) + "\n");
    }
  } finally {
    await nc.close();
  }
}

async function main() {
  let o;
  try {
    o = options(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`interop: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (o.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  try {
    await run(o);
  } catch (err) {
    if (err instanceof InteropError || err instanceof HeaderValueError) {
      process.stderr.write(`interop: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`interop: ${err?.stack ?? err}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
