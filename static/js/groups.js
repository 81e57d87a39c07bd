// Group sessions: confirmation before giving up a seat or cancelling, search in the
// "register someone" list, and end time / capacity hints on the scheduling form.
// No inline script (CSP): this file is loaded by the group session pages.
(() => {
  "use strict";

  function setUpConfirmations() {
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) {
          event.preventDefault();
        }
      });
    });
  }

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUpSelectFilters() {
    document.querySelectorAll("input[data-filter-select]").forEach((input) => {
      const select = document.getElementById(input.dataset.filterSelect);
      if (!select) {
        return;
      }
      input.addEventListener("input", () => {
        const query = normalise(input.value);
        let first = null;
        Array.from(select.options).forEach((option) => {
          if (!option.value) {
            return;
          }
          const match = !query || normalise(option.textContent).includes(query);
          option.hidden = !match;
          option.disabled = !match;
          if (match && first === null) {
            first = option;
          }
        });
        // Typing narrows the list: preselect the first match unless the choice still shows.
        const current = select.selectedOptions[0];
        if (query && first !== null && (!current || !current.value || current.hidden)) {
          select.value = first.value;
        }
      });
    });
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function setUpScheduleHints() {
    const form = document.querySelector("form[data-group-session-form]");
    const data = document.getElementById("offer-hints");
    if (!form || !data) {
      return;
    }
    const hints = JSON.parse(data.textContent);
    const offer = form.querySelector("[name=offer]");
    const start = form.querySelector("[name=start_time]");
    const end = form.querySelector("[name=end_time]");
    const capacity = form.querySelector("[name=capacity]");
    const current = () => (offer ? hints[offer.value] : undefined);
    const showCapacity = () => {
      const hint = current();
      if (capacity) {
        capacity.placeholder = hint ? String(hint.capacity) : "";
      }
    };
    // Suggest an end time from the offer's duration, unless the person typed one.
    let endTouched = Boolean(end && end.value);
    if (end) {
      end.addEventListener("input", () => {
        endTouched = true;
      });
    }
    const suggestEnd = () => {
      const hint = current();
      if (!hint || !start || !end || !start.value || endTouched) {
        return;
      }
      const [hours, minutes] = start.value.split(":").map(Number);
      const total = hours * 60 + minutes + hint.duration;
      if (total < 24 * 60) {
        end.value = `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
      }
    };
    if (offer) {
      offer.addEventListener("change", () => {
        showCapacity();
        suggestEnd();
      });
    }
    if (start) {
      start.addEventListener("change", suggestEnd);
    }
    showCapacity();
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpConfirmations();
    setUpSelectFilters();
    setUpScheduleHints();
  });
})();
