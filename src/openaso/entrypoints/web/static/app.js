// Long operations: a form that settles claims shows what it is doing and cannot be sent twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (!form.dataset.busy) return;
  form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  const note = document.createElement("div");
  note.className = "busy";
  note.setAttribute("role", "status");
  note.textContent = form.dataset.busy;
  document.body.appendChild(note);
});
