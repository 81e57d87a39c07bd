// Agenda pages: confirmations before removals, the print button, and the availability form
// (channels narrowed to the chosen offer's, hotline rows named "time windows").
// No inline script (CSP): everything hangs on data- attributes.
document.addEventListener("DOMContentLoaded", () => {
  // <form data-confirm="Question?">: ask before submitting.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  // <button data-print>: print the page (the confirmation sheet).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  const form = document.querySelector("form[data-availability-form]");
  if (!form) {
    return;
  }
  const offer = form.querySelector("select[name='offer']");
  const channel = form.querySelector("select[name='channel']");
  const heading = document.querySelector("h1[data-hotline-label]");
  const hint = document.querySelector("[data-hotline-hint]");
  if (!offer || !channel) {
    return;
  }

  const sync = () => {
    const option = offer.selectedOptions[0];
    if (!option) {
      return;
    }
    const allowed = (option.dataset.channels || "").split(" ").filter(Boolean);
    Array.from(channel.options).forEach((choice) => {
      const open = allowed.length === 0 || allowed.includes(choice.value);
      choice.disabled = !open;
      choice.hidden = !open;
    });
    if (channel.selectedOptions[0] && channel.selectedOptions[0].disabled) {
      const first = Array.from(channel.options).find((choice) => !choice.disabled);
      if (first) {
        channel.value = first.value;
      }
    }
    const hotline = option.dataset.hotline === "true";
    if (heading) {
      heading.textContent = hotline ? heading.dataset.hotlineLabel : heading.dataset.defaultLabel;
    }
    if (hint) {
      hint.hidden = !hotline;
    }
  };
  offer.addEventListener("change", sync);
  sync();
});
