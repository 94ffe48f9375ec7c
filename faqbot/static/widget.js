/* faqbot help widget. Add it to any page with one tag:
 *
 *   <script src="https://faqbot.example/widget.js" data-server="https://faqbot.example"
 *           data-title="Medication questions" data-color="#0b57d0" data-position="right" defer>
 *   </script>
 *
 * Vanilla JS, no dependencies, no build step. Everything that comes from the server or the
 * user is inserted as text (textContent), never as HTML. The session id and the last messages
 * live in sessionStorage, so the conversation survives page changes and reloads in the tab.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__faqbotWidget) {
    return; // loaded twice: one widget is enough
  }
  window.__faqbotWidget = true;

  var scriptUrl = new URL(script.src, location.href);
  var server = (
    script.getAttribute("data-server") ||
    scriptUrl.origin + scriptUrl.pathname.replace(/\/widget\.js$/, "")
  ).replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "Medication questions";
  var color = script.getAttribute("data-color");
  var position = script.getAttribute("data-position") === "left" ? "left" : "right";
  var KEY = "faqbot:" + server + ":";
  var MAX_KEPT = 40; // messages shown again after a reload
  var MAX_QUESTION = 2000;
  var TIMEOUT_MS = 20000;

  // --- storage (sessionStorage may be off: the widget then works for this page only) -------

  function load(name, fallback) {
    try {
      var value = window.sessionStorage.getItem(KEY + name);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) {
      return fallback;
    }
  }

  function save(name, value) {
    try {
      window.sessionStorage.setItem(KEY + name, JSON.stringify(value));
    } catch (e) {
      /* storage off or full */
    }
  }

  function forget(name) {
    try {
      window.sessionStorage.removeItem(KEY + name);
    } catch (e) {
      /* storage off */
    }
  }

  // --- building blocks -------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm7 " +
        "3v3H8v2h3v3h2v-3h3V9h-3V6z"
    );
    svg.appendChild(path);
    return svg;
  }

  var host = document.createElement("faqbot-widget");
  var root = host.attachShadow({ mode: "open" });
  var frame = el("div", { class: "faqbot", "data-position": position, hidden: "" });
  var launcher = el("button", {
    type: "button",
    class: "faqbot-launcher",
    "aria-label": title,
    "aria-expanded": "false",
    "aria-controls": "faqbot-panel",
    "aria-haspopup": "dialog",
  });
  launcher.appendChild(icon());
  var panel = el("div", {
    id: "faqbot-panel",
    class: "faqbot-panel",
    role: "dialog",
    "aria-label": title,
    hidden: "",
  });
  var header = el("div", { class: "faqbot-header" });
  var restart = el("button", { type: "button", class: "faqbot-restart" }, "New chat");
  var closer = el("button", { type: "button", class: "faqbot-close", "aria-label": "Close" }, "×");
  header.append(el("h2", { class: "faqbot-title" }, title), restart, closer);
  var log = el("div", {
    class: "faqbot-log",
    role: "log",
    "aria-live": "polite",
    "aria-label": "Conversation",
    tabindex: "0",
  });
  var status = el("p", { class: "faqbot-status", role: "status" });
  var form = el("form", { class: "faqbot-form" });
  var input = el("input", {
    id: "faqbot-input",
    type: "text",
    maxlength: String(MAX_QUESTION),
    autocomplete: "off",
    placeholder: "Ask about a medication…",
  });
  var send = el("button", { type: "submit", class: "faqbot-send" }, "Send");
  form.append(el("label", { class: "faqbot-sr", for: "faqbot-input" }, "Your question"), input, send);
  panel.append(header, log, status, form);
  frame.append(launcher, panel);

  var stylesheet = el("link", { rel: "stylesheet", href: server + "/widget.css" });
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);
  root.append(stylesheet, frame);

  function reveal() {
    frame.hidden = false;
  }

  // --- messages ----------------------------------------------------------------------------

  var history = load("log", []);
  if (!Array.isArray(history)) {
    history = [];
  }

  function remember(message) {
    history.push(message);
    history = history.slice(-MAX_KEPT);
    save("log", history);
  }

  function show(message, restored) {
    var node;
    if (message.role === "user") {
      node = el("div", { class: "faqbot-msg faqbot-user" });
      node.append(el("span", { class: "faqbot-sr" }, "You: "), document.createTextNode(message.text));
    } else if (message.role === "bot") {
      node = answerNode(message.answer || {}, restored);
    } else {
      node = el("p", { class: "faqbot-note" }, message.text);
    }
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  function answerNode(answer, restored) {
    var node = el("div", { class: "faqbot-msg faqbot-bot" });
    var text = String(answer.answer || "");
    if (answer.urgent) {
      var split = text.indexOf("\n\n");
      var notice = split < 0 ? text : text.slice(0, split);
      text = split < 0 ? "" : text.slice(split + 2);
      // role=alert only for a new notice: a restored one is not announced again
      node.appendChild(el("p", restored ? { class: "faqbot-urgent" } : { class: "faqbot-urgent", role: "alert" }, notice));
    }
    if (answer.entry && answer.entry.title) {
      node.appendChild(el("p", { class: "faqbot-topic" }, answer.entry.drug + " › " + answer.entry.title));
    }
    if (text) {
      node.appendChild(el("p", { class: "faqbot-text" }, text));
    }
    var suggestions = Array.isArray(answer.suggestions) ? answer.suggestions : [];
    if (suggestions.length) {
      var list = el("ul", { class: "faqbot-suggestions", "aria-label": "Suggestions" });
      suggestions.forEach(function (label) {
        var button = el("button", { type: "button" }, label);
        button.addEventListener("click", function () {
          ask(String(label));
        });
        list.appendChild(el("li")).appendChild(button);
      });
      node.appendChild(list);
    }
    node.appendChild(el("p", { class: "faqbot-disclaimer" }, answer.disclaimer));
    return node;
  }

  function say(message) {
    remember(message);
    return show(message, false);
  }

  // --- talking to the server ----------------------------------------------------------------

  function Failure(message, retryable) {
    this.message = message;
    this.retryable = retryable;
  }

  function post(question) {
    var body = { question: question };
    var sessionId = load("session", null);
    if (typeof sessionId === "string") {
      body.session_id = sessionId;
    }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
    }, TIMEOUT_MS);
    return fetch(server + "/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      signal: controller ? controller.signal : undefined,
    })
      .then(readReply, function (e) {
        throw new Failure(
          e && e.name === "AbortError"
            ? "The help server took too long to answer."
            : "Couldn't reach the help server. Check your connection.",
          true
        );
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  function readReply(response) {
    return response
      .json()
      .catch(function () {
        return null;
      })
      .then(function (data) {
        if (response.ok && data && typeof data.answer === "string") {
          return data;
        }
        if (response.status === 429) {
          var wait = response.headers.get("Retry-After") || "a few";
          throw new Failure("Too many questions for now. Please try again in " + wait + " seconds.", true);
        }
        var reason = data && typeof data.error === "string" ? data.error : "error " + response.status;
        throw new Failure("The help server could not answer (" + reason + ").", response.status >= 500);
      });
  }

  var busy = false;

  function ask(question) {
    question = question.trim().slice(0, MAX_QUESTION);
    if (!question || busy) {
      return;
    }
    say({ role: "user", text: question });
    request(question);
    input.focus();
  }

  function request(question) {
    busy = true;
    send.setAttribute("aria-disabled", "true");
    status.textContent = "Answering…";
    post(question)
      .then(answered, function (failure) {
        failed(failure instanceof Failure ? failure : new Failure("Something went wrong.", true), question);
      })
      .finally(function () {
        busy = false;
        send.removeAttribute("aria-disabled");
        status.textContent = "";
      });
  }

  function answered(data) {
    var previous = load("session", null);
    save("session", data.session_id);
    if (previous && previous !== data.session_id) {
      say({ role: "note", text: "The earlier conversation had expired; this is a new one." });
    }
    say({
      role: "bot",
      answer: {
        answer: data.answer,
        entry: data.entry,
        suggestions: data.suggestions,
        urgent: data.urgent,
        disclaimer: data.disclaimer,
      },
    });
  }

  function failed(failure, question) {
    var node = el("div", { class: "faqbot-error" });
    node.appendChild(el("p", {}, failure.message));
    if (failure.retryable) {
      var retry = el("button", { type: "button" }, "Try again");
      retry.addEventListener("click", function () {
        if (busy) {
          return;
        }
        node.remove();
        request(question);
        input.focus();
      });
      node.appendChild(retry);
    }
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
  }

  // --- opening, closing, keys -------------------------------------------------------------

  function open(moveFocus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    save("open", true);
    log.scrollTop = log.scrollHeight;
    if (moveFocus) {
      input.focus();
    }
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    save("open", false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      open(true);
    } else {
      close();
    }
  });
  closer.addEventListener("click", close);
  restart.addEventListener("click", function () {
    forget("session");
    forget("log");
    history = [];
    log.textContent = "";
    show({ role: "note", text: "New conversation." }, false);
    input.focus();
  });
  frame.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    var question = input.value;
    input.value = "";
    ask(question);
  });

  // --- theme and start ---------------------------------------------------------------------

  function readableOn(background) {
    var probe = el("span", { hidden: "" });
    probe.style.color = background;
    root.appendChild(probe);
    var rgb = getComputedStyle(probe).color.match(/[\d.]+/g) || ["0", "0", "0"];
    probe.remove();
    var lin = rgb.slice(0, 3).map(function (v) {
      var c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    return luminance > 0.179 ? "#111111" : "#ffffff";
  }

  function start() {
    document.body.appendChild(host);
    if (color && window.CSS && CSS.supports("color", color)) {
      host.style.setProperty("--faqbot-accent", color);
      host.style.setProperty("--faqbot-on-accent", readableOn(color));
    }
    history.forEach(function (message) {
      show(message, true);
    });
    if (load("open", false) === true) {
      open(false); // reopened after a page change, without taking the page's focus
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
