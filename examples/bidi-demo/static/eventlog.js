// eventlog.js: the event console. Every frame that goes up (↑) or comes down
// (↓) gets a one-line summary; clicking an entry expands its JSON, with audio
// data elided. Audio frames, ten or more a second, are shown only while
// "Show audio" is checked, and only the latest MAX_AUDIO_ENTRIES are kept,
// so they never push the other entries out.

const MAX_ENTRIES = 1000;
const MAX_AUDIO_ENTRIES = 300;
const PREVIEW = 80;

// summarize returns a one-line description of a server event (an ADK event in
// its JSON form, or an error frame).
export function summarize(ev) {
  const parts = [];
  if (ev.errorCode || ev.errorMessage) {
    parts.push(`Error ${ev.errorCode || ""}: ${ev.errorMessage || ""}`.trim());
  }
  if (ev.interrupted) parts.push("Interrupted");
  if (ev.inputTranscription) parts.push(transcription("Input transcription", ev.inputTranscription));
  if (ev.outputTranscription) parts.push(transcription("Output transcription", ev.outputTranscription));
  for (const part of (ev.content && ev.content.parts) || []) {
    if (part.functionCall) {
      parts.push(`Tool call ${part.functionCall.name}(${clip(JSON.stringify(part.functionCall.args || {}))})`);
    } else if (part.functionResponse) {
      parts.push(`Tool result ${part.functionResponse.name}: ${clip(JSON.stringify(part.functionResponse.response || {}))}`);
    } else if (part.inlineData) {
      parts.push(`Audio ${describeBlob(part.inlineData)}`);
    } else if (part.thought && part.text) {
      parts.push(`Thought: "${clip(part.text)}"`);
    } else if (part.text) {
      parts.push(`Text${ev.partial ? " (partial)" : ""}: "${clip(part.text)}"`);
    } else if (part.executableCode) {
      parts.push(`Code: ${clip(part.executableCode.code || "")}`);
    } else if (part.codeExecutionResult) {
      parts.push(`Code result ${part.codeExecutionResult.outcome || ""}`);
    }
  }
  if (ev.groundingMetadata) parts.push("Grounding metadata");
  if (ev.usageMetadata) {
    const u = ev.usageMetadata;
    parts.push(`Usage: ${u.totalTokenCount || 0} tokens (${u.promptTokenCount || 0} prompt, ${u.responseTokenCount || u.candidatesTokenCount || 0} response)`);
  }
  if (ev.liveSessionResumptionUpdate) {
    parts.push(ev.liveSessionResumptionUpdate.resumable ? "Resumption handle updated" : "Not resumable right now");
  }
  if (ev.goAway) parts.push(`Go away (${ev.goAway.timeLeft || "soon"})`);
  if (ev.toolCallCancellation) parts.push(`Tool calls cancelled: ${(ev.toolCallCancellation.ids || []).join(", ")}`);
  if (ev.voiceActivity) parts.push(`Voice activity ${ev.voiceActivity.voiceActivityType || ""}`.trim());
  if (ev.generationComplete) parts.push("Generation complete");
  if (ev.turnComplete) parts.push("Turn complete");
  return parts.length ? parts.join(" · ") : "Event";
}

// isAudioEvent reports whether ev carries model audio and nothing a reader
// would want to see without "Show audio".
export function isAudioEvent(ev) {
  const parts = (ev.content && ev.content.parts) || [];
  return parts.length > 0 && parts.every((p) => p.inlineData) && !ev.turnComplete && !ev.interrupted;
}

// elideAudio returns a copy of ev with every inlineData payload replaced by
// its size, so the expanded JSON stays readable.
export function elideAudio(ev) {
  return JSON.parse(JSON.stringify(ev), (key, value) => {
    if (key === "inlineData" && value && typeof value.data === "string") {
      return { ...value, data: `<${base64Bytes(value.data).toLocaleString("en-US")} bytes elided>` };
    }
    return value;
  });
}

function transcription(label, t) {
  return `${label}${t.finished ? " (finished)" : ""}: "${clip(t.text || "")}"`;
}

function describeBlob(blob) {
  const bytes = base64Bytes(blob.data || "");
  const rate = /rate=(\d+)/.exec(blob.mimeType || "");
  const hz = rate ? Number(rate[1]) : 24000;
  const ms = Math.round((bytes / 2 / hz) * 1000);
  return `${blob.mimeType || "?"}, ${bytes.toLocaleString("en-US")} bytes (${ms} ms)`;
}

function base64Bytes(s) {
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

function clip(s) {
  s = String(s).replace(/\s+/g, " ");
  return s.length > PREVIEW ? s.slice(0, PREVIEW) + "…" : s;
}

function clock() {
  const d = new Date();
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// EventLog renders entries into a container element.
export class EventLog {
  constructor(container, showAudioCheckbox) {
    this.container = container;
    this.showAudio = showAudioCheckbox;
    this.audioEntries = 0;
    const sync = () => container.classList.toggle("hide-audio", !showAudioCheckbox.checked);
    showAudioCheckbox.addEventListener("change", sync);
    sync();
  }

  // upstream logs a frame the page sent.
  upstream(summary, data, { author = "user", audio = false } = {}) {
    this.add("upstream", "↑", summary, data, author, audio);
  }

  // downstream logs an event the server sent.
  downstream(ev) {
    const kind = ev.errorCode || ev.errorMessage ? "error" : "downstream";
    this.add(kind, "↓", summarize(ev), elideAudio(ev), ev.author || "server", isAudioEvent(ev));
  }

  // local logs something that happened on the page (connection changes,
  // errors that never reached the server).
  local(summary, data, { error = false } = {}) {
    this.add(error ? "error" : "local", error ? "⚠" : "•", summary, data, "page");
  }

  clear() {
    this.container.replaceChildren();
    this.audioEntries = 0;
  }

  add(kind, arrow, summary, data, author, audio = false) {
    const entry = document.createElement("div");
    entry.className = `entry ${kind}` + (audio ? " audio" : "");
    entry.tabIndex = 0;

    const line = document.createElement("div");
    line.className = "entry-line";
    line.append(
      span("dir", arrow),
      span("time", clock()),
      span("author", author),
      span("summary", summary),
    );
    line.title = summary;
    entry.append(line);

    if (data !== undefined && data !== null) {
      let pre = null;
      const toggle = () => {
        if (pre) {
          pre.remove();
          pre = null;
          entry.classList.remove("expanded");
          return;
        }
        pre = document.createElement("pre");
        pre.textContent = JSON.stringify(data, null, 2);
        pre.addEventListener("click", (e) => e.stopPropagation());
        entry.append(pre);
        entry.classList.add("expanded");
      };
      entry.addEventListener("click", toggle);
      entry.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          toggle();
        }
      });
    }

    const atBottom = this.container.scrollHeight - this.container.scrollTop - this.container.clientHeight < 40;
    this.container.append(entry);
    if (audio && ++this.audioEntries > MAX_AUDIO_ENTRIES) {
      this.container.querySelector(".entry.audio").remove();
      this.audioEntries--;
    }
    while (this.container.childElementCount > MAX_ENTRIES) {
      const first = this.container.firstElementChild;
      if (first.classList.contains("audio")) this.audioEntries--;
      first.remove();
    }
    if (atBottom) this.container.scrollTop = this.container.scrollHeight;
  }
}

function span(className, text) {
  const s = document.createElement("span");
  s.className = className;
  s.textContent = text;
  return s;
}
