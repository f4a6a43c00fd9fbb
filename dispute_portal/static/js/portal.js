// Dispute Portal's own JavaScript: progressive enhancement only. Every page works without it.
// 1. After htmx swaps in a new page, focus moves to it, as a full page load would.
// 2. The photo uploader: one request per photo (two at a time), each with its own progress
//    bar, message and Retry; large photos are shrunk in the browser first.
(function () {
  "use strict";
  var SHRINK_BYTES = 1.5 * 1024 * 1024, LONG_EDGE = 2048, QUALITY = 0.8, PARALLEL = 2;

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (!detail.boosted || document.querySelector("[autofocus]")) return;
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  });

  // htmx swaps in the body and the title, not <html lang>: after a boosted page in another
  // language (the language switcher), set it from the response, as a page load would.
  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {}, xhr = detail.xhr;
    if (!detail.boosted || !xhr) return;
    var lang = /<html[^>]*\slang="([^"]+)"/i.exec(xhr.responseText);
    if (lang) document.documentElement.lang = lang[1];
  });

  // An error summary link moves focus to its field, as GOV.UK Frontend does: following an
  // in-page link only scrolls, and keyboard users would have to find the field again.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    var group = field.closest("fieldset") || field.closest(".form-group") || field;
    group.scrollIntoView();
  });

  // Decode, orient and re-encode a big photo; send the original whenever that fails
  // (e.g. HEIC, which most browsers cannot decode): the server checks everything anyway.
  function shrink(file) {
    if (!window.createImageBitmap || !/^image\/(jpeg|png|webp|avif)$/.test(file.type)) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= SHRINK_BYTES) { bitmap.close(); return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function Uploader(form) {
    var text = form.dataset, queue = [], running = 0, stale = false;
    var input = form.querySelector("input[type=file]");
    var list = document.createElement("ul");
    list.className = "upload-queue";
    list.setAttribute("aria-live", "polite");
    form.parentNode.insertBefore(list, form);
    form.querySelector("[data-upload-button]").hidden = true;

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        var item = document.createElement("li");
        item.className = "upload";
        item.innerHTML = '<span class="upload-name"></span> <progress max="100" value="0"></progress>' +
          ' <span class="upload-status" role="status"></span>';
        item.querySelector(".upload-name").textContent = file.name;
        item.querySelector("progress").setAttribute("aria-label", file.name);
        list.appendChild(item);
        queue.push({ file: file, item: item });
        say(item, text.waiting);
      });
      input.value = "";
      next();
    }

    function say(item, message, isError) {
      var status = item.querySelector(".upload-status");
      status.textContent = message;
      status.className = "upload-status" + (isError ? " error-message" : "");
    }

    function next() {
      while (running < PARALLEL && queue.length) {
        running++;
        start(queue.shift());
      }
      // Parallel answers can arrive out of order, each with the total as it was then:
      // once the batch is done, ask for the total as it is now.
      if (!running && !queue.length && stale) {
        stale = false;
        window.htmx.ajax("GET", location.pathname + location.search,
          { target: "#photo-count", select: "#photo-count", swap: "outerHTML" });
      }
    }

    function start(job) {
      say(job.item, text.shrinking);
      (job.blob ? Promise.resolve(job.blob) : shrink(job.file)).then(function (blob) {
        job.blob = blob;
        send(job);
      });
    }

    function send(job) {
      var xhr = new XMLHttpRequest(), data = new FormData(form), bar = job.item.querySelector("progress");
      data.delete("photos");
      data.set("action", "upload");
      data.append("photos", job.blob, job.blob.name || job.file.name);
      // getAttribute: form.action would be the buttons named "action", not the URL.
      xhr.open("POST", form.getAttribute("action") || location.href);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = 100 * e.loaded / e.total; };
      xhr.onload = function () { done(job, xhr.status, xhr.responseText); };
      xhr.onerror = xhr.ontimeout = function () { done(job, 0, ""); };
      say(job.item, text.uploading);
      xhr.send(data);
    }

    function done(job, status, html) {
      running--;
      if (status >= 200 && status < 300) {
        stale = running > 0 || queue.length > 0 || stale;
        job.item.remove();
        window.htmx.swap("#photo-list", html, { swapStyle: "beforeend" });
      } else {
        failed(job, status, html);
      }
      next();
    }

    // A refused photo shows the server's own words; a lost connection offers Retry.
    function failed(job, status, html) {
      var message = text.failed, retry = status === 0 || status >= 500 || status === 413;
      if (html && status !== 413) {
        var holder = document.createElement("div");
        window.htmx.swap(holder, html, { swapStyle: "innerHTML" });
        var error = holder.querySelector(".error-message");
        if (error) message = error.textContent;
      }
      job.item.querySelector("progress").remove();
      say(job.item, message, true);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary";
      button.textContent = retry ? text.retry : text.dismiss;
      button.addEventListener("click", function () {
        button.remove();
        if (!retry) return job.item.remove();
        job.item.insertBefore(Object.assign(document.createElement("progress"), { max: 100, value: 0 }),
          job.item.querySelector(".upload-status"));
        queue.push(job);
        next();
      });
      job.item.appendChild(button);
    }

    input.addEventListener("change", function () { if (input.files.length) add(input.files); });
    form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("dragging"); });
    form.addEventListener("dragleave", function () { form.classList.remove("dragging"); });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      form.classList.remove("dragging");
      if (e.dataTransfer && e.dataTransfer.files.length) add(e.dataTransfer.files);
    });
  }

  function enhance(root) {
    var forms = (root || document).querySelectorAll("form[data-uploader]:not([data-enhanced])");
    Array.prototype.forEach.call(forms, function (form) {
      form.setAttribute("data-enhanced", "");
      Uploader(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
