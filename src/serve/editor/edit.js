/* The editor's form, with JavaScript: while the editor types, the form is
 * checked by twn serve as `twn check` checks (each problem shown at its
 * field), the page and its org chart are drawn as they will be, and a
 * picker inserts [[...]] links into the text. Without this script the
 * form works by its buttons, which post it and come back. */
(function () {
  "use strict";

  var form = document.querySelector("form.edit-form");
  if (!form) return;
  var preview = document.getElementById("voorbeeld");
  var previewBody = document.getElementById("voorbeeld-inhoud");
  var chart = document.getElementById("voorbeeld-organogram");
  var summary = document.getElementById("live-fouten");
  var timer = null;
  var asked = 0;

  function encoded(extra) {
    var data = new FormData(form);
    data.set("actie", "live");
    return new URLSearchParams(data).toString();
  }

  function clearErrors() {
    form.querySelectorAll(".field-error[data-live]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[aria-invalid='true']").forEach(function (control) {
      control.removeAttribute("aria-invalid");
      var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.slice(-5) !== "-fout";
      });
      if (described.length) control.setAttribute("aria-describedby", described.join(" "));
      else control.removeAttribute("aria-describedby");
    });
    form.querySelectorAll(".field-error").forEach(function (node) { node.remove(); });
  }

  function showError(id, messages) {
    var control = document.getElementById(id);
    if (!control) return;
    var box = document.createElement("div");
    box.className = "field-error";
    box.id = id + "-fout";
    box.setAttribute("data-live", "");
    messages.forEach(function (message) {
      var p = document.createElement("p");
      p.textContent = message;
      box.appendChild(p);
    });
    if (control.tagName === "FIELDSET") {
      control.insertBefore(box, control.querySelector("legend").nextSibling);
    } else {
      control.parentNode.insertBefore(box, control);
      control.setAttribute("aria-invalid", "true");
      var described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", (described ? described + " " : "") + box.id);
    }
  }

  function showSummary(errors) {
    if (!summary) return;
    summary.textContent = "";
    if (!errors.length) {
      summary.textContent = summary.getAttribute("data-geen");
      return;
    }
    var heading = document.createElement("p");
    heading.textContent = summary.getAttribute("data-kop");
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      if (error.target) {
        var link = document.createElement("a");
        link.href = "#" + error.target;
        link.textContent = error.field;
        item.appendChild(link);
        item.appendChild(document.createTextNode(": "));
      }
      item.appendChild(document.createTextNode(error.message));
      list.appendChild(item);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
  }

  /* The server's own rendering of the page: only its main part is shown. */
  function showPreview(html, chartHtml) {
    var parser = new DOMParser();
    if (previewBody && html) {
      var page = parser.parseFromString(html, "text/html");
      var main = page.querySelector("main");
      previewBody.textContent = "";
      if (main) Array.prototype.slice.call(main.childNodes).forEach(function (node) {
        previewBody.appendChild(document.importNode(node, true));
      });
      /* A table wider than the narrow preview scrolls: by keyboard too. */
      previewBody.querySelectorAll("table").forEach(function (table) {
        table.setAttribute("tabindex", "0");
      });
    }
    if (chart) {
      chart.textContent = "";
      chart.hidden = !chartHtml;
      if (chartHtml) {
        var drawing = parser.parseFromString(chartHtml, "text/html").querySelector("figure, svg");
        if (drawing) chart.appendChild(document.importNode(drawing, true));
      }
    }
    if (preview) preview.hidden = false;
  }

  function check() {
    var mine = ++asked;
    fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: encoded(),
      credentials: "same-origin"
    }).then(function (answer) {
      return answer.ok ? answer.json() : null;
    }).then(function (result) {
      if (!result || mine !== asked) return;
      clearErrors();
      /* The list the server wrote gives way to the live one. */
      var written = document.getElementById("fouten");
      if (written) written.remove();
      Object.keys(result.fields).forEach(function (id) { showError(id, result.fields[id]); });
      showSummary(result.errors);
      showPreview(result.preview, result.chart);
    }).catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  /* The editor's name is asked once: kept in this browser for the next
   * commit when git has none set. */
  ["naam", "email"].forEach(function (name) {
    var field = form.elements[name];
    if (!field) return;
    try {
      if (!field.value) field.value = localStorage.getItem("twn-" + name) || "";
    } catch (e) {}
  });
  form.addEventListener("submit", function () {
    ["naam", "email"].forEach(function (name) {
      var field = form.elements[name];
      try {
        if (field && field.value) localStorage.setItem("twn-" + name, field.value);
      } catch (e) {}
    });
  });

  form.addEventListener("input", later);
  form.addEventListener("change", later);

  /* The link picker: the page chosen goes in at the cursor as [[Title]]. */
  var picker = document.getElementById("link-kiezer");
  if (picker) {
    picker.hidden = false;
    var choice = document.getElementById("link-pagina");
    var text = document.getElementById("veld-tekst");
    document.getElementById("link-invoegen").addEventListener("click", function () {
      if (!choice.value || !text) return;
      var link = "[[" + choice.value + "]]";
      var start = text.selectionStart, end = text.selectionEnd;
      text.value = text.value.slice(0, start) + link + text.value.slice(end);
      text.focus();
      text.selectionStart = text.selectionEnd = start + link.length;
      later();
    });
  }
  /* A file sent without leaving the form: its Markdown goes in at the
   * cursor, and what was typed stays. */
  var upload = document.querySelector("form.edit-upload");
  if (upload) {
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(upload);
      data.set("js", "1");
      var status = document.getElementById("upload-status");
      fetch(upload.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (answer) { return answer.json(); })
        .then(function (result) {
          if (result.error) {
            status.textContent = result.error;
            return;
          }
          var text = document.getElementById("veld-tekst");
          if (text) {
            var at = text.selectionStart;
            text.value = text.value.slice(0, at) + result.markdown + text.value.slice(text.selectionEnd);
            later();
          }
          status.textContent = result.markdown;
          upload.reset();
        })
        .catch(function () { status.textContent = upload.getAttribute("data-fout") || ""; });
    });
  }
  check();
})();
