// Choosing the passage a comment is about, by keyboard or by mouse.
//
// By keyboard: "Kommenter eit utdrag" under a section's text opens a panel that
// steps through the text sentence by sentence (arrow keys or buttons), reads each
// step in a live region, lets the reader mark where the passage starts and ends, and
// puts the passage in the section's comment form.
// By mouse (or Shift and the arrow keys): a button by the selected text does the same.
//
// Progressive enhancement: without this script the reader types or pastes the quote.

import { fill, normalise, textMap } from "./section-text.js";

const strings = document.getElementById("passage-text")?.dataset;

/** The longest quote the server takes, in characters. */
const MAX_QUOTE = 1000;

/** The elements whose text a sentence never runs across. */
const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, td, th, blockquote, pre, dd, dt, figcaption";

/** Sentences of a section's text as [start, end) in its normalised text. */
function sentencesOf(body) {
  const { text, at } = textMap(body);
  const blockOf = new Map();
  const block = (k) => {
    const node = at[k].node;
    if (!blockOf.has(node)) blockOf.set(node, node.parentElement?.closest(BLOCKS) ?? body);
    return blockOf.get(node);
  };
  // First the blocks, from the first letter of one to the first letter of the next.
  const runs = [];
  let runStart = 0;
  let current = null;
  for (let k = 0; k < at.length; k++) {
    if (text[k] === " ") continue;
    const b = block(k);
    if (current !== null && b !== current) {
      runs.push([runStart, k]);
      runStart = k;
    }
    current = b;
  }
  if (text.length) runs.push([runStart, text.length]);
  // Then the sentences in each block.
  const lang = body.closest("[lang]")?.lang || document.documentElement.lang;
  const segmenter = "Segmenter" in Intl ? new Intl.Segmenter(lang, { granularity: "sentence" }) : null;
  const sentences = [];
  for (const [from, to] of runs) {
    const run = text.slice(from, to);
    const pieces = segmenter
      ? [...segmenter.segment(run)].map((s) => [s.index, s.index + s.segment.length])
      : [...run.matchAll(/[^.!?…]+(?:[.!?…]+["»”')]*|$)/g)].map((m) => [m.index, m.index + m[0].length]);
    for (let [start, end] of pieces) {
      while (start < end && run[start] === " ") start++;
      while (end > start && run[end - 1] === " ") end--;
      if (end > start) sentences.push({ start: from + start, end: from + end });
    }
  }
  return { text, sentences };
}

/** A DOM range over [start, end) of a section's normalised text. */
function rangeOf(body, start, end) {
  const { at } = textMap(body);
  if (!(start >= 0 && end > start && end <= at.length)) return null;
  const range = document.createRange();
  range.setStart(at[start].node, at[start].i);
  range.setEnd(at[end - 1].node, at[end - 1].i + 1);
  return range;
}

// The sentence in front of the reader and the passage chosen, shown in the text
// without changing it (CSS custom highlights, where the browser has them).
const highlights = "highlights" in CSS && typeof Highlight === "function";
function highlight(name, range) {
  if (!highlights) return;
  if (range) CSS.highlights.set(name, new Highlight(range));
  else CSS.highlights.delete(name);
}

/** Opens the section's comment form with `quote` in it and focuses the quote field. */
function useQuote(section, quote) {
  const field = section.querySelector("textarea.quote-field");
  if (!field) return;
  const compose = field.closest("details");
  if (compose) compose.open = true;
  field.value = quote;
  field.focus();
}

/**
 * Writes a translated message into `element`, the text of the document in its place
 * `{text}` marked with the document's language (WCAG 3.1.2).
 */
function say(element, template, values, quoted, lang) {
  const [before, after = ""] = fill(template, { ...values, text: "{text}" }).split("{text}");
  const span = document.createElement("span");
  span.lang = lang;
  span.textContent = quoted;
  element.replaceChildren(before, ...(template.includes("{text}") ? [span, after] : []));
}

function button(label, className = "secondary") {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  return b;
}

/** The sentence-by-sentence panel of one section, made when first opened. */
function makePicker(section, opener) {
  const sid = section.id.slice("section-".length);
  const body = section.querySelector(".section-body");
  const heading = section.querySelector(`#heading-${CSS.escape(sid)}`);
  const panel = document.createElement("div");
  panel.className = "passage-picker";
  panel.id = `picker-${sid}`;
  panel.hidden = true;
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-labelledby", `picker-title-${sid}`);
  panel.setAttribute("aria-describedby", `picker-help-${sid}`);

  const title = document.createElement("p");
  title.className = "picker-title";
  title.id = `picker-title-${sid}`;
  title.textContent = fill(strings.title, { section: heading?.textContent.trim() ?? "" });
  const help = document.createElement("p");
  help.className = "help";
  help.id = `picker-help-${sid}`;
  help.textContent = strings.help;
  // What each step did, read out by screen readers.
  const status = document.createElement("p");
  status.className = "picker-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-atomic", "true");
  const chosen = document.createElement("p");
  chosen.className = "picker-chosen";

  const previous = button(strings.previous);
  const next = button(strings.next);
  const markStart = button(strings.start);
  const markEnd = button(strings.end);
  const use = button(strings.use, "");
  const cancel = button(strings.cancel);
  const steps = document.createElement("p");
  steps.className = "picker-buttons";
  steps.append(previous, " ", next, " ", markStart, " ", markEnd);
  const finish = document.createElement("p");
  finish.className = "picker-buttons";
  finish.append(use, " ", cancel);
  panel.append(title, help, steps, status, chosen, finish);
  opener.closest("p").after(panel);

  let text = "";
  let sentences = [];
  let at = 0;
  let start = null;
  let end = null;

  const quote = () => (start === null ? "" : text.slice(sentences[start].start, sentences[end].end));
  const lang = body.lang || document.documentElement.lang;

  /** Shows the step and says `message` (a template with its values, and the quoted text). */
  function show([template, values = {}, quoted = ""]) {
    const s = sentences[at];
    const range = rangeOf(body, s.start, s.end);
    highlight("passage-current", range);
    highlight("passage-chosen", start === null ? null : rangeOf(body, sentences[start].start, sentences[end].end));
    if (start === null) chosen.textContent = strings.none;
    else say(chosen, strings.chosen, {}, `«${quote()}»`, lang);
    say(status, template, values, quoted, lang);
    // Keep the sentence in sight without moving the panel away needlessly.
    const box = range?.getBoundingClientRect();
    if (box && (box.top < 0 || box.bottom > window.innerHeight)) {
      range.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
    }
  }

  const sentence = () => [
    strings.sentence,
    { n: at + 1, count: sentences.length },
    text.slice(sentences[at].start, sentences[at].end),
  ];

  function step(to) {
    at = Math.max(0, Math.min(sentences.length - 1, to));
    show(sentence());
  }

  function close(focus) {
    panel.hidden = true;
    highlight("passage-current", null);
    highlight("passage-chosen", null);
    opener.setAttribute("aria-expanded", "false");
    focus?.focus();
  }

  previous.addEventListener("click", () => step(at - 1));
  next.addEventListener("click", () => step(at + 1));
  markStart.addEventListener("click", () => {
    start = at;
    if (end === null || end < start) end = at;
    show([`${strings.startSet} ${strings.chosen}`, { n: at + 1 }, quote()]);
  });
  markEnd.addEventListener("click", () => {
    end = at;
    if (start === null || start > end) start = at;
    show([`${strings.endSet} ${strings.chosen}`, { n: at + 1 }, quote()]);
  });
  use.addEventListener("click", () => {
    if (start === null) return show([strings.none]);
    const passage = quote();
    if (passage.length > MAX_QUOTE) return show([strings.tooLong]);
    close(null);
    useQuote(section, passage);
  });
  cancel.addEventListener("click", () => close(opener));
  panel.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: sentences.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      step(moves[event.key]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(opener);
    }
  });

  return {
    open() {
      ({ text, sentences } = sentencesOf(body));
      if (!sentences.length) return;
      at = 0;
      start = null;
      end = null;
      panel.hidden = false;
      opener.setAttribute("aria-expanded", "true");
      next.focus();
      // Once the region is in the page, so it is read out.
      requestAnimationFrame(() => show(sentence()));
    },
  };
}

if (strings) {
  const pickers = new Map();
  for (const opener of document.querySelectorAll(".passage-start button")) {
    const section = opener.closest("section.doc-section");
    if (!section?.querySelector(".section-body")?.textContent.trim()) continue;
    opener.setAttribute("aria-expanded", "false");
    opener.setAttribute("aria-controls", `picker-${section.id.slice("section-".length)}`);
    opener.closest("p").hidden = false;
    opener.addEventListener("click", () => {
      if (!pickers.has(opener)) pickers.set(opener, makePicker(section, opener));
      pickers.get(opener).open();
    });
  }

  // Text selected in a section: a button by it puts it in the comment form.
  const offer = button(strings.commentSelection, "selection-comment");
  offer.hidden = true;
  let selected = null; // { section, quote }

  // Pressing the button must not take the selection away before it is read.
  offer.addEventListener("mousedown", (event) => event.preventDefault());
  offer.addEventListener("click", () => {
    if (!selected) return;
    const { section, quote } = selected;
    offer.hidden = true;
    selected = null;
    useQuote(section, quote);
  });
  offer.addEventListener("blur", () => {
    if (!selected) offer.hidden = true;
  });

  const elementOf = (node) => (node?.nodeType === Node.ELEMENT_NODE ? node : node?.parentElement);

  function place() {
    const selection = document.getSelection();
    const range = selection?.rangeCount ? selection.getRangeAt(0) : null;
    const body = elementOf(range?.startContainer)?.closest(".section-body");
    const section = body?.closest("section.doc-section");
    let quote = "";
    let within = null;
    if (range && body && !range.collapsed) {
      // A triple click selects up to the start of what follows: keep the section's text.
      within = range.cloneRange();
      if (!body.contains(range.endContainer)) within.setEnd(body, body.childNodes.length);
      quote = normalise(within.toString());
    }
    if (!quote || quote.length > MAX_QUOTE || !section.querySelector("textarea.quote-field")) {
      selected = null;
      if (document.activeElement !== offer) offer.hidden = true;
      return;
    }
    selected = { section, quote };
    // Under the end of the selection, inside the section's width.
    if (offer.parentElement !== section) body.after(offer);
    offer.hidden = false;
    const rects = [...within.getClientRects()].filter((r) => r.width > 0);
    const last = rects[rects.length - 1] ?? within.getBoundingClientRect();
    const area = section.getBoundingClientRect();
    const width = offer.offsetWidth;
    const left = Math.max(0, Math.min(last.right - area.left - width / 2, area.width - width));
    offer.style.left = `${left}px`;
    offer.style.top = `${last.bottom - area.top + 4}px`;
  }

  let pending = false;
  document.addEventListener("selectionchange", () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      place();
    });
  });
}
