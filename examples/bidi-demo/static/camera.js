// camera.js: the camera modal. It previews the camera and hands one JPEG
// snapshot to onSnapshot(dataURL, base64) when the user sends it.

export class Camera {
  constructor({ modal, preview, captureButton, cancelButton }, onSnapshot, onError) {
    this.modal = modal;
    this.preview = preview;
    this.onSnapshot = onSnapshot;
    this.onError = onError;
    this.stream = null;
    captureButton.addEventListener("click", () => this.capture());
    cancelButton.addEventListener("click", () => this.close());
    modal.addEventListener("click", (e) => {
      if (e.target === modal) this.close();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !modal.hidden) this.close();
    });
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

  capture() {
    const w = this.preview.videoWidth;
    const h = this.preview.videoHeight;
    if (!this.stream || !w || !h) {
      this.onError(new Error("the camera has not produced a frame yet"));
      return;
    }
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    canvas.getContext("2d").drawImage(this.preview, 0, 0, w, h);
    const dataURL = canvas.toDataURL("image/jpeg", 0.85);
    this.close();
    this.onSnapshot(dataURL, dataURL.slice(dataURL.indexOf(",") + 1));
  }

  close() {
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.preview.srcObject = null;
    this.modal.hidden = true;
  }
}
