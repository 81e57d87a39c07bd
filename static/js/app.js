// Accompagnement: small progressive enhancements, no inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit filter forms marked data-autosubmit when a select changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});
