// Outreach list: row selection for bulk actions, the bulk form's fields, htmx errors.
// No inline script (CSP): this file is loaded by the outreach pages.
(() => {
  "use strict";

  function setUpSelection() {
    const all = document.querySelector("[data-select-all]");
    const rows = Array.from(document.querySelectorAll("[data-row-select]"));
    const count = document.querySelector("[data-selected-count]");
    if (!rows.length) {
      return;
    }
    const refresh = () => {
      const checked = rows.filter((box) => box.checked).length;
      if (all) {
        all.checked = checked === rows.length;
        all.indeterminate = checked > 0 && checked < rows.length;
      }
      if (count) {
        const template = count.dataset.template || "({n})";
        count.textContent = checked ? template.replace("{n}", checked) : "";
      }
    };
    if (all) {
      all.addEventListener("change", () => {
        rows.forEach((box) => {
          box.checked = all.checked;
        });
        refresh();
      });
    }
    rows.forEach((box) => box.addEventListener("change", refresh));
    refresh();
  }

  function setUpBulkFields() {
    const action = document.querySelector("[data-bulk-action]");
    if (!action) {
      return;
    }
    const show = () => {
      document.querySelectorAll("[data-bulk-for]").forEach((block) => {
        block.hidden = block.dataset.bulkFor !== action.value;
      });
    };
    action.addEventListener("change", show);
    show();
  }

  // htmx does not swap 4xx/5xx answers: say what happened in the status line.
  function setUpErrors() {
    document.body.addEventListener("htmx:responseError", (event) => {
      const status = document.getElementById("outreach-status");
      if (!status) {
        return;
      }
      const xhr = event.detail.xhr;
      const text = xhr && xhr.status < 500 && xhr.responseText.length < 300 ? xhr.responseText : "";
      status.classList.add("text-danger");
      status.textContent = text || status.dataset.errorMessage || "Error";
    });
    document.body.addEventListener("htmx:afterSwap", () => {
      const status = document.getElementById("outreach-status");
      if (status) {
        status.classList.remove("text-danger");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpSelection();
    setUpBulkFields();
    setUpErrors();
  });
})();
