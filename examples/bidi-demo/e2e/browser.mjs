// browser.mjs: drives the bidi-demo page in real headless Chromium, as a
// user would: type a message, talk through a fake microphone fed from a
// WAV file, talk over the reply, change settings, lose the connection. It
// checks what the user sees and hears (the playback worklet's counters),
// and takes a screenshot.
//
//   BIDI_DEMO_URL=http://127.0.0.1:8000 BIDI_DEMO_WAV=speech.wav \
//   BIDI_DEMO_SCREENSHOT=shot.png node browser.mjs
//
// The server must run the local simulator with the default (native-audio)
// model. The WAV should hold a short utterance followed by about three
// seconds of silence: Chromium loops it, so the second utterance talks over
// the agent's reply to the first. CHROMIUM_PATH overrides
// /usr/bin/chromium. Optional:
//
//   - BIDI_DEMO_DROP_URL: fetching it drops every connection between the
//     browser and the server, as a network failure does (the Go test puts a
//     proxy in between); the reconnection step needs it.
//   - BIDI_DEMO_SUMMARIES: a JSON file holding an array of {event, want},
//     server events the simulator does not produce, each with the summary
//     the event console must give it.
//   - BIDI_DEMO_IMAGES_URL: fetching it returns {"images": N}, the number
//     of images the model has received; the camera streaming step needs it.
//
// Exits non-zero, with a failure screenshot next to BIDI_DEMO_SCREENSHOT,
// when a check fails.

import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const url = process.env.BIDI_DEMO_URL;
const wav = process.env.BIDI_DEMO_WAV;
const screenshot = process.env.BIDI_DEMO_SCREENSHOT;
const summaryCases = process.env.BIDI_DEMO_SUMMARIES;
const dropURL = process.env.BIDI_DEMO_DROP_URL;
const imagesURL = process.env.BIDI_DEMO_IMAGES_URL;
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const timeout = 30_000;

if (!url || !wav || !screenshot) {
  console.error("set BIDI_DEMO_URL, BIDI_DEMO_WAV and BIDI_DEMO_SCREENSHOT");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "bidi-demo-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 820 },
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
  ],
});
await context.grantPermissions(["microphone", "camera"], { origin: new URL(url).origin });
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(timeout);
const pageLog = [];
page.on("console", (m) => pageLog.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => pageLog.push(`page error: ${e.message}`));

// Count the samples of agent audio the page receives, to compare with what
// its player plays.
await page.addInitScript(() => {
  window.__audioSamples = 0;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (typeof e.data !== "string") return;
        let ev;
        try {
          ev = JSON.parse(e.data);
        } catch {
          return;
        }
        for (const part of (ev.content && ev.content.parts) || []) {
          const blob = part.inlineData;
          if (blob && blob.data && /^audio\/pcm/.test(blob.mimeType || "")) {
            const pad = blob.data.endsWith("==") ? 2 : blob.data.endsWith("=") ? 1 : 0;
            window.__audioSamples += ((blob.data.length * 3) / 4 - pad) / 2;
          }
        }
      });
    }
  };
});

// Hold the player's worklet until the agent's first audio has arrived, as
// on a slow network: the page must queue that audio, not drop it.
await page.route(
  "**/static/pcm-player-processor.js",
  async (route) => {
    await page.waitForFunction(() => window.__audioSamples > 0, null, { timeout }).catch(() => {});
    await route.continue();
  },
  { times: 1 },
);

let failed = false;
async function step(name, fn) {
  if (failed) return;
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (err) {
    failed = true;
    console.log(`not ok - ${name}\n  ${String(err.stack || err).split("\n").join("\n  ")}`);
    await page.screenshot({ path: screenshot.replace(/\.png$/, "") + ".failure.png" }).catch(() => {});
    console.log("page log:\n  " + pageLog.slice(-40).join("\n  "));
  }
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

// summaries returns the one-line summaries of the visible console entries
// of a kind.
const summaries = (kind) =>
  page.$$eval(`#eventLog .entry.${kind} .summary`, (els) =>
    els.filter((e) => e.offsetParent !== null).map((e) => e.textContent),
  );

const playback = () =>
  page.$eval("#playback", (el) => ({
    played: Number(el.dataset.played),
    buffered: Number(el.dataset.buffered),
    cleared: Number(el.dataset.cleared),
    droppedByClear: Number(el.dataset.droppedByClear ?? 0),
  }));

await step("the page loads, connects and says it runs on the simulator", async () => {
  await page.goto(url);
  await page.waitForSelector('#connectionStatus[data-state="connected"]');
  await page.waitForSelector("#simulatorBanner:not([hidden])");
  // The demo runs with -simulator: the banner gives that reason, not
  // missing credentials.
  const reason = await page.textContent("#simulatorReason");
  check(reason === "forced with -simulator", `the banner gives the reason ${JSON.stringify(reason)}`);
  const model = await page.textContent("#modelName");
  check(/native-audio.*AUDIO/.test(model), `model label ${JSON.stringify(model)}`);
  check(await page.isEnabled("#sendButton"), "Send is disabled while connected");
});

await step("the event console summarises every kind of event", async () => {
  if (!summaryCases) return;
  const cases = JSON.parse(readFileSync(summaryCases, "utf8"));
  const got = await page.evaluate(async (cases) => {
    const { summarize } = await import("/static/eventlog.js");
    return cases.map((c) => summarize(c.event));
  }, cases);
  const wrong = cases.flatMap((c, i) =>
    got[i] === c.want ? [] : [`${JSON.stringify(c.event)}: got "${got[i]}", want "${c.want}"`],
  );
  check(wrong.length === 0, `summaries:\n  ${wrong.join("\n  ")}`);
});

await step("transcription fragments are joined into words with single spaces", async () => {
  // The server's fragments sometimes carry a leading or trailing space and
  // sometimes not; the bubbles must read as the words were said.
  const cases = [
    { name: "no spaces", fragments: ["Hello", "how", "are", "you", "?"], want: "Hello how are you?" },
    { name: "leading spaces", fragments: [" Hello", " how", " are", " you?"], want: "Hello how are you?" },
    { name: "trailing spaces", fragments: ["Hello ", "how ", "are ", "you?"], want: "Hello how are you?" },
    { name: "mixed, never doubled", fragments: ["It's", " 5", " o'clock ", " in", "Paris", "."], want: "It's 5 o'clock in Paris." },
    { name: "unspaced script", fragments: ["今日", "は", "晴れ", "。"], want: "今日は晴れ。" },
  ];
  const got = await page.evaluate(async (cases) => {
    const { Chat } = await import("/static/chat.js");
    const out = [];
    for (const c of cases) {
      for (const side of ["inputTranscription", "outputTranscription"]) {
        const box = document.createElement("div");
        const chat = new Chat(box);
        const author = side === "inputTranscription" ? "user" : "search_agent";
        const texts = [];
        for (const text of c.fragments) {
          chat.handle({ author, partial: true, [side]: { text } });
          texts.push(box.querySelector(".message .text").textContent);
        }
        // The finished transcription is the server's concatenation.
        chat.handle({ author, [side]: { text: c.fragments.join(""), finished: true } });
        const bubbles = [...box.querySelectorAll(".message .text")].map((e) => e.textContent);
        out.push({ name: `${c.name} (${side})`, want: c.want, streamed: texts.at(-1), bubbles });
      }
    }
    return out;
  }, cases);
  const wrong = got.flatMap((g) =>
    g.streamed === g.want && g.bubbles.length === 1 && g.bubbles[0] === g.want
      ? []
      : [`${g.name}: streamed ${JSON.stringify(g.streamed)}, finished ${JSON.stringify(g.bubbles)}, want ${JSON.stringify(g.want)}`],
  );
  check(wrong.length === 0, `transcript bubbles:\n  ${wrong.join("\n  ")}`);
});

await step("the camera modal sends a JPEG snapshot", async () => {
  await page.click("#cameraButton");
  await page.waitForSelector("#cameraModal:not([hidden])");
  await page.waitForFunction(() => document.getElementById("cameraPreview").videoWidth > 0);
  await page.click("#captureButton");
  await page.waitForSelector("#cameraModal", { state: "hidden" });
  const src = await page.getAttribute("#messages .message.user img", "src");
  check(src && src.startsWith("data:image/jpeg;base64,"), `snapshot bubble src ${String(src).slice(0, 40)}`);
  const up = await summaries("upstream");
  check(up.some((s) => /^Image: image\/jpeg, \d+ bytes$/.test(s)), `no image entry upstream: ${up}`);
});

await step("a typed message gets a streamed reply bubble and console entries", async () => {
  // Record every state of the agent's reply bubble, to see it stream.
  await page.evaluate(() => {
    window.__replyStates = new Set();
    new MutationObserver(() => {
      const bubbles = document.querySelectorAll("#messages .message.agent .text");
      const last = bubbles[bubbles.length - 1];
      if (last) window.__replyStates.add(last.textContent);
    }).observe(document.getElementById("messages"), { subtree: true, childList: true, characterData: true });
  });
  await page.fill("#messageInput", "hello from the browser");
  await page.press("#messageInput", "Enter");
  await page.waitForSelector('#messages .message.user:not(.transcription) >> text="hello from the browser"');
  const reply = page.locator("#messages .message.agent.transcription", { hasText: "You said: “hello from the browser”." });
  await reply.waitFor();
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll("#messages .message.agent.transcription")].pop();
    return b && !b.querySelector(".typing") && b.textContent.includes("tool call.");
  });
  const text = await reply.textContent();
  check(text.includes("I got your image"), `the reply does not acknowledge the snapshot: ${text}`);
  const states = await page.evaluate(() => window.__replyStates.size);
  check(states >= 3, `the reply bubble went through ${states} states, want it streamed in several`);

  const up = await summaries("upstream");
  check(up.some((s) => s === 'Text: "hello from the browser"'), `upstream entries: ${up}`);
  const down = await summaries("downstream");
  check(down.filter((s) => s.startsWith("Output transcription:")).length >= 3, `few output transcription entries: ${down}`);
  check(down.some((s) => s.includes("Turn complete")), `no turn complete entry: ${down}`);
  check(!down.some((s) => s.startsWith("Audio ")), "audio entries shown while Show audio is off");
  await page.check("#showAudio");
  const withAudio = await summaries("downstream");
  check(withAudio.some((s) => s.startsWith("Audio audio/pcm;rate=24000")), "Show audio does not reveal the reply's audio events");
  await page.uncheck("#showAudio");
});

await step("the whole spoken reply is played, even what came before the player was ready", async () => {
  const received = () => page.evaluate(() => window.__audioSamples);
  check((await received()) > 24000, `only ${await received()} samples of audio received`);
  await page
    .waitForFunction(() => Number(document.getElementById("playback").dataset.played) >= window.__audioSamples, null, {
      timeout: 15_000,
    })
    .catch(async (err) => {
      throw new Error(`played ${(await playback()).played} of the ${await received()} samples received: ${err.message}`);
    });
});

await step("a console entry expands to its JSON", async () => {
  // An element handle, not a locator: new entries keep arriving.
  const entry = await page.locator("#eventLog .entry.downstream", { hasText: "Turn complete" }).last().elementHandle();
  await entry.click();
  const json = await (await entry.$("pre")).textContent();
  check(json.includes('"turnComplete": true') && json.includes('"invocationId"'), `expanded JSON: ${json}`);
  await (await entry.$(".entry-line")).click();
  check((await entry.$("pre")) === null, "a click on the summary does not collapse the entry");
});

await step("tool calls and results appear where they happened in the spoken answer", async () => {
  await page.fill("#messageInput", "what time is it?");
  await page.press("#messageInput", "Enter");
  const asked = await page.locator('#messages .message.user:not(.transcription)', { hasText: "what time is it?" }).elementHandle();
  await page.locator("#messages .message.agent.transcription", { hasText: "tool says" }).waitFor();
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll("#messages .message.agent.transcription")].pop();
    return b && !b.querySelector(".typing");
  });
  // The bubbles after the question, in document order.
  const after = await asked.evaluate((el) => {
    const out = [];
    for (let n = el.nextElementSibling; n; n = n.nextElementSibling) {
      if (n.classList.contains("message")) {
        out.push({ tool: n.classList.contains("tool"), text: n.querySelector(".text").textContent.trim() });
      }
    }
    return out;
  });
  const shape = after.map((b) => (b.tool ? `tool ${b.text.slice(0, 20)}` : `speech ${b.text.slice(0, 24)}`));
  check(after.length === 4, `want 4 bubbles after the question, got:\n  ${shape.join("\n  ")}`);
  check(!after[0].tool && after[0].text === "Let me check the clock.", `first bubble: ${shape[0]}`);
  check(after[1].tool && after[1].text.startsWith("🔧 get_current_time("), `second bubble: ${shape[1]}`);
  check(after[2].tool && after[2].text.startsWith("↩ get_current_time → "), `third bubble: ${shape[2]}`);
  check(!after[3].tool && /^The get_current_time tool says: date .+, time \d\d:\d\d, timezone .+\.$/.test(after[3].text),
    `fourth bubble: ${JSON.stringify(after[3].text)}`);
  // Let the answer finish playing, so the next step starts in silence.
  await page.waitForFunction(() => Number(document.getElementById("playback").dataset.played) >= window.__audioSamples, null, {
    timeout: 20_000,
  });
});

await step("Start Audio streams the microphone; the input is transcribed and answered aloud", async () => {
  await page.check("#showAudio");
  const before = await playback();
  await page.click("#audioButton");
  await page.waitForSelector('#micState[data-state="on"]');
  check((await page.textContent("#audioButton")) === "Stop Audio", "the button does not offer to stop the mic");
  const heard = page.locator("#messages .message.user.transcription", { hasText: /\d+\.\d s of audio\]/ });
  await heard.first().waitFor();
  await page.locator("#messages .message.agent.transcription", { hasText: "I heard" }).first().waitFor();
  await page.waitForFunction(
    (played) => Number(document.getElementById("playback").dataset.played) > played + 12000,
    before.played,
  );
  const up = await summaries("upstream");
  check(up.some((s) => /^Audio chunk #\d+: 3200 bytes \(100 ms\)$/.test(s)), "no 100 ms audio chunks logged upstream");
  const down = await summaries("downstream");
  check(down.some((s) => s.startsWith("Audio audio/pcm;rate=24000")), "no audio entries with Show audio on");
  check(down.some((s) => s.startsWith("Input transcription")), "no input transcription entry");
  const audioEntry = await page.$("#eventLog .entry.downstream.audio");
  await audioEntry.click();
  const json = await (await audioEntry.$("pre")).textContent();
  check(/bytes elided>/.test(json) && !/"data": "[A-Za-z0-9+/]{40}/.test(json), `audio data not elided: ${json.slice(0, 300)}`);
  await (await audioEntry.$(".entry-line")).click();
});

await step("speaking over the reply interrupts it and clears playback at once", async () => {
  // The WAV loops: its next utterance talks over the reply.
  await page.locator("#messages .message.agent.transcription.interrupted").first().waitFor();
  await page.waitForFunction(() => Number(document.getElementById("playback").dataset.cleared) >= 1);
  // The reply was still playing: the clear silenced audio already queued.
  const atClear = await playback();
  check(atClear.droppedByClear > 0, "the clear found nothing queued: the reply was not playing when interrupted");
  // And nothing more plays: the user is still talking, so no new reply
  // comes for well over a second after the barge-in.
  await page.waitForTimeout(300);
  const later = await playback();
  check(later.played === atClear.played, `${later.played - atClear.played} samples played after the interruption`);
  const down = await summaries("downstream");
  check(down.some((s) => s.startsWith("Interrupted")), "no Interrupted entry in the console");
});

await step("unchecking Show audio hides the audio entries again", async () => {
  await page.uncheck("#showAudio");
  const all = [...(await summaries("upstream")), ...(await summaries("downstream"))];
  check(!all.some((s) => s.startsWith("Audio")), "audio entries still shown");
  check(all.some((s) => s.startsWith("Interrupted")), "the other entries were hidden too");
});

await step("screenshot", async () => {
  // Show the conversation's end and, in the console, the interruption.
  await page.evaluate(() => {
    for (const e of document.querySelectorAll("#eventLog .entry.expanded .entry-line")) e.click();
    const m = document.getElementById("messages");
    m.scrollTop = m.scrollHeight;
    const hit = [...document.querySelectorAll("#eventLog .entry.downstream")].find((e) =>
      e.querySelector(".summary").textContent.startsWith("Interrupted"),
    );
    if (hit) hit.scrollIntoView({ block: "center" });
  });
  await page.screenshot({ path: screenshot });
});

await step("Stop Audio releases the microphone", async () => {
  await page.click("#audioButton");
  await page.waitForSelector('#micState[data-state="off"]');
  check((await page.textContent("#audioButton")) === "Start Audio", "the button does not offer to start the mic again");
});

await step("changing a setting reconnects with the new query and the same session", async () => {
  const session = await page.textContent("#sessionInfo");
  await page.check("#proactivity");
  const connected = page.locator("#eventLog .entry.local", { hasText: "WebSocket connected" });
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#eventLog .entry.local .summary")].filter((e) => e.textContent === "WebSocket connected").length >= 2,
  );
  await page.waitForSelector('#connectionStatus[data-state="connected"]');
  const last = await connected.last().elementHandle();
  await last.click();
  const json = await (await last.$("pre")).textContent();
  const sessionId = session.split(" / ")[1];
  check(json.includes("proactivity=true") && json.includes(sessionId), `reconnected with ${json}`);
});

await step("after a dropped connection the unfinished reply is closed and the page reconnects to the same session", async () => {
  if (!dropURL) {
    console.log("# skipped: BIDI_DEMO_DROP_URL is not set");
    return;
  }
  const connections = () =>
    page.$$eval("#eventLog .entry.local .summary", (els) => els.filter((e) => e.textContent === "WebSocket connected").length);
  const before = await connections();
  await page.waitForSelector('#connectionStatus[data-state="connected"]');

  // Drop the connection while the reply streams in.
  await page.fill("#messageInput", "tell me a long story");
  await page.press("#messageInput", "Enter");
  const streaming = page.locator("#messages .message.agent.transcription:has(.typing)").last();
  await streaming.waitFor();
  const cut = await streaming.elementHandle();
  const res = await fetch(dropURL);
  check(res.ok, `GET ${dropURL}: ${res.status}`);
  await page.waitForFunction((el) => !el.querySelector(".typing"), cut);
  const marked = await cut.evaluate((el) => el.classList.contains("cut-off"));
  check(marked, `the unfinished reply is not marked cut off: ${await cut.evaluate((el) => el.outerHTML)}`);
  const cutText = await cut.textContent();

  // The page reconnects by itself, to the same session.
  await page.waitForFunction((n) =>
    [...document.querySelectorAll("#eventLog .entry.local .summary")].filter((e) => e.textContent === "WebSocket connected").length > n,
    before,
  );
  await page.waitForSelector('#connectionStatus[data-state="connected"]');
  const last = await page.locator("#eventLog .entry.local", { hasText: "WebSocket connected" }).last().elementHandle();
  await last.click();
  const json = await (await last.$("pre")).textContent();
  const sessionId = (await page.textContent("#sessionInfo")).split(" / ")[1];
  check(JSON.parse(json).sessionId === sessionId, `reconnected with ${json}, want session ${sessionId}`);
  check((await connections()) === before + 1, "the page opened more than one new connection");

  // The next answer gets bubbles of its own.
  await page.fill("#messageInput", "are you still there?");
  await page.press("#messageInput", "Enter");
  const next = page.locator("#messages .message.agent.transcription", { hasText: "You said: “are you still there?”" });
  await next.waitFor();
  check(!(await next.evaluate((el, cut) => el === cut, cut)), "the next answer went into the cut-off bubble");
  check((await cut.textContent()) === cutText, `the cut-off bubble changed to ${JSON.stringify(await cut.textContent())}`);
  // The server kept the conversation: the simulator quotes what came before.
  const reply = await next.elementHandle();
  await page.waitForFunction((el) => !el.querySelector(".typing"), reply);
  const text = await reply.textContent();
  check(text.includes("Earlier you said:"), `the reply after reconnecting does not know the session's history: ${text}`);
});

await step("when the runtime reconnects to the model the page says so, on the same browser connection", async () => {
  await page.fill("#messageInput", "please drop the connection");
  await page.press("#messageInput", "Enter");
  const notice = (text) => page.locator("#messages .system-message", { hasText: text }).last().waitFor();
  await notice("reconnecting…");
  await notice("Reconnected to the model");
  await page.waitForSelector('#connectionStatus[data-state="connected"]');
});

await step("the camera streams a frame a second while streaming is on, and snapshots still work", async () => {
  if (!imagesURL) {
    console.log("# skipped: BIDI_DEMO_IMAGES_URL is not set");
    return;
  }
  const received = async () => (await (await fetch(imagesURL)).json()).images;
  await page.waitForSelector('#connectionStatus[data-state="connected"]');
  await page.click("#cameraButton");
  await page.waitForSelector("#cameraModal:not([hidden])");
  await page.waitForFunction(() => document.getElementById("cameraPreview").videoWidth > 0);
  const bubbles = await page.$$eval("#messages .message.user img", (els) => els.length);
  const before = await received();

  const seconds = 4;
  await page.click("#streamButton");
  await page.waitForSelector('#streamState[data-state="on"]');
  check((await page.textContent("#streamButton")) === "Stop streaming", "the button does not offer to stop streaming");
  await page.waitForTimeout(1500);
  // A snapshot while streaming: sent and shown, and the camera stays on.
  await page.click("#captureButton");
  await page.waitForFunction((n) => document.querySelectorAll("#messages .message.user img").length > n, bubbles);
  check(!(await page.isHidden("#cameraModal")), "a snapshot while streaming closed the camera");
  await page.waitForTimeout(seconds * 1000 - 1500);
  await page.click("#streamButton");
  const streamed = Number(await page.getAttribute("#streamState", "data-frames"));
  check((await page.getAttribute("#streamState", "data-state")) === "off", "streaming did not stop");

  // Every frame sent, and the snapshot, reach the model.
  const want = before + seconds + 1;
  const deadline = Date.now() + 5000;
  while ((await received()) < want && Date.now() < deadline) await page.waitForTimeout(100);
  const got = (await received()) - before;
  check(got >= seconds + 1, `the model received ${got} images in ${seconds} s of streaming plus a snapshot, want at least ${seconds + 1}`);
  check(got === streamed + 1, `the page streamed ${streamed} frames and a snapshot, the model received ${got} images`);
  check(streamed <= seconds + 1, `${streamed} frames streamed in ${seconds} s: more than one a second`);
  // Nothing more once streaming is off.
  await page.waitForTimeout(1500);
  check((await received()) - before === got, "frames still arrive after streaming stopped");
  const up = await summaries("upstream");
  check(up.some((s) => /^Video frame #\d+: image\/jpeg, \d+ bytes$/.test(s)), "no video frame entries upstream");

  // Closing the camera turns streaming off too.
  await page.click("#streamButton");
  await page.waitForSelector('#streamState[data-state="on"]');
  await page.click("#cancelCamera");
  await page.waitForSelector("#cameraModal", { state: "hidden" });
  const closedAt = await received();
  await page.waitForTimeout(1500);
  check((await received()) === closedAt, "frames still arrive after the camera was closed");
});

await context.close();
rmSync(profile, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
