// camera.js: the camera modal. It previews the camera and sends what it
// sees: one JPEG snapshot when the user asks (onSnapshot), and, while
// streaming is on, a JPEG frame every second (onFrame, which reports
// whether it could send it), as ADK's demos stream video. Closing the modal turns the camera, and the streaming, off.

// frameInterval is the time between two streamed frames: the Live API
// takes video at about one frame a second.
export const frameInterval = 1000;

export class Camera {
  constructor({ modal, preview, captureButton, streamButton, streamState, cancelButton }, { onSnapshot, onFrame, onError }) {
    this.modal = modal;
    this.preview = preview;
    this.streamButton = streamButton;
    this.streamState = streamState;
    this.onSnapshot = onSnapshot;
    this.onFrame = onFrame;
    this.onError = onError;
    this.stream = null;
    this.timer = null; // the streaming interval, while streaming is on
    this.frames = 0; // frames streamed since streaming was turned on
    captureButton.addEventListener("click", () => this.capture());
    streamButton.addEventListener("click", () => this.toggleStreaming());
    cancelButton.addEventListener("click", () => this.close());
    modal.addEventListener("click", (e) => {
      if (e.target === modal) this.close();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !modal.hidden) this.close();
    });
    this.showStreaming();
  }

  async open() {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 768 }, height: { ideal: 768 } },
      });
    } catch (err) {
      this.onError(err);
      return;
    }
    this.preview.srcObject = this.stream;
    this.modal.hidden = false;
  }

  // capture sends one snapshot. Without streaming it also closes the
  // camera, as a photo would; while streaming, the camera stays on.
  capture() {
    const dataURL = this.grab(0.85);
    if (!dataURL) {
      this.onError(new Error("the camera has not produced a frame yet"));
      return;
    }
    if (!this.timer) this.close();
    this.onSnapshot(dataURL, dataURL.slice(dataURL.indexOf(",") + 1));
  }

  toggleStreaming() {
    if (this.timer) {
      this.stopStreaming();
      return;
    }
    this.frames = 0;
    this.timer = setInterval(() => this.sendFrame(), frameInterval);
    this.sendFrame();
    this.showStreaming();
  }

  stopStreaming() {
    clearInterval(this.timer);
    this.timer = null;
    this.showStreaming();
  }

  // sendFrame streams the current frame, unless the camera has none yet.
  sendFrame() {
    const dataURL = this.grab(0.7);
    if (!dataURL) return;
    const n = this.frames + 1;
    if (!this.onFrame(dataURL.slice(dataURL.indexOf(",") + 1), n)) return; // not connected
    this.frames = n;
    this.showStreaming();
  }

  // grab returns the preview's current frame as a JPEG data URL, or null.
  grab(quality) {
    const w = this.preview.videoWidth;
    const h = this.preview.videoHeight;
    if (!this.stream || !w || !h) return null;
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    canvas.getContext("2d").drawImage(this.preview, 0, 0, w, h);
    return canvas.toDataURL("image/jpeg", quality);
  }

  showStreaming() {
    const on = this.timer !== null;
    this.streamButton.textContent = on ? "Stop streaming" : "Stream (1 fps)";
    this.streamButton.setAttribute("aria-pressed", String(on));
    this.streamState.dataset.state = on ? "on" : "off";
    this.streamState.dataset.frames = String(this.frames);
    this.streamState.textContent = on ? `Streaming: ${this.frames} frame${this.frames === 1 ? "" : "s"} sent` : "";
  }

  close() {
    this.stopStreaming();
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.preview.srcObject = null;
    this.modal.hidden = true;
  }
}
