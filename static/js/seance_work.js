// Séances: on the "record a séance" form, show only the fields of the kind chosen; on a
// séance's page, confirm before ending a tutoring pair. No inline script (CSP).
(() => {
  "use strict";

  function setUpKindSections() {
    const form = document.querySelector("form[data-seance-form]");
    if (!form) {
      return;
    }
    const radios = form.querySelectorAll("input[name='kind']");
    const sections = form.querySelectorAll("[data-kind]");
    const update = () => {
      const checked = form.querySelector("input[name='kind']:checked");
      const kind = checked ? checked.value : "";
      sections.forEach((section) => {
        const kinds = section.dataset.kind.split(" ");
        section.hidden = kind !== "" && !kinds.includes(kind);
      });
    };
    radios.forEach((radio) => radio.addEventListener("change", update));
    update();
  }

  function setUpConfirmations() {
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) {
          event.preventDefault();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpKindSections();
    setUpConfirmations();
  });
})();
