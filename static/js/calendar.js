// Private calendar feed: copy the link, and say so to screen readers. No inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-calendar-copy]").forEach((button) => {
    const input = document.getElementById(button.dataset.calendarCopy);
    const status = document.querySelector("[data-calendar-copy-status]");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        document.execCommand("copy");
      }
      if (status) status.textContent = button.dataset.copiedMessage || "";
    });
  });

  // Revoking breaks every subscribed calendar: ask first.
  document.querySelectorAll("form[data-calendar-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.calendarConfirm)) event.preventDefault();
    });
  });
});
