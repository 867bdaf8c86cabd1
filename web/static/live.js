// Live updates for a hearing page: new comments appear without reload, readers see
// how many others read each section, and quoted passages are marked in the text.
// Progressive enhancement only: the page works fully without this script.
// The hub is push-only; comments are posted through the normal form or the API.

import { fill, normalise, textMap } from "./section-text.js";
import "./passages.js";

const main = document.getElementById("main");
const documentId = main?.dataset.documentId;
const hearingId = main?.dataset.hearingId;
const strings = document.getElementById("live-text")?.dataset ?? {};

// ---------------------------------------------------------------------------
// Quoted passages. The server gives each quoting comment the place of its passage
// as [start, end) in UTF-16 units of the section's text with white space collapsed
// (as Rust's char::is_whitespace sees it); the text nodes of that stretch are
// wrapped in <mark>, followed by a link to the comment.

/** Marks [start, end) of a section's text for comment `id`; false when it cannot. */
function markPassage(body, start, end, id, author, earlier) {
  if (document.getElementById(`passage-${id}`)) return true;
  const { at } = textMap(body);
  if (!(start >= 0 && end > start && end <= at.length)) return false;
  const pieces = [];
  for (let k = start; k < end; k++) {
    const { node, i } = at[k];
    const last = pieces[pieces.length - 1];
    if (last && last.node === node) last.end = i + 1;
    else pieces.push({ node, start: i, end: i + 1 });
  }
  let first = null;
  let lastMark = null;
  // Each piece is in its own text node, so wrapping one leaves the others in place.
  for (const piece of pieces.reverse()) {
    if (!normalise(piece.node.data.slice(piece.start, piece.end))) continue;
    const range = document.createRange();
    range.setStart(piece.node, piece.start);
    range.setEnd(piece.node, piece.end);
    const mark = document.createElement("mark");
    mark.className = earlier ? "passage earlier" : "passage";
    mark.dataset.comment = id;
    range.surroundContents(mark);
    lastMark ??= mark;
    first = mark;
  }
  if (!first) return false;
  first.id = `passage-${id}`;
  first.tabIndex = -1;
  // After the passage, outside any link of the text: a link to the comment.
  let after = lastMark;
  for (let a = lastMark.parentElement?.closest("a"); a && body.contains(a); a = a.parentElement?.closest("a")) {
    after = a;
  }
  const ref = document.createElement("a");
  ref.className = "passage-ref";
  ref.href = `#comment-${id}`;
  ref.textContent = String(body.querySelectorAll(".passage-ref").length + 1);
  const label = document.createElement("span");
  label.className = "visually-hidden";
  label.textContent = ` ${fill(strings.passageRef, { name: author })}`;
  ref.append(label);
  after.after(ref);
  document.querySelector(`#comment-${CSS.escape(id)} .passage-link`)?.removeAttribute("hidden");
  return true;
}

/** Marks the passages of the comments the server rendered. */
function markRenderedPassages() {
  for (const item of document.querySelectorAll("li.comment[data-passage]")) {
    const [start, end] = item.dataset.passage.split("-").map(Number);
    const body = item.closest(".doc-section")?.querySelector(".section-body");
    if (!body) continue;
    const id = item.id.slice("comment-".length);
    markPassage(body, start, end, id, item.dataset.author ?? "", item.classList.contains("earlier"));
  }
}

/** Marks the passage of a comment that arrived live: the quote's first occurrence,
 *  as the server anchored it. */
function markNewPassage(c, id) {
  const body = document.getElementById(`text-${c.section_id}`);
  if (!body || !c.quote) return false;
  const quote = normalise(c.quote);
  const start = textMap(body).text.indexOf(quote);
  if (start < 0 || !quote) return false;
  return markPassage(body, start, start + quote.length, id, c.author_name, false);
}

/** Opens the folded parts `target` is in and gives it the keyboard focus. */
function focusTarget(target, preventScroll) {
  for (let d = target.closest("details"); d; d = d.parentElement?.closest("details")) d.open = true;
  if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
  target.focus({ preventScroll });
}

// Following a link within the page (contents, "back to the contents", a passage, a
// comment) moves the keyboard focus there too, and opens the folded list of comments
// on earlier versions when the target is in it.
document.addEventListener("click", (event) => {
  const link = event.target.closest?.('main a[href^="#"]');
  if (!link || link.classList.contains("skip-link")) return;
  const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target) return;
  // After the browser has moved to the fragment.
  setTimeout(() => focusTarget(target, true), 0);
});

// After a form was sent, the page opens at the message that says what happened
// (its address ends in #status…): the focus goes there, so it is read first and the
// next Tab continues from it, not from the top of the page.
{
  const target = location.hash.startsWith("#status") || location.hash.startsWith("#error-")
    ? document.getElementById(location.hash.slice(1))
    : null;
  if (target) focusTarget(target, false);
}

if (documentId && hearingId) markRenderedPassages();

if (documentId && hearingId && "WebSocket" in window) {
  const bar = document.querySelector(".live-bar");
  const status = document.getElementById("live-status");
  const pause = document.getElementById("live-pause");
  const announcer = document.getElementById("live-announcer");
  const text = pause.dataset;
  const room = `document:${documentId}`;
  const selfName = main.dataset.presenceSelf ?? null;
  let lastSeq = Number(main.dataset.lastSeq || "0");
  let paused = false;
  let attempt = 0;
  let socket = null;
  let subscribed = false;

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

  const changeText = document.getElementById("comment-live-text")?.dataset ?? {};
  const documentLang = document.querySelector(".section-body[lang]")?.lang ?? "";

  // An author who asked to be forgotten is shown as "Name removed".
  const authorOf = (c) => (c.anonymised ? text.nameRemoved : c.author_name);

  // The forms a comment that arrived live offers (support, report, reply), from the
  // page's templates, which the server rendered as it renders them for its comments.
  const PLACES = ["id", "for", "action", "aria-describedby", "value"];
  function fromTemplate(templateId, places) {
    const template = document.getElementById(templateId);
    if (!template) return [];
    const copy = template.content.cloneNode(true);
    for (const el of copy.querySelectorAll(PLACES.map((name) => `[${name}]`).join(", "))) {
      for (const name of PLACES) {
        const value = el.getAttribute(name);
        if (!value) continue;
        let filled = value;
        for (const [place, text] of Object.entries(places)) filled = filled.replaceAll(place, text);
        if (filled !== value) el.setAttribute(name, filled);
      }
    }
    return [...copy.childNodes];
  }
  const liveActions = (id) => fromTemplate("comment-actions-template", { __ID__: id });

  /** A fresh idempotency key for a reply form (crypto.randomUUID needs a secure context). */
  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** The form that answers comment `id`, as the server renders it. */
  function replyForm(id, sectionId, author) {
    const nodes = fromTemplate("reply-form-template", { __ID__: id, __SECTION__: sectionId, __KEY__: newKey() });
    for (const node of nodes) {
      const summary = node.querySelector?.("summary[data-reply-to]");
      if (summary) summary.textContent = fill(summary.dataset.replyTo, { name: author });
    }
    return nodes;
  }

  /** A time as the server writes it: in Norwegian time, in the page's language. */
  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    const parts = {};
    const format = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Oslo",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    for (const part of format.formatToParts(date)) parts[part.type] = part.value;
    const months = (changeText.months ?? "").split(",");
    return fill(changeText.datePattern, {
      day: Number(parts.day),
      month: months[Number(parts.month) - 1] ?? "",
      year: parts.year,
      hour: parts.hour.padStart(2, "0"),
      minute: parts.minute.padStart(2, "0"),
    });
  }

  function insertComment(c) {
    const id = c.comment_id ?? c.id;
    if (document.getElementById(`comment-${id}`)) return false;
    const list = c.parent_id
      ? document.getElementById(`replies-${c.parent_id}`)
      : document.getElementById(`comments-${c.section_id}`);
    if (!list) return false;
    const li = document.createElement("li");
    li.className = "comment comment-new";
    li.id = `comment-${id}`;
    const meta = document.createElement("p");
    meta.className = "comment-meta";
    const author = document.createElement("span");
    author.className = "author";
    author.textContent = fill(text.commentBy, { name: authorOf(c) });
    const time = document.createElement("time");
    time.dateTime = c.created_at ?? "";
    time.textContent = formatTime(c.created_at);
    meta.append(author, " ", time);
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
      quote.lang = documentLang;
      const label = document.createElement("span");
      label.className = "visually-hidden";
      label.lang = document.documentElement.lang;
      label.textContent = `${strings.quoteLabel ?? ""}: `;
      quote.append(label, c.quote);
      li.append(quote);
      if (!c.parent_id) {
        const show = document.createElement("p");
        show.className = "passage-link";
        show.hidden = true;
        const link = document.createElement("a");
        link.href = `#passage-${id}`;
        link.textContent = strings.showPassage ?? "";
        show.append(link);
        li.append(show);
      }
    }
    li.append(body);
    li.append(...liveActions(id));
    if (c.parent_id) {
      li.classList.add("reply");
    } else {
      // Room for replies to this comment, and the form that answers it.
      const replies = document.createElement("ol");
      replies.className = "replies";
      replies.id = `replies-${id}`;
      if (changeText.replies) {
        replies.dataset.label = changeText.replies;
        replies.setAttribute("aria-label", fill(changeText.replies, { name: authorOf(c) }));
      }
      li.append(replies, ...replyForm(id, c.section_id, authorOf(c)));
    }
    list.append(li);
    if (c.quote && !c.parent_id) markNewPassage(c, id);
    if (!c.parent_id) countComment(c.section_id);
    document.getElementById(`no-comments-${c.section_id}`)?.remove();
    const section = document.getElementById(`comments-${c.section_id}`);
    announce(fill(text.newComment, { name: authorOf(c), section: section?.dataset.sectionLabel ?? "" }));
    return true;
  }

  // The count above a section's comments: "N comments", or "the newest N of M" when
  // older ones are left for the link that shows more. New ones are announced by the
  // page's announcer, so the count itself is not a live region of its own.
  function countComment(sectionId) {
    const count = document.getElementById(`comment-count-${sectionId}`);
    if (!count) return;
    const total = Number(count.dataset.total ?? 0) + 1;
    const hidden = Number(count.dataset.hidden ?? 0);
    count.dataset.total = String(total);
    count.textContent = hidden > 0
      ? fill(changeText.countShown ?? "", { shown: total - hidden, total })
      : total === 1 ? (changeText.countOne ?? "") : fill(changeText.count ?? "", { count: total });
    count.hidden = false;
  }

  /** Whether a comment fetched again after a reset belongs to the older ones a paged
   *  section leaves for its "show more" link (so it is not put at the end). */
  function olderThanShown(c) {
    if (c.parent_id) return false;
    const list = document.getElementById(`comments-${c.section_id}`);
    if (!list?.hasAttribute("data-paged")) return false;
    const first = list.querySelector(":scope > li.comment time[datetime]");
    const oldest = first ? Date.parse(first.dateTime) : NaN;
    return !Number.isNaN(oldest) && Date.parse(c.created_at ?? "") < oldest;
  }

  // Support, edits, deletion and moderation of a comment already on the page.

  function applyCommentChange(event) {
    const c = event.data;
    const li = document.getElementById(`comment-${c.comment_id}`);
    if (!li) return;
    const body = li.querySelector(":scope > .comment-body");
    const actions = li.querySelector(":scope > .comment-actions");
    const removeText = (note) => {
      // As the server shows it: the time stays; the name, the text and the reply form go.
      li.querySelector(":scope > .comment-meta .author")?.remove();
      li.querySelector(":scope > details.reply-box")?.remove();
      li.querySelector(":scope > .comment-quote")?.remove();
      li.querySelector(":scope > .passage-link")?.remove();
      li.querySelector(":scope > .comment-edited")?.remove();
      li.querySelector(":scope > .comment-history")?.remove();
      if (body) {
        body.classList.add("comment-removed");
        const em = document.createElement("em");
        em.textContent = note;
        body.replaceChildren(em);
      }
      // Nothing is left to support, edit or report.
      actions?.querySelectorAll("form, details, a").forEach((el) => el.remove());
    };
    if (event.type === "comment_supported") {
      const count = li.querySelector(`#supporters-${c.comment_id}`);
      if (count) {
        count.hidden = c.supporters === 0;
        count.textContent =
          c.supporters === 1 ? changeText.supportersOne : fill(changeText.supporters ?? "", { count: c.supporters });
      }
      announce(fill(changeText.liveSupported ?? "", { count: c.supporters }));
    } else if (event.type === "comment_edited") {
      if (body) body.textContent = c.body;
      let edited = li.querySelector(":scope > .comment-edited");
      if (!edited) {
        edited = document.createElement("p");
        edited.className = "comment-edited";
        body?.after(edited);
      }
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = fill(changeText.edited ?? "", { time: new Date(c.edited_at).toLocaleString(document.documentElement.lang) });
      edited.replaceChildren(badge);
      announce(changeText.liveEdited);
    } else if (event.type === "comment_deleted") {
      removeText(changeText.deleted);
      announce(changeText.liveDeleted);
    } else if (event.type === "comment_hidden") {
      removeText(c.pending_review ? changeText.pending : changeText.hidden);
      announce(changeText.liveHidden);
    } else if (event.type === "comment_restored") {
      const meta = li.querySelector(":scope > .comment-meta");
      if (meta && !meta.querySelector(".author")) {
        const author = document.createElement("span");
        author.className = "author";
        author.textContent = fill(text.commentBy, { name: c.author_name });
        meta.prepend(author, " ");
      }
      if (body) {
        body.classList.remove("comment-removed");
        body.textContent = c.body;
      }
      announce(changeText.liveRestored);
    }
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
      for (const c of await response.json()) if (!olderThanShown(c)) insertComment(c);
    } catch {
      // The next reconnect tries again.
    }
  }

  // --- Presence: which section this reader has in front of them, and who else reads.
  // Shown as plain text by each section heading, never announced: it changes often
  // and is not news.

  let reading = null; // the section in view or in use here
  let told = undefined; // what the server was last told
  let focusTimer = null;

  function tellFocus() {
    focusTimer = null;
    const section = document.visibilityState === "hidden" ? null : reading;
    if (!subscribed || section === told || socket?.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "focus", room, section }));
    told = section;
  }

  function setReading(section) {
    reading = section;
    // Scrolling past many sections quickly tells the server only where it stopped.
    if (focusTimer === null) focusTimer = setTimeout(tellFocus, 300);
  }

  const sectionOf = (element) => element?.closest?.("section.doc-section")?.id.slice("section-".length) ?? null;

  if ("IntersectionObserver" in window) {
    const inView = new Set();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) inView.add(entry.target);
          else inView.delete(entry.target);
        }
        // Writing or tabbing in a section counts for more than what scrolls by.
        if (sectionOf(document.activeElement)) return;
        // The first section crossing the reading line, in document order.
        const first = [...document.querySelectorAll("section.doc-section")].find((s) => inView.has(s));
        if (first) setReading(sectionOf(first));
      },
      { rootMargin: "-35% 0px -60% 0px" },
    );
    for (const section of document.querySelectorAll("section.doc-section")) observer.observe(section);
  }
  document.addEventListener("focusin", (event) => {
    const section = sectionOf(event.target);
    if (section) setReading(section);
  });
  document.addEventListener("selectionchange", () => {
    const section = sectionOf(document.getSelection()?.anchorNode?.parentElement);
    if (section) setReading(section);
  });
  document.addEventListener("visibilitychange", () => setReading(reading));

  function showPresence(sections) {
    const shown = new Set();
    for (const s of sections) {
      const element = document.getElementById(`presence-${s.section}`);
      if (!element) continue;
      let count = s.count;
      const names = [...s.names];
      // This reader is counted too; show the others.
      if (s.section === told) {
        count -= 1;
        const own = selfName === null ? -1 : names.indexOf(selfName);
        if (own >= 0) names.splice(own, 1);
      }
      if (count <= 0) continue;
      element.textContent = names.length
        ? fill(strings.readingNames, { count, names: names.join(", ") })
        : fill(strings.reading, { count });
      element.hidden = false;
      shown.add(element);
    }
    for (const element of document.querySelectorAll("p.presence")) {
      if (shown.has(element)) continue;
      element.hidden = true;
      element.textContent = "";
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws`);
    const current = socket;
    current.addEventListener("open", () => {
      attempt = 0;
      current.send(JSON.stringify({ type: "subscribe", room, since: lastSeq }));
    });
    current.addEventListener("message", (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.room !== room) return;
      if (data.type === "subscribed") {
        // The room is behind what this page saw (the server's data was restored):
        // the server also sends `reset`; this keeps the page right with one that does not.
        if (typeof data.seq === "number" && data.seq < lastSeq) {
          lastSeq = data.seq;
          refetch();
        }
        status.textContent = text.connected;
        main.dataset.live = "connected";
        subscribed = true;
        told = undefined;
        tellFocus();
      } else if (data.type === "event") {
        if (data.seq <= lastSeq) return;
        lastSeq = data.seq;
        if (data.event.type === "comment_posted") insertComment(data.event.data);
        else if (data.event.type === "comment_anonymised") removeName(data.event.data);
        else applyCommentChange(data.event);
      } else if (data.type === "presence") {
        showPresence(data.sections ?? []);
      } else if (data.type === "reset") {
        lastSeq = data.seq;
        refetch();
      }
    });
    current.addEventListener("close", () => {
      subscribed = false;
      main.dataset.live = "reconnecting";
      status.textContent = text.reconnecting;
      showPresence([]);
      // Exponential backoff with jitter, so a restarted server is not stampeded.
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();
}
