// One text turn through the Node @google/genai client, unchanged, against a
// livetest server: connect, send LIVETEST_TEXT, print the model's reply on
// one line, close. TestNodeGenaiClientOverTLS runs it with
//
//   LIVETEST_URL          the server's base URL (https://127.0.0.1:PORT)
//   LIVETEST_TEXT         the user's turn
//   NODE_EXTRA_CA_CERTS   the server's certificate, so Node trusts it
//
// and exits non-zero, saying why, on any failure or after 20 s.
import { GoogleGenAI, Modality } from '@google/genai';

const baseUrl = process.env.LIVETEST_URL;
const text = process.env.LIVETEST_TEXT ?? 'Hello';
if (!baseUrl) {
  console.error('LIVETEST_URL is not set');
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error('timed out waiting for the reply');
  process.exit(1);
}, 20_000);

const ai = new GoogleGenAI({ apiKey: 'livetest-key', httpOptions: { baseUrl } });
let reply = '';
let done;
const finished = new Promise((resolve, reject) => {
  done = { resolve, reject };
});
const session = await ai.live.connect({
  model: 'gemini-live-2.5-flash-preview',
  config: { responseModalities: [Modality.TEXT] },
  callbacks: {
    onmessage: (msg) => {
      const sc = msg.serverContent;
      for (const part of sc?.modelTurn?.parts ?? []) reply += part.text ?? '';
      if (sc?.turnComplete) done.resolve();
    },
    onerror: (e) => done.reject(new Error(`websocket error: ${e.message ?? e.error ?? e}`)),
    onclose: (e) => done.reject(new Error(`closed before the reply: ${e.code} ${e.reason}`)),
  },
});
session.sendClientContent({ turns: [{ role: 'user', parts: [{ text }] }], turnComplete: true });
try {
  await finished;
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
clearTimeout(timer);
console.log(reply);
session.close();
