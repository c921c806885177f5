// pcm-recorder-processor.js: an AudioWorklet that turns the microphone into
// the demo's upstream audio format.
//
// It runs in a 16 kHz AudioContext, so the browser has already resampled the
// microphone to 16 kHz. It collects the first input channel into chunks of
// chunkMs milliseconds (100 ms by default), converts each chunk to 16-bit
// little-endian PCM and posts the chunk's ArrayBuffer to the main thread,
// which sends it as one binary WebSocket frame.

class PCMRecorderProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const chunkMs = (options && options.processorOptions && options.processorOptions.chunkMs) || 100;
    this.samplesPerChunk = Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
    this.startChunk();
  }

  startChunk() {
    this.chunk = new ArrayBuffer(this.samplesPerChunk * 2);
    this.view = new DataView(this.chunk);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) {
      return true; // no microphone connected yet
    }
    const samples = input[0];
    for (let i = 0; i < samples.length; i++) {
      let s = samples[i];
      if (s > 1) s = 1;
      else if (s < -1) s = -1;
      this.view.setInt16(this.filled * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
      this.filled++;
      if (this.filled === this.samplesPerChunk) {
        this.port.postMessage(this.chunk, [this.chunk]);
        this.startChunk();
      }
    }
    return true;
  }
}

registerProcessor("pcm-recorder-processor", PCMRecorderProcessor);
