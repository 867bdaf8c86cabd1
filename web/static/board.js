// Live workshop board: the participant's page and the large-screen view follow the
// room `workshop:<id>` and show what changed without reload; notes, dots and the
// facilitator's steps are sent in the background through the same forms.
// Progressive enhancement only: every form works without this script. The hub is
// push-only and sends each reader only the notes they may see at the current stage;
// the page itself is fetched again after an event, so what it shows is always what
// the server decides this reader may see.

const main = document.getElementById("main");
const workshopId = main?.dataset.workshopId;
const text = document.getElementById("board-text")?.dataset ?? {};
const announcer = document.getElementById("board-announcer");
const status = document.getElementById("live-status");
// The text of the last note sent: a refresh that began before the field was emptied
// must not put it back.
let lastSentBody = null;

/** Says something once to screen readers (replacing the text makes them read it). */
function announce(message) {
  if (!announcer || !message) return;
  announcer.textContent = "";
  // A fresh text node after a tick, so the same message twice is read twice.
  setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

/** Fetches the page again and swaps in its live part, keeping the keyboard focus. */
async function refresh() {
  const focusedId = document.activeElement?.id;
  const typed = document.getElementById("note-body")?.value ?? "";
  const response = await fetch(location.pathname, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("board-live");
  const live = document.getElementById("board-live");
  if (!fresh || !live) return;
  live.replaceWith(fresh);
  const note = document.getElementById("note-body");
  if (note && typed && typed !== lastSentBody) note.value = typed;
  const again = focusedId ? document.getElementById(focusedId) : null;
  if (again && !again.disabled) again.focus();
  else if (focusedId) document.getElementById("current-title")?.focus?.();
  enhanceForms();
}

// One refresh at a time, in order, so an older page never replaces a newer one.
let refreshing = Promise.resolve();
function refreshSoon() {
  refreshing = refreshing.then(refresh, refresh);
  return refreshing;
}

/**
 * Sends a form in the background; the page is refreshed by the event that follows.
 * The address is the form's attribute: `form.action` would be the form's field named
 * `action` (the dot forms have one).
 */
async function sendForm(form, submitter) {
  const body = new URLSearchParams(new FormData(form, submitter ?? null));
  let response;
  try {
    response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "follow",
    });
  } catch {
    response = null;
  }
  if (!response?.ok) {
    announce(text.failed);
    return false;
  }
  return true;
}

/**
 * Puts the keyboard focus back where the reader was after the page part was
 * swapped: the same control, else its counterpart (a dot's "place" and "take back"
 * buttons), else the current item's heading.
 */
function restoreFocus(id) {
  if (!id) return;
  const candidates = [id];
  if (id.startsWith("dot-")) candidates.push(`undot-${id.slice(4)}`);
  if (id.startsWith("undot-")) candidates.push(`dot-${id.slice(6)}`);
  for (const candidate of candidates) {
    const element = document.getElementById(candidate);
    if (element && !element.disabled) {
      element.focus();
      return;
    }
  }
  document.getElementById("current-title")?.focus();
}

function enhanceForms() {
  for (const form of document.querySelectorAll("form.board-note-form, form.board-dot-form, form.board-step-form")) {
    if (form.dataset.enhanced) continue;
    form.dataset.enhanced = "1";
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // The page may be swapped while the form is sent: remember controls by id.
      const fieldId = form.querySelector("textarea")?.id;
      const sentBody = form.querySelector("textarea")?.value ?? null;
      const focusId = fieldId ?? event.submitter?.id ?? document.activeElement?.id;
      const sent = await sendForm(form, event.submitter);
      if (!sent) return;
      if (fieldId) {
        const field = document.getElementById(fieldId);
        lastSentBody = sentBody;
        if (field && field.value === sentBody) field.value = "";
      }
      announce(text.saved);
      await refreshSoon();
      restoreFocus(focusId);
    });
  }
}

if (workshopId && "WebSocket" in window) {
  const room = `workshop:${workshopId}`;
  let lastSeq = Number(main.dataset.lastSeq || "0");
  let attempt = 0;
  let socket = null;
  const bar = document.querySelector(".live-bar");
  if (bar) bar.hidden = false;
  enhanceForms();

  function describe(event) {
    switch (event.type) {
      case "workshop_note_posted":
        return `${text.newNote} ${event.data.note.body}`;
      case "workshop_notes_revealed":
        return text.revealed;
      case "workshop_dots_changed":
        return text.dots;
      default:
        return text.changed;
    }
  }

  function subscribe() {
    socket?.send(JSON.stringify({ type: "subscribe", room, since: lastSeq }));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws`);
    const current = socket;
    current.addEventListener("open", () => {
      attempt = 0;
      subscribe();
    });
    current.addEventListener("message", async (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.room !== room) return;
      if (data.type === "subscribed") {
        if (status) status.textContent = text.connected;
        main.dataset.live = "connected";
      } else if (data.type === "event") {
        if (data.seq <= lastSeq) return;
        lastSeq = data.seq;
        // Someone changed tables: follow the room again as who we now are.
        if (data.event.type === "workshop_tables_changed") subscribe();
        await refreshSoon();
        main.dataset.seenSeq = String(lastSeq);
        // Dots change often during voting; only the large screen stays quiet.
        if (!main.dataset.screen) announce(describe(data.event));
      } else if (data.type === "reset") {
        lastSeq = data.seq;
        await refreshSoon();
      }
    });
    current.addEventListener("close", () => {
      main.dataset.live = "reconnecting";
      if (status) status.textContent = text.reconnecting;
      // Exponential backoff with jitter, so a restarted server is not stampeded.
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();
}
