// The budget lines table (agreements/budget_lines.html): Add row and Remove act in place, without a
// round trip. Without JavaScript the same buttons submit the form and the server redraws the table;
// either way the rows are posted as budget_lines-count and budget_lines-<i>-<field>, numbered from 0.
const form = document.querySelector("form[data-budget-table]");
const template = document.getElementById("budget-row-template");

if (form && template) {
  const body = form.querySelector("[data-budget-rows]");
  const count = form.querySelector("[data-row-count]");
  const empty = form.querySelector("[data-budget-empty]");
  const status = form.querySelector("[data-budget-status]");
  const addButton = form.querySelector("button[value='add:budget_lines']");
  const NUMBERED = /budget_lines-(\d+|__index__)-/g;

  // Give every row the names, ids and labels of its place, as the server would draw them.
  const renumber = () => {
    [...body.rows].forEach((row, index) => {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach((element) => {
        for (const attribute of ["name", "id", "for", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(NUMBERED, `budget_lines-${index}-`));
        }
      });
      row.querySelectorAll("button[value^='remove:budget_lines:']").forEach((button) => {
        button.value = `remove:budget_lines:${index}`;
      });
      row.querySelectorAll("[data-row-number]").forEach((number) => { number.textContent = `${index + 1}`; });
    });
    count.value = `${body.rows.length}`;
    empty.hidden = body.rows.length > 0;
  };

  const announce = (message) => { status.textContent = message; };

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[name='action']");
    if (!button) return;
    if (button.value === "add:budget_lines") {
      event.preventDefault();
      body.append(template.content.firstElementChild.cloneNode(true));
      renumber();
      const added = body.rows[body.rows.length - 1];
      added.querySelector("input:not([type='hidden']), select, textarea").focus();
      announce(`Row ${body.rows.length} added.`);
    } else if (button.value.startsWith("remove:budget_lines:")) {
      event.preventDefault();
      const row = button.closest("tr");
      const index = row.sectionRowIndex;
      row.remove();
      renumber();
      // Focus the Remove button now in the same place, or the one before it, or Add row.
      const next = body.rows[index] || body.rows[index - 1];
      (next ? next.querySelector("button[value^='remove:']") : addButton).focus();
      announce(`Row ${index + 1} removed. ${body.rows.length} row${body.rows.length === 1 ? "" : "s"} left.`);
    }
  });
}
