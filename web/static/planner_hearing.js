// The planner's hearing page, live: a comment or an official response that arrives
// is added to its table (or its row updated) and the counts at the top change,
// without reloading. The hub only pushes events; the row itself, in the planner's
// language, is fetched from the server. Progressive enhancement only: the page is
// complete without this script.

const section = document.getElementById("responses");
const hearingId = section?.dataset.hearingId;

if (section && hearingId && "WebSocket" in window) {
  const room = `hearing:${hearingId}`;
  let lastSeq = Number(section.dataset.lastSeq || "0");
  let attempt = 0;

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  /** Replacing the text makes screen readers read the new message once. */
  function announce(id, text) {
    const region = document.getElementById(id);
    region.hidden = false;
    region.textContent = text;
  }

  /** Fetches the row and the counts; puts the row first in its table (or in place of the old one). */
  async function addRow(kind, id, tableId, emptyId) {
    let response;
    try {
      response = await fetch(`/planner/hearings/${hearingId}/rows/${kind}/${id}`, {
        headers: { accept: "text/html" },
        credentials: "same-origin",
      });
    } catch {
      return false;
    }
    // Not (or no longer) shown to the planner: nothing to add.
    if (!response.ok) return false;
    const fragment = document.createElement("template");
    fragment.innerHTML = await response.text();
    const row = fragment.content.querySelector("tbody tr");
    const table = document.getElementById(tableId);
    if (!row || !table) return false;
    const old = document.getElementById(row.id);
    if (old) old.replaceWith(row);
    else table.tBodies[0].prepend(row);
    table.hidden = false;
    document.getElementById(emptyId).hidden = true;
    for (const [from, to] of [["live-comment-count", "comment-count"], ["live-response-count", "response-count"]]) {
      const count = fragment.content.getElementById(from);
      const shown = document.getElementById(to);
      if (count && shown) shown.textContent = count.textContent;
    }
    return true;
  }

  async function handle(event) {
    const data = event.data;
    if (event.type === "comment_posted") {
      if (await addRow("inputs", data.comment_id, "planner-inputs", "no-inputs")) {
        const name = data.author_name || section.dataset.commentSomeone;
        announce("inputs-live", fill(section.dataset.liveComment, { name }));
      }
    } else if (event.type === "response_submitted") {
      if (await addRow("responses", data.response_id, "planner-responses", "no-responses")) {
        const name = data.organisation_name || section.dataset.someone;
        announce("responses-live", fill(section.dataset.liveNew, { name, version: String(data.version) }));
      }
    }
  }

  // Events are handled one at a time, in the order the hub sent them.
  let queue = Promise.resolve();

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
        section.dataset.live = "connected";
      } else if (data.type === "event") {
        if (data.seq <= lastSeq) return;
        lastSeq = data.seq;
        queue = queue.then(() => handle(data.event));
      } else if (data.type === "reset") {
        lastSeq = data.seq;
      }
    });
    socket.addEventListener("close", () => {
      section.dataset.live = "reconnecting";
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();
}
