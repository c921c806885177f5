// benchclient.mjs runs one benchmark scenario with the Node ADK
// (@google/adk's Runner.runLive) against a running fakeserver and prints
// one JSON object with the field names of measure.Result (bench/measure)
// on standard output. It is the Node twin of cmd/benchclient: the same
// flags, the same scenarios, the same checks on every audio chunk, and the
// same figures measured as closely as Node allows:
//
//   - CPU: process.cpuUsage() (getrusage of the whole process, every
//     thread: the main thread, V8's GC helpers, libuv's pool) over the
//     measured window;
//   - peak RSS: process.resourceUsage().maxRSS;
//   - idle bytes per session: growth of V8's heapUsed plus external memory
//     (Buffers and other memory held outside the JS heap) after global.gc(),
//     so run it with --expose-gc; heap_per_session is heapUsed alone;
//   - latency: now minus the send time the server stamped into the chunk,
//     the wall clock taken as performance.timeOrigin + performance.now()
//     (microsecond precision).
//
// Before the measured scenario it runs an unmeasured one-session burst and
// upstream burst, so that V8's compilers have warmed up the hot paths
// (-warmup=false leaves that out). Go needs no such step.
//
// Usage (benchall runs it pinned to CPU 1):
//
//   node --expose-gc benchclient.mjs -server ws://127.0.0.1:PORT -mode burst -sessions 1 -turns 4 -frames 250
//
// It exits non-zero, saying why on standard error, when any check fails.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

import { Gemini, InMemoryRunner, LiveRequestQueue, LlmAgent } from '@google/adk';

// Constants of bench/wire and bench/adapter.
const MODEL_NAME = 'gemini-live-2.5-flash-preview';
const API_KEY = 'bench-key';
const CHUNK_BYTES = 1920; // one downstream chunk: 40 ms of 24 kHz PCM16
const UP_CHUNK_BYTES = 1280; // one upstream burst chunk: 40 ms of 16 kHz PCM16
const REALTIME_UP_CHUNK_BYTES = 3200; // one real-time upstream chunk: 100 ms
const REALTIME_UP_INTERVAL_MS = 100;
const UP_MIME_TYPE = 'audio/pcm;rate=16000';

// pattern returns n bytes of wire.Pattern: byte i is i*7+3.
function pattern(n) {
  const p = Buffer.alloc(n);
  for (let i = 0; i < n; i++) p[i] = (i * 7 + 3) & 0xff;
  return p;
}
const chunkTail = pattern(CHUNK_BYTES).subarray(16);

// The wall clock in nanoseconds relative to clockBaseUs microseconds since
// the epoch, so that it stays exact in a double.
const clockBaseUs = Math.floor(performance.timeOrigin * 1000);
const clockBaseNs = BigInt(clockBaseUs) * 1000n;
const originFracNs = (performance.timeOrigin * 1000 - clockBaseUs) * 1000;
function nowRelNs() {
  return performance.now() * 1e6 + originFracNs;
}

// checkChunk is wire.CheckChunk: chunk must be the downstream chunk
// numbered wantSeq, byte for byte. It returns the send time the server
// stamped, relative to clockBaseNs, or throws.
function checkChunk(chunk, wantSeq) {
  if (chunk.length !== CHUNK_BYTES) {
    throw new Error(`chunk ${wantSeq}: ${chunk.length} bytes, want ${CHUNK_BYTES}`);
  }
  const seq = chunk.readBigUInt64LE(8);
  if (seq !== BigInt(wantSeq)) {
    throw new Error(`chunk ${wantSeq}: got chunk ${seq} (lost or reordered)`);
  }
  if (!chunk.subarray(16).equals(chunkTail)) {
    throw new Error(`chunk ${wantSeq}: audio bytes differ from those sent`);
  }
  return Number(chunk.readBigInt64LE(0) - clockBaseNs);
}

// Checker is measure's checker: it follows one session's events, signals
// when the session is live (the server's first turnComplete), checks every
// audio chunk, and says when everything expected has arrived.
class Checker {
  constructor({ wantTurns, wantFrames = 0, readyAfter = 0, keepLatency = false, onReady }) {
    this.wantTurns = wantTurns;
    this.wantFrames = wantFrames;
    this.readyAfter = readyAfter;
    this.keepLatency = keepLatency;
    this.onReady = onReady;
    this.turns = 0;
    this.frames = 0;
    this.latencies = [];
    this.err = null;
    this.live = false;
    this.finished = false;
    this.readied = false;
  }

  markReady() {
    if (!this.readied) {
      this.readied = true;
      this.onReady();
    }
  }

  more(want) {
    if (!want) this.finished = true;
    return want;
  }

  // turnComplete handles the end of a turn and reports whether the
  // session wants more.
  turnComplete() {
    this.turns++;
    if (this.turns === 1) this.live = true;
    if (this.turns === 1 + this.readyAfter) this.markReady();
    return this.more(this.turns <= this.wantTurns);
  }

  // audio checks one chunk, given as the base64 string the event carries,
  // and reports whether the session wants more.
  audio(data) {
    if (this.turns === 0) {
      this.err = new Error('audio before the ready signal');
      return false;
    }
    let sent;
    try {
      sent = checkChunk(Buffer.from(data, 'base64'), this.frames);
    } catch (err) {
      this.err = err;
      return false;
    }
    if (this.keepLatency && (this.turns > 1 || this.wantTurns === 1)) {
      // the first turn warms up, unless it is the only one
      this.latencies.push(nowRelNs() - sent);
    }
    this.frames++;
    return true;
  }

  check() {
    if (this.err) throw this.err;
    if (this.frames !== this.wantFrames || this.turns !== this.wantTurns + 1) {
      throw new Error(`received ${this.frames} chunks in ${this.turns - 1} turns; want ${this.wantFrames} in ${this.wantTurns}`);
    }
  }
}

// FakeServerGemini is ADK's Gemini model with the base URL of its live
// client set, the way ADK's own ApigeeLlm points Gemini at a proxy: the
// Gemini constructor takes no base URL, and getLiveHttpOptions is the
// protected hook through which a subclass sets the live client's
// httpOptions.
class FakeServerGemini extends Gemini {
  constructor(params, baseUrl) {
    super(params);
    this.baseUrl = baseUrl;
  }

  getLiveHttpOptions() {
    return { ...super.getLiveHttpOptions(), baseUrl: this.baseUrl };
  }
}

// Adapter is the ordinary way to use the Node ADK live: one runner per
// base URL (as a service would have one per process) holding an LlmAgent
// on ADK's Gemini model, a LiveRequestQueue per session, and events
// consumed by iterating over runner.runLive.
class Adapter {
  constructor() {
    this.runners = new Map();
    this.next = 0;
  }

  runner(baseUrl) {
    let r = this.runners.get(baseUrl);
    if (!r) {
      const model = new FakeServerGemini({ model: MODEL_NAME, apiKey: API_KEY }, baseUrl);
      const agent = new LlmAgent({ name: 'assistant', model, instruction: 'You are a voice assistant.' });
      r = new InMemoryRunner({ appName: 'bench', agent });
      this.runners.set(baseUrl, r);
    }
    return r;
  }

  open(baseUrl) {
    const queue = new LiveRequestQueue();
    const run = this.runner(baseUrl).runLive({
      userId: 'user',
      sessionId: `s-${++this.next}`,
      liveRequestQueue: queue,
      runConfig: { responseModalities: ['AUDIO'] },
    });
    return new Session(queue, run);
  }
}

class Session {
  constructor(queue, run) {
    this.queue = queue;
    this.run = run;
  }

  // receive hands every audio part and turn end to the checker until it
  // wants no more, then ends the session.
  async receive(c) {
    try {
      for await (const ev of this.run) {
        const parts = ev.content?.parts;
        if (parts) {
          for (const p of parts) {
            if (p.inlineData && !c.audio(p.inlineData.data)) return;
          }
        }
        if (ev.turnComplete && !c.turnComplete()) return;
      }
    } finally {
      this.queue.close();
    }
  }

  // sendAudio sends one chunk of 16 kHz PCM16 audio, base64-encoded as
  // @google/genai's Blob wants it.
  sendAudio(pcm) {
    this.queue.sendRealtime({ mimeType: UP_MIME_TYPE, data: pcm.toString('base64') });
  }
}

// sayGo starts the scenario's sessions on the server.
function sayGo(server, id) {
  const url = server.replace(/^ws/, 'http') + '/go/' + id;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`POST ${url}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function runDownstream(cfg, server, id, base, res) {
  const adapter = new Adapter();
  const realtime = cfg.mode === 'realtime';
  const wantFrames = cfg.turns * cfg.frames;
  let firstErr = null;
  let pendingReady = cfg.sessions;
  let readyResolve;
  const ready = new Promise((r) => (readyResolve = r));
  const onReady = () => {
    if (--pendingReady === 0) readyResolve();
  };
  const checkers = [];
  const done = [];
  for (let i = 0; i < cfg.sessions; i++) {
    const c = new Checker({ wantTurns: cfg.turns, wantFrames, keepLatency: realtime, onReady });
    checkers.push(c);
    done.push(
      session(adapter, base, c, realtime).then(
        () => c.markReady(), // a session that ended before it was live fails its check below
        (err) => {
          firstErr ??= new Error(`session ${i}: ${err.message}`);
          c.markReady();
        },
      ),
    );
  }
  await ready;
  if (firstErr) throw firstErr;
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await sayGo(server, id);
  await Promise.all(done);
  const cpu1 = cpuSeconds();
  const t1 = performance.now();
  if (firstErr) throw firstErr;
  const lat = [];
  checkers.forEach((c, i) => {
    try {
      c.check();
    } catch (err) {
      throw new Error(`session ${i}: ${err.message}`);
    }
    res.frames += c.frames;
    for (const l of c.latencies) lat.push(l);
  });
  res.seconds = (t1 - t0) / 1000;
  res.cpu_seconds = cpu1 - cpu0;
  res.frames_per_second = res.frames / res.seconds;
  res.cpu_per_frame_us = (res.cpu_seconds * 1e6) / res.frames;
  if (lat.length > 0) {
    const s = Float64Array.from(lat).sort();
    res.p50_ms = s[Math.floor(s.length / 2)] / 1e6;
    res.p99_ms = s[Math.floor((s.length * 99) / 100)] / 1e6;
    res.max_ms = s[s.length - 1] / 1e6;
  }
}

// session opens one session and receives until c is satisfied; with
// upstream set it also streams 100 ms chunks of 16 kHz audio at real-time
// pace while it receives, once the session is live.
async function session(adapter, base, c, upstream) {
  const s = adapter.open(base);
  if (!upstream) return s.receive(c);
  const chunk = pattern(REALTIME_UP_CHUNK_BYTES);
  const t = setInterval(() => {
    if (c.live && !c.finished) s.sendAudio(chunk);
  }, REALTIME_UP_INTERVAL_MS);
  try {
    await s.receive(c);
  } finally {
    clearInterval(t);
  }
}

async function runUpstream(cfg, base, res) {
  const s = new Adapter().open(base);
  let readyResolve;
  const ready = new Promise((r) => (readyResolve = r));
  const c = new Checker({ wantTurns: 1, onReady: readyResolve });
  let recvErr = null;
  const recv = s.receive(c).catch((err) => {
    recvErr = err;
  });
  await Promise.race([ready, recv]);
  if (!c.readied) throw new Error(`session ended before it was live: ${recvErr?.message ?? 'no error'}`);
  const chunk = pattern(UP_CHUNK_BYTES);
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < cfg.chunks; i++) {
    s.sendAudio(chunk);
    // Let ADK's send loop and the socket drain what was queued, as a
    // caller fed by a microphone would, rather than queue every chunk
    // before the first goes out.
    if (i % 64 === 63) await new Promise((r) => setImmediate(r));
  }
  await recv; // the server's turnComplete after it counted every chunk
  const cpu1 = cpuSeconds();
  const t1 = performance.now();
  if (recvErr) throw recvErr;
  if (c.err) throw c.err;
  if (c.turns !== 2) throw new Error(`session ended before the server counted ${cfg.chunks} chunks`);
  res.up_chunks = cfg.chunks;
  res.seconds = (t1 - t0) / 1000;
  res.cpu_seconds = cpu1 - cpu0;
  res.cpu_per_chunk_us = (res.cpu_seconds * 1e6) / cfg.chunks;
}

function memInUse() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external };
}

async function runIdle(cfg, base, res) {
  if (typeof global.gc !== 'function') throw new Error('idle mode needs node --expose-gc');
  const adapter = new Adapter();
  const m0 = memInUse();
  let pendingReady = cfg.sessions;
  let readyResolve;
  const ready = new Promise((r) => (readyResolve = r));
  const onReady = () => {
    if (--pendingReady === 0) readyResolve();
  };
  let firstErr = null;
  const checkers = [];
  for (let i = 0; i < cfg.sessions; i++) {
    const c = new Checker({ wantTurns: 2 ** 30, readyAfter: cfg.turns, onReady });
    checkers.push(c);
    adapter
      .open(base)
      .receive(c)
      .then(
        () => {
          if (!c.readied) {
            firstErr ??= c.err ?? new Error(`session ${i} ended before it had ${cfg.turns} turns`);
            c.markReady();
          }
        },
        (err) => {
          firstErr ??= err;
          c.markReady();
        },
      );
  }
  await ready;
  if (firstErr) throw firstErr;
  for (const c of checkers) if (c.err) throw c.err;
  const m1 = memInUse();
  const n = cfg.sessions;
  res.heap_per_session = (m1.heap - m0.heap) / n;
  res.bytes_per_session = (m1.heap + m1.external - m0.heap - m0.external) / n;
}

function parseFlags(argv) {
  const cfg = { server: '', adapter: 'nodeadk', mode: 'burst', sessions: 1, turns: 4, frames: 250, chunks: 10000, warmup: true };
  const ints = new Set(['sessions', 'turns', 'frames', 'chunks']);
  const bools = new Set(['warmup']);
  for (let i = 0; i < argv.length; i++) {
    let name = argv[i].replace(/^--?/, '');
    if (name === argv[i]) throw new Error(`unexpected argument ${argv[i]}`);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (bools.has(name)) {
      value = 'true';
    } else {
      value = argv[++i];
    }
    if (!(name in cfg)) throw new Error(`unknown flag -${name}`);
    if (value === undefined) throw new Error(`flag -${name} needs a value`);
    if (bools.has(name)) {
      if (value !== 'true' && value !== 'false') throw new Error(`flag -${name}: ${value} is not true or false`);
      cfg[name] = value === 'true';
    } else if (ints.has(name)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`flag -${name}: ${value} is not a count`);
      cfg[name] = n;
    } else {
      cfg[name] = value;
    }
  }
  if (cfg.adapter !== 'nodeadk') throw new Error(`unknown adapter "${cfg.adapter}": this client is nodeadk`);
  if (!cfg.server) throw new Error('-server is required');
  return cfg;
}

// run runs one scenario under a fresh scenario ID and fills res.
async function run(cfg, res) {
  const server = cfg.server.replace(/\/$/, '');
  const id = randomBytes(8).toString('hex');
  const upChunks = cfg.mode === 'upstream' ? cfg.chunks : 0;
  const path = `/bench/${id}/${cfg.mode}/${cfg.sessions}/${cfg.turns}/${cfg.frames}/${upChunks}`;
  // @google/genai makes its WebSocket URL from an http(s) base URL.
  const base = server.replace(/^ws/, 'http') + path;
  switch (cfg.mode) {
    case 'burst':
    case 'realtime':
      return runDownstream(cfg, server, id, base, res);
    case 'upstream':
      return runUpstream(cfg, base, res);
    case 'idle':
      return runIdle(cfg, base, res);
  }
  throw new Error(`unknown mode "${cfg.mode}"`);
}

// warmUp runs a one-session burst of 4000 chunks and an upstream burst of
// 2000 chunks, unmeasured, so that V8 has compiled the hot paths before
// the measured scenario opens its sessions: the figures are then Node's
// steady state rather than its start-up.
async function warmUp(cfg) {
  const w = { server: cfg.server, sessions: 1, turns: 4, frames: 1000, chunks: 2000 };
  await run({ ...w, mode: 'burst' }, { frames: 0 });
  await run({ ...w, mode: 'upstream' }, {});
}

async function main() {
  const cfg = parseFlags(process.argv.slice(2));
  if (!['burst', 'realtime', 'upstream', 'idle'].includes(cfg.mode)) throw new Error(`unknown mode "${cfg.mode}"`);
  if (cfg.warmup) await warmUp(cfg);
  const res = { adapter: 'nodeadk', mode: cfg.mode, sessions: cfg.sessions, frames: 0, seconds: 0, cpu_seconds: 0 };
  await run(cfg, res);
  res.max_rss_mb = process.resourceUsage().maxRSS / 1024;
  return res;
}

main().then(
  (res) => process.stdout.write(JSON.stringify(res) + '\n', () => process.exit(0)),
  (err) => {
    const args = process.argv.slice(2).join(' ');
    process.stderr.write(`nodeadk ${args}: ${err?.stack ?? err}\n`, () => process.exit(1));
  },
);
