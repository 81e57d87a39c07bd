// Co-development facilitator mode: the countdown of the running step.
// No inline script (CSP): the page gives the step's start and the server's clock in epoch
// milliseconds, and the planned length in seconds, as data- attributes. Without this script
// the page still shows the start time and the planned length.
(() => {
  "use strict";

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function format(seconds) {
    const total = Math.floor(Math.abs(seconds));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const rest = total % 60;
    return hours ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
  }

  function setUpTimer(timer) {
    const startedMs = Number(timer.dataset.startedMs);
    const plannedSeconds = Number(timer.dataset.plannedSeconds);
    // A phone's clock may be off: count from the server's clock as the page saw it.
    const skewMs = Number(timer.dataset.serverMs) - Date.now();
    const clock = timer.querySelector("[data-timer-clock]");
    const label = timer.querySelector("[data-timer-label]");
    const value = timer.querySelector("[data-timer-value]");
    const live = timer.querySelector("[data-timer-live]");
    if (!clock || !label || !value || Number.isNaN(startedMs) || Number.isNaN(plannedSeconds)) {
      return;
    }
    clock.hidden = false;
    // Announced once, when the time runs out while the page is open; a page loaded after
    // that already says "exceeded" in its text.
    let over = null;

    function tick() {
      const elapsed = (Date.now() + skewMs - startedMs) / 1000;
      const remaining = plannedSeconds - elapsed;
      const nowOver = remaining < 0;
      value.textContent = nowOver ? `+${format(remaining)}` : format(remaining);
      if (nowOver !== over) {
        label.textContent = nowOver ? timer.dataset.labelOver : timer.dataset.labelRemaining;
        timer.classList.toggle("is-over", nowOver);
        if (nowOver && over === false && live) {
          live.textContent = timer.dataset.announceOver;
        }
        over = nowOver;
      }
    }

    tick();
    window.setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-codev-timer]").forEach(setUpTimer);
  });
})();
