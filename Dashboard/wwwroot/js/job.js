// Follows a run request: polls /data/jobs/{id} (Dashboard/Apis/DashboardDataApi.cs: the Trainer's request status and,
// when this Dashboard started the Trainer, its log) twice a second until the request has ended. Text goes in with
// textContent only.
(function () {
  "use strict";
  const job = document.getElementById("job");
  if (!job) return;
  const byId = (id) => document.getElementById(id);
  const ended = (state) => state === "succeeded" || state === "failed";

  function render(s) {
    const state = s.state.toLowerCase();
    job.dataset.state = state;
    byId("job-state").textContent = state;
    byId("job-state").className = "status " + state;
    byId("job-stage").textContent = s.stage;
    byId("job-progress").value = s.percent;
    byId("job-percent").textContent = s.percent + " %";
    const message = byId("job-message");
    message.textContent = s.message || "";
    message.hidden = !s.message;
    if (s.localProcess) {
      const log = byId("job-log");
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.textContent = (s.droppedLines > 0 ? "… " + s.droppedLines + " earlier lines\n" : "") + s.lines.join("\n");
      if (atBottom) log.scrollTop = log.scrollHeight;
    }
    if (s.runId) {
      const link = byId("job-run-link");
      link.textContent = s.runId;
      link.href = "/runs/" + encodeURIComponent(s.runId);
      byId("job-run").hidden = false;
    }
    return !ended(state);
  }

  function poll() {
    fetch(job.dataset.url, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
      .then((s) => { if (render(s)) setTimeout(poll, 500); })
      .catch(() => setTimeout(poll, 2000));
  }

  if (!ended(job.dataset.state)) poll();
})();
