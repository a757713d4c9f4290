// A simulation's page follows its run: poll the job, move the progress bar, reload when done.
// Without JavaScript the page refreshes itself (a meta refresh in <noscript>).
(() => {
  const box = document.querySelector("[data-poll]");
  if (!box) return;
  const bar = document.getElementById("progress");
  const text = document.getElementById("progress-text");
  const poll = async () => {
    try {
      const answer = await fetch(box.dataset.poll, { headers: { Accept: "application/json" } });
      if (!answer.ok) { window.location.reload(); return; }
      const job = await answer.json();
      bar.value = job.done;
      text.textContent = `${job.done.toLocaleString()} of ${job.years.toLocaleString()} years (${job.percent}%)`;
      if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
    } catch (error) {
      // the server is busy or gone for a moment: try again
    }
    window.setTimeout(poll, 400);
  };
  window.setTimeout(poll, 400);
})();
