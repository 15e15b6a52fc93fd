// Mark the page as able to run GOV.UK Frontend's JavaScript, then start its components.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// After an add, move or remove button, put the keyboard focus back where the user was.
const form = document.querySelector("form[data-focus]");
if (form) {
  const target = document.getElementById(form.dataset.focus);
  if (target) target.focus();
}
