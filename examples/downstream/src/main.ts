import { remixAtNight, renderClip, renderFromText } from "./service.js";

const canned = { created: 1, data: [{ url: "https://cdn.example/clip.mp4", video_id: "v1" }] };
const fetch = (async () =>
  new Response(JSON.stringify(canned), {
    status: 200,
    headers: { "content-type": "application/json" },
  })) as typeof globalThis.fetch;

console.log(await renderClip("A cat turns", "https://img.example/cat.png", "8", { apiKey: "sk-downstream", fetch }));
console.log(await renderClip("", "https://img.example/cat.png", "5" as "8", { apiKey: "sk-downstream", fetch }));
console.log(await remixAtNight("v1", { apiKey: "sk-downstream", fetch }));
console.log(await renderFromText("A lighthouse at dusk", { apiKey: "sk-downstream", fetch }));
