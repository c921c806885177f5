// chat.js: the conversation pane. It turns the server's events into bubbles:
// streamed agent text (partial chunks appended, the merged text replacing
// them), input and output transcriptions (fragments appended, the finished
// text replacing them), tool calls and results, and marks the bubbles of an
// interrupted answer, or of one a dropped connection cut short.

export class Chat {
  constructor(container) {
    this.container = container;
    this.agentText = null; // the agent text bubble being streamed
    this.inputTranscript = null; // the user transcription being streamed
    this.outputTranscript = null; // the agent transcription being streamed
    this.typing = null; // the "agent is about to answer" placeholder
    // The bubbles of the agent's latest answer, which an interruption
    // marks even after they finished streaming: the server may flush the
    // transcription, or complete the turn, before it reports that the user
    // cut the playback short.
    this.answer = [];
    this.answerOpen = false;
  }

  // user shows text the user typed.
  user(text) {
    this.append(bubble("user", text));
  }

  // userImage shows a snapshot the user sent.
  userImage(dataURL) {
    const el = bubble("user", "");
    const img = document.createElement("img");
    img.src = dataURL;
    img.alt = "Camera snapshot";
    el.querySelector(".text").replaceWith(img);
    this.append(el);
  }

  // system shows a note from the page itself (connection changes, errors).
  system(text, { error = false } = {}) {
    const el = document.createElement("div");
    el.className = "system-message" + (error ? " error" : "");
    el.textContent = text;
    this.append(el);
  }

  // expectAnswer shows a typing indicator until the agent's answer starts.
  expectAnswer() {
    if (this.typing) return;
    this.typing = bubble("agent", "");
    this.typing.classList.add("pending");
    setTyping(this.typing, true);
    this.append(this.typing);
  }

  // reset closes the bubbles still streaming when the connection ends: they
  // lose their typing dots and are marked cut off, and whatever comes after
  // a reconnection starts bubbles of its own.
  reset() {
    this.dropTyping();
    for (const el of [this.agentText, this.inputTranscript, this.outputTranscript]) {
      if (!el) continue;
      setTyping(el, false);
      el.classList.add("cut-off");
    }
    this.agentText = null;
    this.inputTranscript = null;
    this.outputTranscript = null;
    this.answer = [];
    this.answerOpen = false;
  }

  // handle applies one server event to the conversation.
  handle(ev) {
    if (ev.errorCode || ev.errorMessage) {
      this.dropTyping();
      this.system(`Error: ${ev.errorMessage || ev.errorCode}`, { error: true });
      return;
    }
    if (ev.inputTranscription) this.onInputTranscription(ev.inputTranscription);
    if (ev.outputTranscription) this.onOutputTranscription(ev.outputTranscription);
    if (ev.content && ev.author !== "user") this.onContent(ev);
    if (ev.interrupted) this.onInterrupted();
    if (ev.turnComplete) this.onTurnComplete();
  }

  onInputTranscription(t) {
    const text = t.text || "";
    if (!this.inputTranscript) {
      if (!text) return;
      this.inputTranscript = bubble("user", "", { transcription: true, label: "You (voice)" });
      // Transcripts trail the audio: if the agent already started this
      // turn's answer, put what the user said before it.
      const answer = this.firstAnswerBubble();
      if (answer) this.container.insertBefore(this.inputTranscript, answer);
      else this.append(this.inputTranscript);
    }
    streamInto(this.inputTranscript, text, t.finished);
    if (t.finished) this.inputTranscript = null;
    this.scroll();
  }

  onOutputTranscription(t) {
    const text = t.text || "";
    if (!this.outputTranscript) {
      if (!text) return;
      this.dropTyping();
      this.outputTranscript = bubble("agent", "", { transcription: true, label: "Agent (voice)" });
      this.append(this.outputTranscript);
      this.addToAnswer(this.outputTranscript);
    }
    streamInto(this.outputTranscript, text, t.finished);
    if (t.finished) this.outputTranscript = null;
    this.scroll();
  }

  onContent(ev) {
    for (const part of ev.content.parts || []) {
      if (part.functionCall) {
        this.dropTyping();
        this.finishAgentText();
        this.append(toolBubble(`🔧 ${part.functionCall.name}(${JSON.stringify(part.functionCall.args || {})})`));
      } else if (part.functionResponse) {
        this.append(toolBubble(`↩ ${part.functionResponse.name} → ${JSON.stringify(part.functionResponse.response || {})}`));
      } else if (part.text && !part.thought) {
        this.dropTyping();
        if (!this.agentText) {
          this.agentText = bubble("agent", "");
          this.append(this.agentText);
          this.addToAnswer(this.agentText);
        }
        // A partial event carries a new chunk; the final one carries the
        // merged text of the whole segment, which replaces the chunks.
        streamInto(this.agentText, part.text, !ev.partial);
        if (!ev.partial) this.agentText = null;
        this.scroll();
      }
    }
  }

  onInterrupted() {
    this.dropTyping();
    for (const el of this.answer) {
      setTyping(el, false);
      el.classList.add("interrupted");
    }
    this.answer = [];
    this.answerOpen = false;
    this.agentText = null;
    this.outputTranscript = null;
  }

  onTurnComplete() {
    this.dropTyping();
    this.finishAgentText();
    if (this.outputTranscript) setTyping(this.outputTranscript, false);
    this.outputTranscript = null;
    this.answerOpen = false; // its playback may still be interrupted
  }

  // addToAnswer records a bubble of the agent's current answer; the first
  // bubble after a turn boundary starts a new answer.
  addToAnswer(el) {
    if (!this.answerOpen) {
      this.answer = [];
      this.answerOpen = true;
    }
    this.answer.push(el);
  }

  finishAgentText() {
    if (this.agentText) setTyping(this.agentText, false);
    this.agentText = null;
  }

  dropTyping() {
    if (this.typing) this.typing.remove();
    this.typing = null;
  }

  firstAnswerBubble() {
    const candidates = [this.agentText, this.outputTranscript].filter(Boolean);
    candidates.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    return candidates[0] || null;
  }

  append(el) {
    this.container.append(el);
    this.scroll();
  }

  scroll() {
    this.container.scrollTop = this.container.scrollHeight;
  }
}

// bubble builds a message element: .message.{user|agent} > .label? > .bubble > .text
function bubble(who, text, { transcription = false, label = "" } = {}) {
  const el = document.createElement("div");
  el.className = `message ${who}` + (transcription ? " transcription" : "");
  if (label) {
    const l = document.createElement("div");
    l.className = "label";
    l.textContent = label;
    el.append(l);
  }
  const b = document.createElement("div");
  b.className = "bubble";
  const t = document.createElement("span");
  t.className = "text";
  t.textContent = text;
  b.append(t);
  el.append(b);
  return el;
}

function toolBubble(text) {
  const el = bubble("agent", text);
  el.classList.add("tool");
  return el;
}

// streamInto appends a fragment to a streaming bubble, or replaces its text
// with the final text, and shows the typing dots while it is unfinished.
function streamInto(el, text, finished) {
  const t = el.querySelector(".text");
  if (finished) {
    t.textContent = text || t.textContent;
  } else {
    t.textContent += text;
  }
  setTyping(el, !finished);
}

function setTyping(el, on) {
  const b = el.querySelector(".bubble");
  const dots = b.querySelector(".typing");
  if (on && !dots) {
    const d = document.createElement("span");
    d.className = "typing";
    d.setAttribute("aria-label", "typing");
    d.append(document.createElement("span"), document.createElement("span"), document.createElement("span"));
    b.append(d);
  } else if (!on && dots) {
    dots.remove();
  }
}
