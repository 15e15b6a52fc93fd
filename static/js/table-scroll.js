// Wide tables scroll inside their own box, not the page: each GOV.UK table goes in a focusable region
// (so keyboard users can scroll it with the arrow keys) named after its caption, with a hint shown
// only while the table is wider than the box. Without JavaScript, app.css makes the table itself scroll.
const tables = document.querySelectorAll("table.govuk-table");
tables.forEach((table, index) => {
  if (table.closest(".s75-table-scroll")) return;
  const caption = table.querySelector("caption");
  const name = caption ? caption.textContent.trim() : "";
  const region = document.createElement("div");
  region.className = "s75-table-scroll";
  region.setAttribute("role", "region");
  region.setAttribute("aria-label", name ? `${name} (table)` : "Table");
  region.tabIndex = 0;
  const hint = document.createElement("p");
  hint.className = "govuk-body-s s75-table-scroll__hint";
  hint.id = `s75-table-hint-${index + 1}`;
  hint.textContent = "Scroll the table sideways to see every column.";
  hint.hidden = true;
  region.setAttribute("aria-describedby", hint.id);
  table.before(hint);
  table.before(region);
  region.append(table);
  const update = () => { hint.hidden = region.scrollWidth <= region.clientWidth + 1; };
  update();
  window.addEventListener("resize", update);
});
