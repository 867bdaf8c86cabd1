// The new-plan form: suggests the short name (slug) from the title while the person
// has not written one of their own. Without this script the server suggests the same
// when the field is left empty (domain::validate::slug_from_title).

const title = document.getElementById("plan-title");
const slug = document.getElementById("plan-slug");

const FOLD = {
  "æ": "ae", "ä": "ae", "ø": "o", "ö": "o", "ó": "o", "ò": "o", "ô": "o",
  "å": "a", "à": "a", "á": "a", "â": "a", "é": "e", "è": "e", "ê": "e", "ë": "e",
  "ü": "u", "ú": "u", "ù": "u", "í": "i", "ì": "i", "ï": "i",
};

/** The slug for a title, or "" when it has no letter to start from. */
export function slugFromTitle(text) {
  const folded = [...text.trim().toLowerCase()]
    .map((c) => FOLD[c] ?? (/[a-z0-9]/.test(c) ? c : "-"))
    .join("");
  const words = folded.split("-").filter(Boolean);
  while (words.length && !/^[a-z]/.test(words[0])) words.shift();
  let result = "";
  for (const word of words) {
    const next = result ? `${result}-${word}` : word;
    if (next.length > 64) break;
    result = next;
  }
  return result.length >= 2 ? result : "";
}

if (title && slug) {
  // Suggested until the person types in the field; a kept value (a refused form) is theirs.
  let edited = slug.value !== "" && slug.value !== slugFromTitle(title.value);
  slug.addEventListener("input", () => {
    edited = slug.value !== "";
  });
  title.addEventListener("input", () => {
    if (!edited) slug.value = slugFromTitle(title.value);
  });
}
