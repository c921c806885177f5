// pcm-player-processor.js: an AudioWorklet that plays the agent's audio.
//
// It runs in a 24 kHz AudioContext, the rate of the Live API's output audio.
// The main thread posts each audio chunk as an ArrayBuffer of 16-bit
// little-endian mono PCM; the processor appends it to a ring buffer and plays
// the buffer out at the context's rate. Posting {command: "clear"} drops
// everything not yet played, at once: that is how an interruption (barge-in)
// silences the agent mid-sentence.
//
// Every 100 ms of playback, and after every clear, it posts
// {buffered, played, cleared, dropped} back: samples waiting in the buffer,
// samples played since the processor started, whether a clear just
// happened, and how many unplayed samples that clear dropped.

class PCMPlayerProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const seconds = (options && options.processorOptions && options.processorOptions.bufferSeconds) || 180;
    this.ring = new Float32Array(Math.round(sampleRate * seconds));
    this.readIndex = 0;
    this.writeIndex = 0; // readIndex === writeIndex means empty
    this.played = 0;
    this.sinceReport = 0;
    this.reportEvery = Math.round(sampleRate / 10);
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  buffered() {
    const n = this.writeIndex - this.readIndex;
    return n >= 0 ? n : n + this.ring.length;
  }

  onMessage(data) {
    if (data instanceof ArrayBuffer) {
      this.enqueue(data);
      return;
    }
    if (data && data.command === "clear") {
      const dropped = this.buffered();
      this.readIndex = this.writeIndex;
      this.report(true, dropped);
    }
  }

  enqueue(buffer) {
    const view = new DataView(buffer);
    const count = Math.floor(buffer.byteLength / 2);
    for (let i = 0; i < count; i++) {
      this.ring[this.writeIndex] = view.getInt16(i * 2, true) / 32768;
      this.writeIndex = (this.writeIndex + 1) % this.ring.length;
      if (this.writeIndex === this.readIndex) {
        // Full: drop the oldest sample rather than the newest.
        this.readIndex = (this.readIndex + 1) % this.ring.length;
      }
    }
  }

  report(cleared, dropped = 0) {
    this.sinceReport = 0;
    this.port.postMessage({ buffered: this.buffered(), played: this.played, cleared, dropped });
  }

  process(inputs, outputs) {
    const output = outputs[0];
    const frames = output[0].length;
    for (let i = 0; i < frames; i++) {
      let s = 0;
      if (this.readIndex !== this.writeIndex) {
        s = this.ring[this.readIndex];
        this.readIndex = (this.readIndex + 1) % this.ring.length;
        this.played++;
      }
      for (let c = 0; c < output.length; c++) {
        output[c][i] = s;
      }
    }
    this.sinceReport += frames;
    if (this.sinceReport >= this.reportEvery) {
      this.report(false);
    }
    return true;
  }
}

registerProcessor("pcm-player-processor", PCMPlayerProcessor);
