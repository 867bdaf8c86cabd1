// The text of a section as readers see it, in the terms the server uses: white space
// collapsed (as Rust's char::is_whitespace sees it) and counted in UTF-16 units, with
// the text node and offset of each unit, so a passage found in the text can be marked
// or selected in the page.

/** Fills `{name}` places in a translated text. */
export const fill = (template, values) =>
  (template ?? "").replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const SPACES = new RegExp(SPACE.source, "g");

export const normalise = (text) => text.split(SPACES).filter(Boolean).join(" ");

/** The section's normalised text, and for each of its units the text node and offset. */
export function textMap(body) {
  const units = [];
  const at = [];
  let pending = null;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest(".passage-ref") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      if (SPACE.test(data[i])) {
        if (units.length && !pending) pending = { node, i };
        continue;
      }
      if (pending) {
        units.push(" ");
        at.push(pending);
        pending = null;
      }
      units.push(data[i]);
      at.push({ node, i });
    }
  }
  return { text: units.join(""), at };
}

