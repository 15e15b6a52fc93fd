// Warn before leaving a form with unsaved changes (issue 14, item 9), as a progressive enhancement:
// without JavaScript the form works as before. A form opts in with data-unsaved-warning; once one of
// its fields changes, leaving the page (a link, the back button, closing the tab) asks the browser's
// "Leave site?" question, until the form is submitted. data-unsaved-warning="changed" marks a form
// the server showed again after a post (an error, or an item added or removed): what it holds is
// not saved yet, so the warning stands from the start.
const forms = document.querySelectorAll("form[data-unsaved-warning]");
forms.forEach((form) => {
  let changed = form.dataset.unsavedWarning === "changed";
  let submitted = false;
  const mark = () => {
    changed = true;
  };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("submit", () => {
    submitted = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!changed || submitted) return;
    event.preventDefault();
    event.returnValue = ""; // browsers show their own wording, not ours
  });
});
