// chat.js: the conversation pane. It turns the server's events into bubbles,
// in the order the events arrive: streamed agent text (partial chunks
// appended, the merged text replacing them), input and output
// transcriptions (fragments joined with spaces, see joinFragment), tool
// calls and results, and marks the bubbles of an interrupted answer, or of
// one a dropped connection cut short.

export class Chat {
  constructor(container) {
    this.container = container;
    this.agentText = null; // the agent text bubble being streamed
    this.input = newTranscript(); // the user's transcription being streamed
    this.output = newTranscript(); // the agent's transcription being streamed
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
    for (const el of [this.agentText, this.input.el, this.output.el]) {
      if (!el) continue;
      setTyping(el, false);
      el.classList.add("cut-off");
    }
    this.agentText = null;
    this.input = newTranscript();
    this.output = newTranscript();
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
    streamTranscript(this.input, t, () => {
      const el = bubble("user", "", { transcription: true, label: "You (voice)" });
      // Transcripts trail the audio: if the agent already started this
      // turn's answer, put what the user said before it.
      const answer = this.firstAnswerBubble();
      if (answer) this.container.insertBefore(el, answer);
      else this.append(el);
      return el;
    });
    this.scroll();
  }

  onOutputTranscription(t) {
    streamTranscript(this.output, t, () => {
      this.dropTyping();
      const el = bubble("agent", "", { transcription: true, label: "Agent (voice)" });
      this.append(el);
      this.addToAnswer(el);
      return el;
    });
    this.scroll();
  }

  onContent(ev) {
    for (const part of ev.content.parts || []) {
      if (part.functionCall) {
        this.toolBubble(`🔧 ${part.functionCall.name}(${JSON.stringify(part.functionCall.args || {})})`);
      } else if (part.functionResponse) {
        this.toolBubble(`↩ ${part.functionResponse.name} → ${JSON.stringify(part.functionResponse.response || {})}`);
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

  // toolBubble shows a tool call or result where it happened: the text and
  // speech streamed before it stay above it, and what the agent says after
  // it goes into new bubbles below it.
  toolBubble(text) {
    this.dropTyping();
    this.finishAgentText();
    splitTranscript(this.output);
    const el = bubble("agent", text);
    el.classList.add("tool");
    this.append(el);
    this.addToAnswer(el);
  }

  onInterrupted() {
    this.dropTyping();
    for (const el of this.answer) {
      setTyping(el, false);
      if (!el.classList.contains("tool")) el.classList.add("interrupted");
    }
    this.answer = [];
    this.answerOpen = false;
    this.agentText = null;
    this.output = newTranscript();
  }

  onTurnComplete() {
    this.dropTyping();
    this.finishAgentText();
    if (this.output.el) setTyping(this.output.el, false);
    this.output = newTranscript();
    this.answerOpen = false; // its playback may still be interrupted
  }

  // addToAnswer records a bubble of the agent's current answer (tool
  // bubbles included, though an interruption does not mark them); the
  // first bubble after a turn boundary starts a new answer.
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

  // firstAnswerBubble returns the first bubble of the answer still open,
  // or null.
  firstAnswerBubble() {
    return (this.answerOpen && this.answer.find((el) => el.isConnected)) || null;
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

// newTranscript is the state of one side's transcription: the bubble
// being streamed, the fragments the server sent since its last finished
// transcription, as the server concatenates them (raw), and those of them
// shown in earlier bubbles of the same transcription (shown), which a tool
// call split.
function newTranscript() {
  return { el: null, raw: "", shown: "" };
}

// streamTranscript applies one transcription event to its side's state s,
// creating the bubble with makeBubble when the first fragment comes. The
// fragments are joined with joinFragment. The finished transcription
// carries the concatenation of every fragment; when it says what the
// fragments shown did not (some were missed), its text is shown instead.
function streamTranscript(s, t, makeBubble) {
  const text = t.text || "";
  if (!t.finished) {
    if (!text) return;
    if (!s.el) s.el = makeBubble();
    const span = s.el.querySelector(".text");
    span.textContent = joinFragment(span.textContent, text);
    s.raw += text;
    setTyping(s.el, true);
    return;
  }
  const rest = (s.shown && text.startsWith(s.shown) ? text.slice(s.shown.length) : text).trim();
  if (text !== s.raw && rest) {
    if (!s.el) s.el = makeBubble();
    s.el.querySelector(".text").textContent = rest;
  }
  if (s.el) setTyping(s.el, false);
  Object.assign(s, newTranscript());
}

// splitTranscript ends the bubble of the transcription s: what follows
// goes into a new bubble, though the transcription goes on.
function splitTranscript(s) {
  if (!s.el) return;
  setTyping(s.el, false);
  s.el = null;
  s.shown = s.raw;
}

// Characters a join never puts a space before (closing punctuation) or
// after (opening punctuation), and scripts written without spaces.
const noSpaceBefore = /^[.,;:!?%)\]}…»”’、。，！？：；）」』]/u;
const noSpaceAfter = /[(\[{«“‘¿¡（「『]$/u;
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

// joinFragment appends a transcription fragment to text. The server's
// fragments sometimes carry a leading or trailing space and sometimes do
// not; a space is added where neither side has whitespace at the join, so
// words do not run together, but not before closing punctuation, after
// opening punctuation, or between characters of scripts written without
// spaces (Chinese, Japanese, Thai). Whitespace on both sides becomes one
// space, and a bubble's text does not start with whitespace.
export function joinFragment(text, fragment) {
  if (!text) return fragment.trimStart();
  if (!fragment) return text;
  const last = text.slice(-1);
  const first = fragment[0];
  if (/\s/.test(last)) return text + fragment.trimStart();
  if (/\s/.test(first)) return text + fragment;
  if (noSpaceBefore.test(first) || noSpaceAfter.test(last) || unspaced.test(last) || unspaced.test(first)) {
    return text + fragment;
  }
  return text + " " + fragment;
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
