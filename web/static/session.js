// Warns before a session ends for want of use and offers to stay signed in
// (WCAG 2.2.1). The server ends an idle session by itself; this only tells the
// reader in time. Activity is shared between tabs through localStorage.
(() => {
  const dialog = document.getElementById("idle-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  // The server notes activity at most once a minute: count from a minute earlier.
  const margin = 60 * 1000;
  const KEY = "samrad.activity";
  const extend = document.getElementById("idle-extend");
  const text = document.getElementById("idle-text");
  const endedText = document.getElementById("idle-ended");
  const error = document.getElementById("idle-error");
  const signIn = document.getElementById("idle-sign-in");
  let last = Date.now();
  let timer = null;
  let ended = false;
  let before = null;

  function shared() {
    try {
      return Number(localStorage.getItem(KEY)) || 0;
    } catch {
      return 0;
    }
  }
  function share(at) {
    try {
      localStorage.setItem(KEY, String(at));
    } catch {
      /* private mode: this tab only */
    }
  }
  share(last);

  function open() {
    if (!dialog.open) {
      before = document.activeElement;
      dialog.showModal();
    }
  }

  function close() {
    if (dialog.open) dialog.close();
    if (before && typeof before.focus === "function") before.focus();
    before = null;
  }

  function end() {
    ended = true;
    text.hidden = true;
    extend.hidden = true;
    error.hidden = true;
    endedText.hidden = false;
    signIn.hidden = false;
    open();
    signIn.focus();
  }

  function schedule() {
    clearTimeout(timer);
    if (ended) return;
    last = Math.max(last, shared());
    const endAt = last + idle - margin;
    const warnAt = endAt - warning;
    const now = Date.now();
    if (now >= endAt) {
      end();
      return;
    }
    if (now >= warnAt) {
      open();
      extend.focus();
      timer = setTimeout(schedule, endAt - now);
      return;
    }
    close();
    timer = setTimeout(schedule, warnAt - now);
  }

  async function stay() {
    error.hidden = true;
    try {
      const response = await fetch("/session/extend", {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 401) {
        end();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      last = Date.now();
      share(last);
      schedule();
    } catch {
      error.hidden = false;
    }
  }

  extend.addEventListener("click", stay);
  // Escape is an answer too: whoever presses it is here.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!ended) stay();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) schedule();
  });
  schedule();
})();
