// A workshop's page follows the room `workshop:<id>`: when the planner changes the
// workshop (time, place, agenda) or cancels it, the page fetches itself again and
// swaps in the title, the facts and the agenda, leaving the answer form as typed,
// and tells screen readers what happened. Progressive enhancement only.

const main = document.getElementById("main");
const workshopId = main?.dataset.workshopId;
const announcer = document.getElementById("workshop-announcer");

function announce(message) {
  if (!announcer || !message) return;
  announcer.textContent = "";
  setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

/** Fetches the page again and swaps in its title and its live part. */
async function refresh() {
  const response = await fetch(location.pathname, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("workshop-live");
  const live = document.getElementById("workshop-live");
  if (fresh && live) live.replaceWith(fresh);
  const title = page.querySelector("h1");
  const heading = document.querySelector("main h1");
  if (title && heading) heading.textContent = title.textContent;
  if (page.title) document.title = page.title;
}

if (workshopId && "WebSocket" in window) {
  const room = `workshop:${workshopId}`;
  let lastSeq = 0;
  let attempt = 0;
  let refreshing = Promise.resolve();

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.addEventListener("open", () => {
      attempt = 0;
      const subscribe = { type: "subscribe", room };
      if (lastSeq > 0) subscribe.since = lastSeq;
      socket.send(JSON.stringify(subscribe));
    });
    socket.addEventListener("message", (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.room !== room) return;
      if (data.type === "subscribed") {
        main.dataset.live = "connected";
        if (typeof data.seq === "number" && lastSeq === 0) lastSeq = data.seq;
      } else if (data.type === "event") {
        if (data.seq <= lastSeq) return;
        lastSeq = data.seq;
        if (data.event.type !== "workshop_changed") return;
        const cancelled = data.event.data.change === "cancelled";
        refreshing = refreshing.then(refresh, refresh).then(() => {
          main.dataset.seenSeq = String(lastSeq);
          announce(cancelled ? announcer?.dataset.cancelled : announcer?.dataset.changed);
        });
      }
    });
    socket.addEventListener("close", () => {
      main.dataset.live = "reconnecting";
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();
}
