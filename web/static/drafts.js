// Keeps what is typed into comment, reply and response forms (`form[data-draft]`)
// in this browser until it is sent, so nothing is lost when the session ends or
// the network drops. A draft comes back, with a notice, when its field is empty;
// it is removed after a send that succeeded, on discard, at sign-out, and after a week.
(() => {
  const PREFIX = "samrad.draft:";
  const SENT = "samrad.draft.sent";
  const WEEK = 7 * 24 * 3600 * 1000;
  const texts = document.getElementById("draft-texts");
  let store;
  try {
    store = window.localStorage;
    store.getItem(PREFIX);
  } catch {
    return;
  }

  function read(key) {
    try {
      const saved = JSON.parse(store.getItem(key));
      if (saved && typeof saved.text === "string" && Date.now() - saved.at < WEEK) return saved.text;
    } catch {
      /* not ours */
    }
    store.removeItem(key);
    return null;
  }

  // The page a successful send leads to says so in its address.
  const params = new URLSearchParams(location.search);
  const succeeded = ["posted", "pending", "screening", "saved"].some((p) => params.has(p));
  let sent = [];
  try {
    sent = JSON.parse(sessionStorage.getItem(SENT) || "[]");
    sessionStorage.removeItem(SENT);
  } catch {
    sent = [];
  }
  if (succeeded) for (const key of sent) store.removeItem(key);

  for (const form of document.querySelectorAll("form[data-draft]")) {
    const fields = [...form.querySelectorAll("textarea[name]")];
    const keys = fields.map((field) => `${PREFIX}${form.dataset.draft}:${field.name}`);
    let restored = false;
    fields.forEach((field, i) => {
      const saved = read(keys[i]);
      if (saved && !field.value.trim()) {
        field.value = saved;
        restored = true;
      }
      field.addEventListener("input", () => {
        if (field.value.trim()) store.setItem(keys[i], JSON.stringify({ text: field.value, at: Date.now() }));
        else store.removeItem(keys[i]);
      });
    });
    if (restored && texts) {
      const details = form.closest("details");
      if (details) details.open = true;
      const notice = document.createElement("p");
      notice.className = "notice draft-notice";
      notice.setAttribute("role", "status");
      notice.textContent = texts.dataset.restored;
      const discard = document.createElement("button");
      discard.type = "button";
      discard.textContent = texts.dataset.discard;
      discard.addEventListener("click", () => {
        fields.forEach((field, i) => {
          field.value = "";
          store.removeItem(keys[i]);
        });
        notice.textContent = texts.dataset.discarded;
        fields[0]?.focus();
      });
      notice.append(" ", discard);
      form.prepend(notice);
    }
    form.addEventListener("submit", () => {
      try {
        sessionStorage.setItem(SENT, JSON.stringify(keys));
      } catch {
        /* the draft then stays until discarded */
      }
    });
  }

  // Signing out on purpose leaves nothing behind for the next person at this computer.
  for (const form of document.querySelectorAll('form[action="/sign-out"]')) {
    form.addEventListener("submit", () => {
      for (let i = store.length - 1; i >= 0; i--) {
        const key = store.key(i);
        if (key && key.startsWith(PREFIX)) store.removeItem(key);
      }
    });
  }
})();
