// audio.js: microphone capture at 16 kHz and playback at 24 kHz, each on its
// own AudioContext running an AudioWorklet.

const RECORDER_URL = "/static/pcm-recorder-processor.js";
const PLAYER_URL = "/static/pcm-player-processor.js";

// AudioPlayer plays the agent's 24 kHz PCM16LE audio through a ring buffer.
export class AudioPlayer {
  // create must be called from a user gesture (a click), or the browser
  // keeps the context suspended. onStatus receives the worklet's reports:
  // {buffered, played, cleared, dropped}: samples queued, samples played
  // so far, whether a clear just happened and how many samples it dropped.
  static async create(onStatus) {
    const context = new AudioContext({ sampleRate: 24000 });
    await context.audioWorklet.addModule(PLAYER_URL);
    const node = new AudioWorkletNode(context, "pcm-player-processor", {
      outputChannelCount: [1],
      processorOptions: { bufferSeconds: 180 },
    });
    node.port.onmessage = (e) => onStatus(e.data);
    node.connect(context.destination);
    if (context.state !== "running") await context.resume();
    return new AudioPlayer(context, node);
  }

  constructor(context, node) {
    this.context = context;
    this.node = node;
  }

  get sampleRate() {
    return this.context.sampleRate;
  }

  // push queues one chunk of PCM16LE audio (an ArrayBuffer).
  push(buffer) {
    this.node.port.postMessage(buffer, [buffer]);
  }

  // clear drops everything not yet played, at once.
  clear() {
    this.node.port.postMessage({ command: "clear" });
  }
}

// Microphone captures the default input device as 16 kHz PCM16LE chunks.
export class Microphone {
  // start asks for the microphone and calls onChunk with an ArrayBuffer of
  // PCM16LE mono audio every chunkMs milliseconds until stop is called.
  static async start(onChunk, { chunkMs = 100 } = {}) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    let context;
    try {
      context = new AudioContext({ sampleRate: 16000 });
      await context.audioWorklet.addModule(RECORDER_URL);
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, "pcm-recorder-processor", {
        channelCount: 1,
        channelCountMode: "explicit",
        processorOptions: { chunkMs },
      });
      node.port.onmessage = (e) => onChunk(e.data);
      source.connect(node);
      if (context.state !== "running") await context.resume();
      return new Microphone(stream, context, source, node);
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      if (context) context.close();
      throw err;
    }
  }

  constructor(stream, context, source, node) {
    this.stream = stream;
    this.context = context;
    this.source = source;
    this.node = node;
  }

  // stop releases the microphone; no chunk is delivered after it returns.
  stop() {
    this.node.port.onmessage = null;
    this.source.disconnect();
    this.node.disconnect();
    this.stream.getTracks().forEach((t) => t.stop());
    this.context.close();
  }
}

// base64ToArrayBuffer decodes standard or URL-safe base64.
export function base64ToArrayBuffer(s) {
  let b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  while (b64.length % 4) b64 += "=";
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}
