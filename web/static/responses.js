// Live updates for the planner's list of formal responses on a hearing: a new
// response or version is announced and its row updated without reloading.
// Progressive enhancement only: the list is complete without this script.

const list = document.getElementById("responses");
const hearingId = list?.dataset.hearingId;

if (list && hearingId && "WebSocket" in window) {
  const live = document.getElementById("responses-live");
  const room = `hearing:${hearingId}`;
  let lastSeq = Number(list.dataset.lastSeq || "0");
  let attempt = 0;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  function show(r) {
    const name = r.organisation_name || list.dataset.someone;
    live.hidden = false;
    // Replacing the text makes screen readers read the new message once.
    live.textContent = fill(list.dataset.liveNew, { name, version: String(r.version) });
    const versions = document.querySelector(`#response-${r.response_id} .response-versions`);
    if (versions) versions.textContent = String(r.version);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.addEventListener("open", () => {
      attempt = 0;
      socket.send(JSON.stringify({ type: "subscribe", room, since: lastSeq }));
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
        list.dataset.live = "connected";
      } else if (data.type === "event") {
        if (data.seq <= lastSeq) return;
        lastSeq = data.seq;
        if (data.event.type === "response_submitted") show(data.event.data);
      } else if (data.type === "reset") {
        lastSeq = data.seq;
      }
    });
    socket.addEventListener("close", () => {
      list.dataset.live = "reconnecting";
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();
}
