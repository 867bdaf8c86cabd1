// The planner's input register, enhanced: "select all" and "clear" tick the rows
// on the page without reloading, and while a hearing of the plan is open, an input
// that arrives is added to the list. The hub only pushes events; the row itself,
// in the planner's language and with the page's filters, is fetched from the
// server (as on the planner's hearing page). The page is complete without this
// script: the links reload the page with every row ticked, and the list is read
// again on reload.

const list = document.getElementById("register-list");

function tickAll(checked) {
  for (const box of document.querySelectorAll('#register-list input[type="checkbox"][form="bulk-form"]')) {
    box.checked = checked;
  }
}

for (const [id, checked] of [["select-all", true], ["select-none", false]]) {
  document.getElementById(id)?.addEventListener("click", (event) => {
    event.preventDefault();
    tickAll(checked);
  });
}

const rooms = (list?.dataset.rooms || "")
  .split(" ")
  .filter(Boolean)
  .map((entry) => {
    const [room, seq] = entry.split("@");
    return { room, lastSeq: Number(seq || "0") };
  });

if (list && rooms.length && "WebSocket" in window) {
  let attempt = 0;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  /** The highest register number on the page: new rows come after it. */
  function highest() {
    let top = 0;
    for (const row of list.querySelectorAll("li[data-number]")) top = Math.max(top, Number(row.dataset.number));
    return top;
  }

  async function addNewRows() {
    const url = new URL(list.dataset.rowsUrl, location.href);
    url.searchParams.set("after", String(highest()));
    let response;
    try {
      response = await fetch(url, { headers: { accept: "text/html" }, credentials: "same-origin" });
    } catch {
      return;
    }
    if (!response.ok) return;
    const fragment = document.createElement("template");
    fragment.innerHTML = await response.text();
    const descending = list.dataset.descending === "true";
    // Oldest first, new rows belong on the last page only.
    if (!descending && list.dataset.lastPage !== "true") return;
    for (const row of fragment.content.querySelectorAll("li[data-number]")) {
      if (document.getElementById(row.id)) continue;
      if (descending) list.prepend(row);
      else list.append(row);
      list.hidden = false;
      document.getElementById("register-none")?.setAttribute("hidden", "");
      const region = document.getElementById("register-live");
      region.textContent = fill(list.dataset.liveNew, { number: row.dataset.number });
    }
  }

  let queue = Promise.resolve();

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.addEventListener("open", () => {
      attempt = 0;
      for (const r of rooms) socket.send(JSON.stringify({ type: "subscribe", room: r.room, since: r.lastSeq }));
    });
    socket.addEventListener("message", (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      const room = rooms.find((r) => r.room === data.room);
      if (!room) return;
      if (data.type === "subscribed") {
        list.dataset.live = "connected";
      } else if (data.type === "event") {
        if (data.seq <= room.lastSeq) return;
        room.lastSeq = data.seq;
        const kind = data.event?.type;
        if (kind === "comment_posted" || kind === "response_submitted" || kind === "comment_restored") {
          queue = queue.then(addNewRows);
        }
      } else if (data.type === "reset") {
        room.lastSeq = data.seq;
        queue = queue.then(addNewRows);
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
