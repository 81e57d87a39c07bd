// Programme pages: confirmations before status changes, and the offer form's mode and capacity.
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

  // Offer form: a group kind suggests the group mode; an individual offer seats one person.
  const offerForm = document.querySelector("form[data-offer-form]");
  if (!offerForm) {
    return;
  }
  const groupKinds = (offerForm.dataset.groupKinds || "").split(" ");
  const kind = offerForm.querySelector("select[name='kind']");
  const modes = offerForm.querySelectorAll("input[name='mode']");
  const capacity = offerForm.querySelector("input[name='capacity']");

  const currentMode = () => {
    const checked = offerForm.querySelector("input[name='mode']:checked");
    return checked ? checked.value : "";
  };

  // On page load the value is the person's own (maybe refused) entry: keep it visible.
  const syncCapacity = (clearSingleSeat = true) => {
    if (!capacity) {
      return;
    }
    if (currentMode() === "individual") {
      capacity.value = "1";
      capacity.readOnly = true;
      capacity.min = "1";
    } else {
      capacity.readOnly = false;
      capacity.min = "2";
      if (clearSingleSeat && capacity.value === "1") {
        capacity.value = "";
      }
    }
  };

  modes.forEach((radio) => radio.addEventListener("change", () => syncCapacity()));
  if (kind) {
    kind.addEventListener("change", () => {
      const wanted = groupKinds.includes(kind.value) ? "group" : "individual";
      modes.forEach((radio) => {
        radio.checked = radio.value === wanted;
      });
      syncCapacity();
    });
  }
  syncCapacity(false);
});
