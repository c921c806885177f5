// app.js: the bidi-demo page. It connects to /ws/{user_id}/{session_id},
// sends typed text, camera snapshots and streamed camera frames (one a
// second while streaming is on) as JSON text frames and microphone
// audio as binary PCM16LE 16 kHz frames, and renders every event the server
// sends (one JSON text frame each): the chat, the audio, the event console.
//
// The protocol is the one of ADK's Python bidi-demo, so this page works
// against either server.

import { AudioPlayer, Microphone, base64ToArrayBuffer } from "./audio.js";
import { Camera } from "./camera.js";
import { Chat } from "./chat.js";
import { EventLog } from "./eventlog.js";

const $ = (id) => document.getElementById(id);

const userId = "demo-user";
const sessionId = "demo-session-" + Math.random().toString(36).slice(2, 10);

const chat = new Chat($("messages"));
const log = new EventLog($("eventLog"), $("showAudio"));

// ---------------------------------------------------------------------------
// Connection

let socket = null; // the current WebSocket, or null while disconnected
let reconnectTimer = null;
let failures = 0; // consecutive connections that closed without opening

function socketURL() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams();
  if ($("proactivity").checked) params.set("proactivity", "true");
  if ($("affectiveDialog").checked) params.set("affective_dialog", "true");
  const query = params.toString();
  const path = `/ws/${encodeURIComponent(userId)}/${encodeURIComponent(sessionId)}`;
  return `${scheme}//${location.host}${path}${query ? "?" + query : ""}`;
}

function setStatus(state, text) {
  $("connectionStatus").dataset.state = state;
  $("statusText").textContent = text;
  $("sendButton").disabled = state !== "connected";
}

function connect() {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  const url = socketURL();
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  socket = ws;
  setStatus("connecting", "Connecting…");
  log.local("Connecting", { url });

  ws.onopen = () => {
    if (socket !== ws) return;
    failures = 0;
    setStatus("connected", "Connected");
    chat.system(`Connected (session ${sessionId})`);
    log.local("WebSocket connected", { userId, sessionId, url });
  };

  ws.onmessage = (msg) => {
    if (socket !== ws) return;
    if (typeof msg.data !== "string") {
      log.local("Unexpected binary frame from the server", { bytes: msg.data.byteLength }, { error: true });
      return;
    }
    let ev;
    try {
      ev = JSON.parse(msg.data);
    } catch (err) {
      log.local("Unparsable frame from the server", { error: String(err), frame: msg.data.slice(0, 200) }, { error: true });
      return;
    }
    onEvent(ev);
  };

  ws.onclose = (e) => {
    if (socket !== ws) return; // replaced on purpose (settings changed)
    socket = null;
    failures++;
    chat.reset(); // the answer being streamed, if any, will not go on
    const delay = Math.min(1000 * 2 ** Math.min(failures - 1, 4), 10000);
    setStatus("disconnected", `Disconnected — reconnecting in ${Math.round(delay / 1000)} s`);
    chat.system(`Connection closed${e.reason ? ": " + e.reason : ""}. Reconnecting to the same session…`);
    log.local("WebSocket closed", { code: e.code, reason: e.reason, reconnectInMs: delay }, { error: true });
    reconnectTimer = setTimeout(connect, delay);
  };
}

// reconnectNow replaces the connection at once, for example with new
// settings; the server keeps the session, so the conversation goes on.
function reconnectNow(reason) {
  const old = socket;
  socket = null;
  if (old) old.close(1000, reason);
  chat.reset();
  chat.system(`${reason}: reconnecting…`);
  connect();
}

function send(frame, summary, logData, opts) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(frame);
  log.upstream(summary, logData, opts);
  return true;
}

// ---------------------------------------------------------------------------
// Events from the server

function onEvent(ev) {
  log.downstream(ev);
  onRuntimeConnection(ev);
  if (ev.interrupted) {
    withPlayer((p) => p.clear()); // stop speaking at once
  }
  for (const part of (ev.content && ev.content.parts) || []) {
    const blob = part.inlineData;
    if (blob && blob.data && /^audio\/pcm/.test(blob.mimeType || "")) {
      const pcm = base64ToArrayBuffer(blob.data);
      withPlayer((p) => p.push(pcm));
    }
  }
  chat.handle(ev);
}

// onRuntimeConnection shows the runtime's own reconnection to the model
// (ev.reconnect: started, succeeded, gave_up) and its warnings.
function onRuntimeConnection(ev) {
  const rc = ev.reconnect;
  if (rc) {
    switch (rc.state) {
      case "started":
        setStatus("connecting", "Model connection lost — reconnecting…");
        chat.system(`The model connection ended (${rc.cause || "unknown cause"}); reconnecting… (attempt ${rc.attempt || 1})`);
        break;
      case "succeeded":
        setStatus("connected", "Connected");
        chat.system(rc.resumed ? "Reconnected to the model; the conversation goes on." : "Reconnected to the model with the conversation so far.");
        break;
      case "gave_up":
        setStatus("disconnected", "Model connection lost");
        chat.system(`Could not reconnect to the model: ${rc.cause || "unknown cause"}`);
        break;
    }
  }
  if (ev.warning) {
    chat.system(`Warning: ${ev.warning.message}`);
  }
}

// ---------------------------------------------------------------------------
// Audio

let player = null;
let playerStarting = null;
let mic = null;

function onPlayerStatus(st) {
  const el = $("playback");
  el.dataset.buffered = st.buffered;
  el.dataset.played = st.played;
  if (st.cleared) {
    el.dataset.cleared = Number(el.dataset.cleared) + 1;
    el.dataset.droppedByClear = st.dropped; // samples the last clear silenced
  }
  el.textContent = `${(st.buffered / 24000).toFixed(1)} s`;
}

// withPlayer calls fn with the audio player: at once when it is ready, or
// when it is, if it is still starting, so audio that arrives meanwhile is
// queued, not lost. Calls made while it starts run in order, so an
// interruption still clears the audio queued before it. Before any user
// gesture there is no player (the browser would not play), and nothing to
// do.
function withPlayer(fn) {
  if (player) fn(player);
  else if (playerStarting) playerStarting.then((p) => p && fn(p));
}

// ensurePlayer creates the 24 kHz player on the first user gesture.
function ensurePlayer() {
  if (!playerStarting) {
    playerStarting = AudioPlayer.create(onPlayerStatus).then(
      (p) => (player = p),
      (err) => {
        playerStarting = null;
        log.local("Audio playback unavailable", { error: String(err) }, { error: true });
      },
    );
  }
  return playerStarting;
}

async function toggleMicrophone() {
  const button = $("audioButton");
  if (mic) {
    mic.stop();
    mic = null;
    button.textContent = "Start Audio";
    button.setAttribute("aria-pressed", "false");
    $("micState").textContent = "off";
    $("micState").dataset.state = "off";
    log.local("Microphone stopped");
    return;
  }
  button.disabled = true;
  try {
    await ensurePlayer();
    let chunks = 0;
    mic = await Microphone.start((pcm) => {
      chunks++;
      const ms = Math.round((pcm.byteLength / 2 / 16000) * 1000);
      send(pcm, `Audio chunk #${chunks}: ${pcm.byteLength} bytes (${ms} ms)`, null, { audio: true });
    });
    button.textContent = "Stop Audio";
    button.setAttribute("aria-pressed", "true");
    $("micState").textContent = "on (16 kHz)";
    $("micState").dataset.state = "on";
    log.local("Microphone started", { sampleRate: 16000, format: "PCM16LE mono" });
  } catch (err) {
    chat.system(`Microphone unavailable: ${err.message || err}`, { error: true });
    log.local("Microphone unavailable", { error: String(err) }, { error: true });
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------
// Wiring

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("messageInput");
  const text = input.value.trim();
  if (!text) return;
  ensurePlayer();
  const frame = JSON.stringify({ type: "text", text });
  if (send(frame, `Text: "${text}"`, { type: "text", text })) {
    chat.user(text);
    chat.expectAnswer();
    input.value = "";
  }
});

$("audioButton").addEventListener("click", toggleMicrophone);

const camera = new Camera(
  {
    modal: $("cameraModal"),
    preview: $("cameraPreview"),
    captureButton: $("captureButton"),
    streamButton: $("streamButton"),
    streamState: $("streamState"),
    cancelButton: $("cancelCamera"),
  },
  {
    onSnapshot: (dataURL, base64) => {
      if (sendImage(base64, "Image")) chat.userImage(dataURL);
    },
    // Streamed frames go to the model and the console, not the chat.
    onFrame: (base64, n) => sendImage(base64, `Video frame #${n}`),
    onError: (err) => {
      chat.system(`Camera unavailable: ${err.message || err}`, { error: true });
      log.local("Camera unavailable", { error: String(err) }, { error: true });
    },
  },
);

// sendImage sends one JPEG image frame, logged as label.
function sendImage(base64, label) {
  const frame = JSON.stringify({ type: "image", data: base64, mimeType: "image/jpeg" });
  const bytes = Math.floor((base64.length * 3) / 4);
  return send(frame, `${label}: image/jpeg, ${bytes} bytes`, { type: "image", data: `<${bytes} bytes elided>`, mimeType: "image/jpeg" });
}
$("cameraButton").addEventListener("click", () => camera.open());

for (const id of ["proactivity", "affectiveDialog"]) {
  $(id).addEventListener("change", () => reconnectNow("Settings changed"));
}

$("clearConsole").addEventListener("click", () => log.clear());

$("sessionInfo").textContent = `${userId} / ${sessionId}`;

// The server says which model it runs and whether it is the local simulator.
fetch("/api/config")
  .then((r) => (r.ok ? r.json() : null))
  .then((cfg) => {
    if (!cfg) return;
    $("modelName").textContent = `${cfg.model} · ${cfg.responseModality}`;
    if (cfg.simulatorReason) $("simulatorReason").textContent = cfg.simulatorReason;
    $("simulatorBanner").hidden = !cfg.simulator;
  })
  .catch(() => {});

connect();
