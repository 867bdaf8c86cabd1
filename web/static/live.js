// Live updates for a hearing page: new comments appear without reload.
// Progressive enhancement only: the page works fully without this script.
// The hub is push-only; comments are posted through the normal form or the API.

const main = document.getElementById("main");
const documentId = main?.dataset.documentId;
const hearingId = main?.dataset.hearingId;

if (documentId && hearingId && "WebSocket" in window) {
  const bar = document.querySelector(".live-bar");
  const status = document.getElementById("live-status");
  const pause = document.getElementById("live-pause");
  const announcer = document.getElementById("live-announcer");
  const text = pause.dataset;
  const room = `document:${documentId}`;
  let lastSeq = Number(main.dataset.lastSeq || "0");
  let paused = false;
  let attempt = 0;

  bar.hidden = false;

  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? text.resume : text.pause;
  });

  const announce = (message) => {
    if (paused) return;
    // Replacing the text makes screen readers read the new message once.
    announcer.textContent = message;
  };

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  // An author who asked to be forgotten is shown as "Name removed".
  const authorOf = (c) => (c.anonymised ? text.nameRemoved : c.author_name);

  function insertComment(c) {
    if (document.getElementById(`comment-${c.comment_id ?? c.id}`)) return false;
    const list = c.parent_id
      ? document.getElementById(`replies-${c.parent_id}`)
      : document.getElementById(`comments-${c.section_id}`);
    if (!list) return false;
    const li = document.createElement("li");
    li.className = "comment comment-new";
    li.id = `comment-${c.comment_id ?? c.id}`;
    const meta = document.createElement("p");
    meta.className = "comment-meta";
    const author = document.createElement("span");
    author.className = "author";
    author.textContent = fill(text.commentBy, { name: authorOf(c) });
    meta.append(author);
    if (c.late) {
      const late = document.createElement("span");
      late.className = "badge late";
      late.textContent = text.late;
      meta.append(" ", late);
    }
    const body = document.createElement("p");
    body.className = "comment-body";
    body.textContent = c.body;
    li.append(meta);
    if (c.quote) {
      const quote = document.createElement("blockquote");
      quote.className = "comment-quote";
      quote.textContent = c.quote;
      li.append(quote);
    }
    li.append(body);
    if (c.parent_id) {
      li.classList.add("reply");
    } else {
      // Room for replies to this comment; the reply form comes with the next reload.
      const replies = document.createElement("ol");
      replies.className = "replies";
      replies.id = `replies-${c.comment_id ?? c.id}`;
      li.append(replies);
    }
    list.append(li);
    document.getElementById(`no-comments-${c.section_id}`)?.remove();
    const section = document.getElementById(`comments-${c.section_id}`);
    announce(fill(text.newComment, { name: authorOf(c), section: section?.dataset.sectionLabel ?? "" }));
    return true;
  }

  // The author of a comment on the page was forgotten: take their name away.
  function removeName(a) {
    const item = document.getElementById(`comment-${a.comment_id}`);
    const author = item?.querySelector(":scope > .comment-meta .author");
    if (author) author.textContent = fill(text.commentBy, { name: text.nameRemoved });
    const summary = item?.querySelector(":scope > details.reply-box > summary");
    if (summary?.dataset.replyTo) {
      summary.textContent = fill(summary.dataset.replyTo, { name: text.nameRemoved });
    }
    const replies = item?.querySelector(":scope > ol.replies");
    if (replies?.dataset.label) {
      replies.setAttribute("aria-label", fill(replies.dataset.label, { name: text.nameRemoved }));
    }
  }

  // After a reset, fetch the current comments and add what is missing.
  async function refetch() {
    try {
      const response = await fetch(`/api/v1/hearings/${hearingId}/comments`);
      if (!response.ok) return;
      for (const c of await response.json()) insertComment(c);
    } catch {
      // The next reconnect tries again.
    }
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
        status.textContent = text.connected;
        main.dataset.live = "connected";
      } else if (data.type === "event") {
        if (data.seq <= lastSeq) return;
        lastSeq = data.seq;
        if (data.event.type === "comment_posted") insertComment(data.event.data);
        else if (data.event.type === "comment_anonymised") removeName(data.event.data);
      } else if (data.type === "reset") {
        lastSeq = data.seq;
        refetch();
      }
    });
    socket.addEventListener("close", () => {
      main.dataset.live = "reconnecting";
      status.textContent = text.reconnecting;
      // Exponential backoff with jitter, so a restarted server is not stampeded.
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();

  // Selecting text in a section (with the mouse, or Shift and the arrow keys) offers
  // it as the passage the comment is about.
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    const text = selection?.toString().trim();
    if (!text || text.length > 1000 || !selection.anchorNode) return;
    const body = selection.anchorNode.parentElement?.closest(".section-body");
    const field = body?.closest(".doc-section")?.querySelector("textarea.quote-field");
    if (field) field.value = text;
  });
}
