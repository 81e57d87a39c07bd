// Needs diagnostics: small enhancements, no inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("fieldset.need-row").forEach((row) => {
    const toggle = row.querySelector("[data-need-toggle]");
    const words = row.querySelector("[data-need-words]");
    if (!toggle || !words) return;
    // Writing about a theme ticks "this is a need", so the words are not lost.
    words.addEventListener("input", () => {
      if (words.value.trim() !== "") toggle.checked = true;
    });
    // In the questionnaire, priority and words appear once the theme is ticked: a short
    // page on a phone. Without JavaScript everything stays visible.
    if (row.hasAttribute("data-reveal-when-ticked")) {
      const details = row.querySelectorAll("[data-need-detail]");
      const sync = () => {
        const show = toggle.checked || words.value.trim() !== "";
        details.forEach((detail) => {
          detail.hidden = !show;
        });
      };
      toggle.addEventListener("change", sync);
      sync();
    }
  });

  // Copy the questionnaire link, and say so to screen readers.
  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    const input = document.getElementById(button.dataset.copyTarget);
    const status = document.querySelector("[data-copy-status]");
    if (!input) return;
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
});
