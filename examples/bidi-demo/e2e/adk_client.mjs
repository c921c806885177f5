// adk_client.mjs: a client of ADK's bidi-demo protocol, sending exactly the
// frames the Python demo's page sends, and checking the server's answers.
// It has no dependencies (Node's built-in WebSocket) and works against
// ADK's Python bidi-demo as well as adklive's Go one.
//
//   node --experimental-websocket adk_client.mjs http://127.0.0.1:8000 [speech.wav]
//
// (Node 22 and later need no flag.) It checks, in order:
//   1. a text message ({"type":"text","text":...}) is answered: events that
//      are JSON objects with camelCase keys, an agent reply (text or output
//      transcription), then turnComplete;
//   2. a camera snapshot ({"type":"image","data":<base64>,"mimeType":
//      "image/jpeg"}) followed by a question is answered the same way;
//   3. microphone audio (binary frames of PCM16LE mono 16 kHz, as the page's
//      recorder worklet produces, here 20 ms each and paced in real time)
//      followed by silence makes a turn that is answered; the input
//      transcription is printed when the model sends one. The audio is the
//      WAV file given (16-bit mono 16 kHz) or a synthetic vowel-like tone;
//   4. reconnecting with the same user and session ids works and the
//      conversation goes on.
// Exits 0 when every check passes.

import { readFileSync } from "node:fs";

const base = (process.argv[2] || "http://127.0.0.1:8000").replace(/^http/, "ws").replace(/\/$/, "");
const wavFile = process.argv[3];
const userId = "adk-client";
const sessionId = "adk-client-" + Math.random().toString(36).slice(2, 10);
const turnTimeout = 60_000;

// A valid 1x1 JPEG, the smallest snapshot there is.
const JPEG_1X1 =
  "/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAx" +
  "NDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAI" +
  "AQEAAD8AKp//2Q==";

let failures = 0;
function check(cond, what) {
  console.log(`${cond ? "ok" : "not ok"} - ${what}`);
  if (!cond) failures++;
}

// Connection wraps a WebSocket with a queue of received events.
class Connection {
  static open(query = "") {
    return new Promise((resolve, reject) => {
      const url = `${base}/ws/${userId}/${sessionId}${query}`;
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      const c = new Connection(ws);
      ws.onopen = () => resolve(c);
      ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.events = [];
    this.waiters = [];
    this.badFrames = [];
    ws.onmessage = (m) => {
      if (typeof m.data !== "string") {
        this.badFrames.push("binary frame");
        return;
      }
      try {
        this.events.push(JSON.parse(m.data));
      } catch {
        this.badFrames.push(m.data.slice(0, 100));
      }
      this.wake();
    };
    ws.onclose = () => {
      this.closed = true;
      this.wake();
    };
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  // until returns the events received up to and including the first one
  // (after those already consumed) that satisfies match.
  async until(match, what) {
    const deadline = Date.now() + turnTimeout;
    let seen = 0;
    for (;;) {
      for (; seen < this.events.length; seen++) {
        if (match(this.events[seen])) return this.events.splice(0, seen + 1);
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${turnTimeout / 1000} s`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  sendJSON(obj) {
    this.ws.send(JSON.stringify(obj));
  }

  close() {
    this.ws.close(1000);
  }
}

const snake = (obj) => {
  const bad = [];
  const walk = (v, path) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        // Function arguments and responses are user data, not the event's keys.
        if (k === "args" || k === "response") continue;
        if (k.includes("_")) bad.push(`${path}.${k}`);
        walk(x, `${path}.${k}`);
      }
    }
  };
  walk(obj, "");
  return bad;
};

// checkTurn checks one answered turn and returns the agent's reply text.
function checkTurn(events, what) {
  const errors = events.filter((e) => e.errorCode || e.errorMessage);
  check(errors.length === 0, `${what}: no error events ${errors.length ? JSON.stringify(errors[0]) : ""}`);
  const keys = events.flatMap(snake);
  check(keys.length === 0, `${what}: every key is camelCase ${keys.slice(0, 3).join(", ")}`);
  let reply = "";
  let finalText = "";
  for (const e of events) {
    if (e.author === "user") continue;
    if (e.outputTranscription && e.outputTranscription.finished) reply += e.outputTranscription.text || "";
    for (const p of (e.content && e.content.parts) || []) {
      if (p.text && !p.thought && !e.partial) finalText += p.text;
    }
  }
  reply = (reply || finalText).trim();
  check(reply.length > 0, `${what}: the agent answered: ${JSON.stringify(reply.slice(0, 100))}`);
  return reply;
}

// speech returns the audio to send as PCM16LE mono 16 kHz bytes.
function speech() {
  if (wavFile) {
    const b = readFileSync(wavFile);
    const rate = b.readUInt32LE(24);
    const channels = b.readUInt16LE(22);
    const bits = b.readUInt16LE(34);
    if (b.toString("ascii", 0, 4) !== "RIFF" || rate !== 16000 || channels !== 1 || bits !== 16) {
      throw new Error(`${wavFile}: want a 16-bit mono 16 kHz WAV file`);
    }
    const data = b.indexOf("data", 12);
    return b.subarray(data + 8);
  }
  // 1.5 s of a vowel-like sound: a 140 Hz voice with harmonics, well above
  // any voice activity threshold.
  const n = 1.5 * 16000;
  const out = Buffer.alloc(2 * n);
  for (let i = 0; i < n; i++) {
    const t = i / 16000;
    let s = 0;
    for (let k = 1; k <= 8; k++) s += Math.sin(2 * Math.PI * 140 * k * t) / k;
    out.writeInt16LE(Math.round(6000 * s), 2 * i);
  }
  return out;
}

async function sendAudio(conn, pcm) {
  const chunk = 640; // 20 ms
  const all = Buffer.concat([pcm, Buffer.alloc(2 * 16000 * 1.5)]); // then 1.5 s of silence
  for (let off = 0; off < all.length; off += chunk) {
    conn.ws.send(all.subarray(off, off + chunk));
    await new Promise((r) => setTimeout(r, 20));
  }
}

const turnComplete = (e) => e.turnComplete === true;

try {
  console.log(`# ${base}, user ${userId}, session ${sessionId}`);
  let conn = await Connection.open();

  conn.sendJSON({ type: "text", text: "Hello! Please answer in one short sentence." });
  checkTurn(await conn.until(turnComplete, "turnComplete after a text message"), "text message");

  conn.sendJSON({ type: "image", data: JPEG_1X1, mimeType: "image/jpeg" });
  conn.sendJSON({ type: "text", text: "Did you get the picture I just sent?" });
  checkTurn(await conn.until(turnComplete, "turnComplete after an image"), "image and question");

  await sendAudio(conn, speech());
  const audioTurn = await conn.until(turnComplete, "turnComplete after audio");
  checkTurn(audioTurn, "microphone audio");
  const heard = audioTurn
    .filter((e) => e.inputTranscription && e.inputTranscription.finished)
    .map((e) => e.inputTranscription.text)
    .join("");
  if (heard) console.log(`# the model heard: ${JSON.stringify(heard)}`);
  check(conn.badFrames.length === 0, `every server frame is a JSON text frame ${conn.badFrames.slice(0, 1)}`);
  conn.close();

  conn = await Connection.open("?proactivity=false&affective_dialog=false");
  conn.sendJSON({ type: "text", text: "What did I ask you first?" });
  checkTurn(await conn.until(turnComplete, "turnComplete after reconnecting"), "same session after reconnecting");
  conn.close();
} catch (err) {
  check(false, String(err.message || err));
}

console.log(failures === 0 ? "# all checks passed" : `# ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
