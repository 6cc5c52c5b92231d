// Compares any two versions of a page on its history page, in the browser:
// both old versions are fetched as the static host serves them, their text
// taken block by block, and the lines that differ shown as on a diff page.
// Without JavaScript the history page offers the diff of each version
// against the one before it.
(() => {
  const form = document.getElementById("vergelijk");
  if (!form) return;
  const result = document.getElementById("vergelijking");
  const t = form.dataset;
  // The choice of "from" and "to" for each version with a page of its own
  // is made here: without JavaScript it would be of no use, and written
  // into the page it was half of a long history's bytes.
  const choice = (item, name, label, checked) => {
    const control = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = name;
    radio.value = item.dataset.version;
    radio.dataset.label = item.dataset.label;
    radio.checked = checked;
    const said = document.createElement("span");
    said.className = "visually-hidden";
    said.textContent = " " + item.dataset.label;
    control.append(radio, " " + label, said);
    return control;
  };
  for (const item of form.querySelectorAll("li[data-version]")) {
    const controls = document.createElement("p");
    controls.className = "compare-control";
    controls.append(
      choice(item, "van", t.from, "from" in item.dataset), " ",
      choice(item, "tot", t.to, "to" in item.dataset));
    item.append(controls);
  }
  for (const hidden of form.querySelectorAll(".compare-control[hidden]")) hidden.hidden = false;

  // The text of an old version: its title and each block of its text.
  const linesOf = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const article = doc.querySelector("main article") || doc.querySelector("main");
    for (const skip of article.querySelectorAll("nav.toc, .updated, aside")) skip.remove();
    const blocks = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,th,td,pre,blockquote,figcaption";
    const lines = [];
    for (const block of article.querySelectorAll(blocks)) {
      if (block.querySelector(blocks)) continue;
      const text = block.textContent.replace(/\s+/g, " ").trim();
      if (text) lines.push(text);
    }
    return lines;
  };

  // Lines kept, removed and added: the common start and end first, then a
  // longest common subsequence of what lies between (small in practice).
  const diff = (a, b) => {
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let end = 0;
    while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
    const x = a.slice(start, a.length - end), y = b.slice(start, b.length - end);
    const ops = a.slice(0, start).map((text) => ["same", text]);
    if (x.length * y.length > 4000000) {
      x.forEach((text) => ops.push(["del", text]));
      y.forEach((text) => ops.push(["ins", text]));
    } else {
      const width = y.length + 1;
      const table = new Uint32Array((x.length + 1) * width);
      for (let i = x.length - 1; i >= 0; i--) {
        for (let j = y.length - 1; j >= 0; j--) {
          table[i * width + j] = x[i] === y[j] ? table[(i + 1) * width + j + 1] + 1
            : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
        }
      }
      let i = 0, j = 0;
      while (i < x.length || j < y.length) {
        if (i < x.length && j < y.length && x[i] === y[j]) { ops.push(["same", x[i]]); i++; j++; }
        else if (j < y.length && (i === x.length || table[i * width + j + 1] >= table[(i + 1) * width + j])) { ops.push(["ins", y[j]]); j++; }
        else { ops.push(["del", x[i]]); i++; }
      }
    }
    a.slice(a.length - end).forEach((text) => ops.push(["same", text]));
    return ops;
  };

  const cell = (text, className) => {
    const td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    return td;
  };

  const show = (ops, title) => {
    result.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = title;
    result.append(heading);
    const changed = ops.filter(([kind]) => kind !== "same").length;
    if (!changed) {
      const p = document.createElement("p");
      p.textContent = t.same;
      result.append(p);
      return;
    }
    const table = document.createElement("table");
    table.className = "diff";
    const body = document.createElement("tbody");
    // Two unchanged lines around each change; the rest as one "…".
    const near = ops.map((_, k) => ops.slice(Math.max(0, k - 2), k + 3).some(([kind]) => kind !== "same"));
    let skipped = false;
    ops.forEach(([kind, text], k) => {
      if (kind === "same" && !near[k]) {
        if (!skipped) {
          const row = document.createElement("tr");
          row.className = "skipped";
          row.append(cell("…", "text"));
          body.append(row);
        }
        skipped = true;
        return;
      }
      skipped = false;
      const row = document.createElement("tr");
      row.className = kind;
      const td = document.createElement("td");
      td.className = "text";
      const sign = document.createElement("span");
      sign.className = "sign";
      sign.setAttribute("aria-hidden", "true");
      sign.textContent = kind === "ins" ? "+" : kind === "del" ? "−" : " ";
      td.append(sign);
      if (kind !== "same") {
        const said = document.createElement("span");
        said.className = "visually-hidden";
        said.textContent = (kind === "ins" ? t.added : t.removed) + ": ";
        td.append(said);
      }
      const wrapped = document.createElement(kind === "ins" ? "ins" : kind === "del" ? "del" : "span");
      wrapped.textContent = text;
      td.append(wrapped);
      row.append(td);
      body.append(row);
    });
    table.append(body);
    result.append(table);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const from = form.querySelector('input[name="van"]:checked');
    const to = form.querySelector('input[name="tot"]:checked');
    if (!from || !to) return;
    result.hidden = false;
    result.textContent = t.loading;
    try {
      const [a, b] = await Promise.all([linesOf(from.value), linesOf(to.value)]);
      const title = t.title.replace("{from}", from.dataset.label).replace("{to}", to.dataset.label);
      show(diff(a, b), title);
    } catch {
      result.textContent = t.failed;
    }
    result.focus();
  });
})();
