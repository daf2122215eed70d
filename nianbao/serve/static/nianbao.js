// nianbao web UI: cell ↔ source highlighting, finding ↔ cell highlighting, upload progress.
(function () {
  "use strict";

  function cellsOf(paths) {
    return paths.split(" ").filter(Boolean).map(function (p) {
      return document.getElementById("c-" + p.split(".").join("-"));
    }).filter(Boolean);
  }

  // The source panel (issue 15 §5): the rows, grid cells and characters a cell was read from carry
  // its path in data-cells; a cell with none is found by its line; what cannot be shown is said.
  var sourceNotes = null;
  function noteOf(path) {
    if (sourceNotes === null) {
      var el = document.getElementById("source-notes");
      try { sourceNotes = el ? JSON.parse(el.textContent) : {}; } catch (e) { sourceNotes = {}; }
    }
    return sourceNotes[path] || "";
  }

  function showOrigin(td) {
    document.querySelectorAll("td.v.sel").forEach(function (e) { e.classList.remove("sel"); });
    td.classList.add("sel");
    var src = document.getElementById("source");
    if (src) {
      src.querySelectorAll(".lines .hit").forEach(function (e) { e.classList.remove("hit"); });
      var target = null, rows = [];
      var path = td.dataset.path || "";
      if (path) {
        src.querySelectorAll('.lines [data-cells~="' + path + '"]').forEach(function (e) {
          e.classList.add("hit");
          var li = e.closest("li");
          if (li) { li.classList.add("hit"); if (rows.indexOf(li) < 0) rows.push(li); }
        });
      }
      if (!rows.length && td.dataset.line) {
        src.querySelectorAll('.lines li[data-line="' + td.dataset.line + '"]').forEach(function (li) {
          li.classList.add("hit");
          rows.push(li);
        });
      }
      target = rows[0] || null;
      if (!target && td.dataset.page) {
        target = src.querySelector('.lines li.pagebreak[data-page="' + td.dataset.page + '"]');
        if (target) target.classList.add("hit");
      }
      if (td.dataset.page) showPage(td.dataset.page, td.dataset.raw || "");
      if (target) {
        var list = src.querySelector(".lines");
        list.scrollTop = target.offsetTop - list.offsetTop - list.clientHeight / 3;
      }
      var where = document.getElementById("source-where");
      if (where) {
        var label = (td.title || "").split("\n")[0];
        var at = rows.length ? "出处：" + rows.map(function (li) { return li.dataset.where; }).filter(Boolean).slice(0, 3).join("、") +
          (rows.length > 3 ? " 等 " + rows.length + " 处" : "") : "";
        var note = noteOf(path);
        where.textContent = label + "　" + ([at, note].filter(Boolean).join("。") || "此格没有出处记录");
      }
      var info = document.getElementById("origin-info");
      if (info) info.textContent = td.title;
    }
    // the 更正 form: the cell goes into the first row with no cell chosen yet (or the first row)
    var sels = Array.prototype.slice.call(document.querySelectorAll("select.override-path"));
    if (sels.length && td.dataset.path) {
      var taken = sels.filter(function (s) { return s.value === td.dataset.path; })[0];
      var sel = taken || sels.filter(function (s) { return !s.value; })[0] || sels[0];
      sel.value = td.dataset.path;
      var val = sel.closest(".override-row").querySelector("input.override-value");
      if (val) val.placeholder = "当前值：" + (td.firstChild && td.textContent.trim() || "空");
    }
  }

  document.addEventListener("click", function (ev) {
    var td = ev.target.closest && ev.target.closest("td.v");
    if (td) { showOrigin(td); return; }
    var ref = ev.target.closest && ev.target.closest("a.cellref");
    if (ref) {
      var cell = cellsOf(ref.dataset.path)[0];
      if (cell) { ev.preventDefault(); cell.scrollIntoView({block: "center"}); showOrigin(cell); flash([cell]); }
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches && ev.target.matches("td.v")) showOrigin(ev.target);
  });

  // The PDF page view: a page at a zoom (the image is fetched at a resolution that fits the zoom).
  var ZOOMS = [1, 1.5, 2, 3, 4];
  var zoomAt = 0;
  function showPage(page, raw) {
    var src = document.getElementById("source");
    var img = document.getElementById("page-img");
    if (!src || !img) return;
    src.querySelectorAll(".pagelink.hit").forEach(function (e) { e.classList.remove("hit"); });
    var pl = src.querySelector('.pagelink[data-page="' + page + '"]');
    if (pl) pl.classList.add("hit");
    img.dataset.page = page;
    setImage(img);
    document.getElementById("pageview-n").textContent = page;
    document.getElementById("pageview").hidden = false;
    drawBoxes(img, page, raw || "");
  }
  function setImage(img) {
    var z = ZOOMS[zoomAt];
    var res = z <= 1 ? 1 : z <= 2 ? 2 : 3;
    var url = img.dataset.base + img.dataset.page + ".png" + (res > 1 ? "?zoom=" + res : "");
    if (img.getAttribute("src") !== url) img.setAttribute("src", url);
    img.parentNode.style.width = (z * 100) + "%";
    var level = document.getElementById("zoom-level");
    if (level) level.textContent = Math.round(z * 100) + "%";
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("#pageview button[data-zoom]");
    if (b) {
      var step = parseInt(b.dataset.zoom, 10);
      zoomAt = step === 0 ? 0 : Math.max(0, Math.min(ZOOMS.length - 1, zoomAt + step));
      var img = document.getElementById("page-img");
      if (img && img.dataset.page) { setImage(img); centerBox(); }
      return;
    }
    var link = ev.target.closest && ev.target.closest("#source a.pagelink");
    if (link && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey) {
      ev.preventDefault();
      showPage(link.dataset.page, "");
    }
  });

  // The page view scrolled so that the first box is in its middle (after a zoom too).
  function centerBox() {
    var first = document.querySelector("#pageview .wordbox");
    var view = document.getElementById("pageview");
    if (!first || !view) return;
    view.scrollTop = first.offsetTop - view.clientHeight / 2;
    view.scrollLeft = first.offsetLeft - view.clientWidth / 2;
  }

  // Boxes over the PDF page image where the cell's raw text is printed (when it is unambiguous).
  function drawBoxes(img, page, raw) {
    var holder = img.parentNode;
    holder.querySelectorAll(".wordbox").forEach(function (b) { b.remove(); });
    if (!raw) return;
    fetch(img.dataset.base + page + "/boxes?raw=" + encodeURIComponent(raw))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        (data.boxes || []).forEach(function (b) {
          var d = document.createElement("div");
          d.className = "wordbox";
          d.style.left = (b.x * 100 - 0.5) + "%";
          d.style.top = (b.y * 100 - 0.3) + "%";
          d.style.width = (b.w * 100 + 1) + "%";
          d.style.height = (b.h * 100 + 0.6) + "%";
          holder.appendChild(d);
        });
        centerBox();
      });
  }

  function flash(cells) {
    cells.forEach(function (c) { c.classList.add("flash"); setTimeout(function () { c.classList.remove("flash"); }, 1200); });
  }

  document.addEventListener("mouseover", function (ev) {
    var li = ev.target.closest && ev.target.closest("li.finding");
    if (!li || li.dataset.on) return;
    li.dataset.on = "1";
    var cells = cellsOf(li.dataset.cells || "");
    cells.forEach(function (c) { c.classList.add("hl"); });
    li.addEventListener("mouseleave", function off() {
      cells.forEach(function (c) { c.classList.remove("hl"); });
      delete li.dataset.on;
      li.removeEventListener("mouseleave", off);
    });
  });

  // Upload progress (htmx reports XHR progress on the form).
  document.addEventListener("htmx:xhr:progress", function (ev) {
    var bar = document.getElementById("upload-progress");
    if (bar && ev.detail.lengthComputable) {
      bar.value = Math.round(ev.detail.loaded / ev.detail.total * 100);
      var label = document.getElementById("upload-progress-label");
      if (label) label.textContent = bar.value < 100 ? "上传中 " + bar.value + "%" : "上传完成，正在读取和核查…";
    }
  });

  // A failed htmx request (session expired, too large, server error) says so where its answer would go.
  function showFailure(target, text) {
    if (!target) return;
    var box = document.createElement("p");
    box.className = "alert error";
    box.textContent = text;
    target.replaceChildren(box);
  }
  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail.xhr;
    var type = xhr.getResponseHeader("content-type") || "";
    var text = "请求失败（" + xhr.status + "），请刷新页面后重试";
    if (type.indexOf("text/plain") === 0 && xhr.responseText) {
      text = xhr.responseText;
    } else if (type.indexOf("text/html") === 0) {
      var alert = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector(".alert");
      if (alert) text = alert.textContent;
    }
    showFailure(ev.detail.target, text);
  });
  document.addEventListener("htmx:sendError", function (ev) {
    showFailure(ev.detail.target, "无法连接服务器，请检查网络或服务是否仍在运行");
  });

  // Files dropped on the upload area go into its file input.
  document.addEventListener("dragover", function (ev) {
    var drop = ev.target.closest && ev.target.closest(".drop");
    if (drop) { ev.preventDefault(); drop.classList.add("over"); }
  });
  document.addEventListener("dragleave", function (ev) {
    var drop = ev.target.closest && ev.target.closest(".drop");
    if (drop) drop.classList.remove("over");
  });
  document.addEventListener("drop", function (ev) {
    var drop = ev.target.closest && ev.target.closest(".drop");
    if (!drop) return;
    ev.preventDefault();
    drop.classList.remove("over");
    var input = drop.querySelector("input[type=file]");
    if (input && ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; showChosen(input); }
  });

  function showChosen(input) {
    var out = document.getElementById("file-count");
    if (!out) return;
    var n = input.files.length;
    out.textContent = n === 0 ? "未选择文件" : n === 1 ? "已选择：" + input.files[0].name : "已选择 " + n + " 个文件";
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.id === "files") showChosen(ev.target);
  });

  // The region cascade: changing a level clears the levels below it.
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!t.form || t.form.id !== "filters" || t.tagName !== "SELECT") return;
    (t.dataset.clears || "").split(" ").filter(Boolean).forEach(function (name) {
      var e = t.form.elements[name];
      if (e) e.value = "";
    });
    t.form.requestSubmit();
  });

  // Charts: each <div class="chart" data-option="…"> gets an ECharts instance (SVG renderer).
  function drawCharts() {
    if (!window.echarts) return;
    document.querySelectorAll("div.chart[data-option]").forEach(function (el) {
      if (el.dataset.drawn) return;
      el.dataset.drawn = "1";
      var chart = window.echarts.init(el, null, {renderer: "svg", locale: "ZH"});
      chart.setOption(JSON.parse(el.dataset.option));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", drawCharts);
  document.addEventListener("htmx:afterSettle", drawCharts);
})();
