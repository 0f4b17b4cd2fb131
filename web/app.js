/*
 * Stays chat page: talks to Rasa's socket.io channel (credentials.yml: socketio,
 * user_uttered / bot_uttered, session_persistence: true).
 *
 * Rules this file keeps:
 *  - Everything that comes from the traveller, the bot or the catalog is put in
 *    the page as text (textContent / createElement); no HTML is ever built from data.
 *  - The transcript is kept in localStorage as data (never as HTML) and redrawn
 *    from it on reload, together with the session id sent in `session_request`,
 *    so the bot's tracker (same sender id) still remembers the conversation.
 */
(function () {
  "use strict";

  var MAX_ENTRIES = 300;          // transcript entries kept in localStorage
  var REPLY_TIMEOUT_MS = 45000;   // hide the typing dots if no reply comes
  var OFFLINE_TEXT = "Can't reach the assistant — retrying…";

  // --- configuration --------------------------------------------------------------

  function serverUrl() {
    var fallback = window.location.protocol + "//" + (window.location.hostname || "localhost") + ":5005";
    var given = new URLSearchParams(window.location.search).get("server");
    if (!given) return fallback;
    try {
      var url = new URL(given);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch (e) { /* fall through */ }
    return fallback;
  }

  var SERVER = serverUrl();
  var KEY_SESSION = "stays:" + SERVER + ":session_id";
  var KEY_TRANSCRIPT = "stays:" + SERVER + ":transcript";

  // --- storage (never fatal: private mode or a full quota only loses persistence) --

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* ignore */ }
  }

  var transcript = load(KEY_TRANSCRIPT, []);
  if (!Array.isArray(transcript)) transcript = [];
  var sessionId = load(KEY_SESSION, null);
  if (typeof sessionId !== "string" || !sessionId) sessionId = null;

  function persist() {
    if (transcript.length > MAX_ENTRIES) transcript = transcript.slice(transcript.length - MAX_ENTRIES);
    save(KEY_TRANSCRIPT, transcript);
  }

  // --- elements -------------------------------------------------------------------

  var log = document.getElementById("log");
  var intro = document.getElementById("intro");
  var statusBox = document.getElementById("status");
  var typing = document.getElementById("typing");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var newButton = document.getElementById("new-conversation");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  // For people: the banner. For tests and styles: <body data-connection="connecting|ready|offline">.
  function setConnection(state) {
    document.body.setAttribute("data-connection", state);
  }

  function setStatus(text, kind) {
    if (!text) {
      statusBox.hidden = true;
      statusBox.textContent = "";
      statusBox.className = "status";
      return;
    }
    statusBox.textContent = text;
    statusBox.className = "status status-" + (kind || "info");
    statusBox.hidden = false;
  }

  function scrollToEnd() {
    // After layout, so the newest message (and its buttons) is fully in view.
    window.requestAnimationFrame(function () {
      window.scrollTo(0, document.documentElement.scrollHeight);
    });
  }

  // --- rendering (data -> DOM, text only) ------------------------------------------

  function replyButton(title, payload, shown) {
    var b = el("button", "reply", title);
    b.type = "button";
    b.addEventListener("click", function () {
      if (b.disabled) return;
      send(payload, shown || title);
    });
    return b;
  }

  function renderUser(entry) {
    var li = el("li", "msg msg-user");
    li.appendChild(el("span", "visually-hidden", "You: "));
    li.appendChild(el("p", "bubble", entry.text));
    return li;
  }

  function renderBot(entry) {
    var li = el("li", "msg msg-bot");
    li.appendChild(el("span", "visually-hidden", "Assistant: "));
    if (entry.text) li.appendChild(el("p", "bubble", entry.text));
    if (entry.image) {
      var img = el("img", "bubble-image");
      img.alt = "Image from the assistant";
      img.src = entry.image;  // an attribute set from data, not HTML
      li.appendChild(img);
    }
    var replies = Array.isArray(entry.replies) ? entry.replies : [];
    if (replies.length) {
      var group = el("div", "replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested replies");
      replies.forEach(function (r) {
        group.appendChild(replyButton(str(r.title), str(r.payload)));
      });
      li.appendChild(group);
    }
    return li;
  }

  function splitPrice(price) {
    // "€120 a night (€600 for 5 nights)" -> ["€120 a night", "€600 for 5 nights"]
    var m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(price);
    return m ? [m[1], m[2]] : [price, ""];
  }

  function renderCard(card) {
    var title = str(card.title);
    var article = el("article", "card");
    var head = el("header", "card-head");
    if (card.position !== undefined && card.position !== null) {
      head.appendChild(el("span", "card-position", str(card.position)));
    }
    head.appendChild(el("h3", "card-title", title));
    var photo = str(card.picture_url);
    if (/^https?:\/\//.test(photo)) {
      // only a catalog row's own photo is fetched from another site, and only when scrolled to
      var img = el("img", "card-photo");
      img.setAttribute("src", photo);
      img.setAttribute("alt", title);
      img.setAttribute("loading", "lazy");
      img.setAttribute("decoding", "async");
      img.setAttribute("referrerpolicy", "no-referrer");
      article.appendChild(img);
      article.classList.add("card-with-photo");
    }
    article.appendChild(head);

    var place = [str(card.neighbourhood), str(card.location)].filter(Boolean).join(", ");
    if (place) article.appendChild(el("p", "card-place", place));

    var facts = el("dl", "card-facts");
    var price = splitPrice(str(card.price));
    if (price[0]) {
      facts.appendChild(el("dt", "visually-hidden", "Price"));
      var dd = el("dd", "card-price", price[0]);
      if (price[1]) dd.appendChild(el("span", "card-total", price[1]));
      facts.appendChild(dd);
    }
    if (card.rating) {
      facts.appendChild(el("dt", "visually-hidden", "Rating"));
      facts.appendChild(el("dd", "card-rating", str(card.rating)));
    }
    article.appendChild(facts);

    var why = Array.isArray(card.why) ? card.why : [];
    if (why.length) {
      var whyBox = el("div", "card-why");
      whyBox.appendChild(el("p", "card-why-label", "Why this one"));
      var list = el("ul");
      why.forEach(function (reason) { list.appendChild(el("li", null, str(reason))); });
      whyBox.appendChild(list);
      article.appendChild(whyBox);
    }

    var buttons = Array.isArray(card.buttons) ? card.buttons : [];
    if (buttons.length) {
      var actions = el("div", "card-actions");
      actions.setAttribute("role", "group");
      actions.setAttribute("aria-label", "Actions for " + title);
      buttons.forEach(function (b) {
        var label = str(b.title);
        var button = replyButton(label, str(b.payload), label + " — " + title);
        button.setAttribute("aria-label", label + ": " + title);
        actions.appendChild(button);
      });
      article.appendChild(actions);
    }
    return article;
  }

  function renderCards(entry) {
    var li = el("li", "msg msg-cards");
    li.appendChild(el("span", "visually-hidden", "Places: "));
    var list = el("div", "cards");
    (Array.isArray(entry.cards) ? entry.cards : []).forEach(function (card) {
      if (card && typeof card === "object") list.appendChild(renderCard(card));
    });
    li.appendChild(list);
    return li;
  }

  function render(entry) {
    if (entry.kind === "user") return renderUser(entry);
    if (entry.kind === "cards") return renderCards(entry);
    return renderBot(entry);
  }

  // Quick replies answer the bot's latest turn only; card buttons refer to the
  // latest result list. Older ones stay visible (the history) but are disabled.
  function refreshActive() {
    var items = log.children;
    var lastUser = -1;
    var lastCards = -1;
    for (var i = 0; i < items.length; i++) {
      if (items[i].classList.contains("msg-user")) lastUser = i;
      if (items[i].classList.contains("msg-cards")) lastCards = i;
    }
    for (var j = 0; j < items.length; j++) {
      var active = items[j].classList.contains("msg-cards") ? j === lastCards : j > lastUser;
      var buttons = items[j].querySelectorAll("button");
      for (var k = 0; k < buttons.length; k++) buttons[k].disabled = !active;
      items[j].classList.toggle("stale", !active && buttons.length > 0);
    }
  }

  function append(entry, store) {
    log.appendChild(render(entry));
    intro.hidden = true;
    if (store !== false) {
      transcript.push(entry);
      persist();
    }
    refreshActive();
    scrollToEnd();
  }

  function redraw() {
    log.textContent = "";
    transcript.forEach(function (entry) {
      if (entry && typeof entry === "object") log.appendChild(render(entry));
    });
    intro.hidden = transcript.length > 0;
    refreshActive();
    scrollToEnd();
  }

  // --- the socket.io connection ----------------------------------------------------

  var socket = null;
  var ready = false;         // connected and session confirmed
  var everConnected = false;
  var replyTimer = null;

  function showTyping(on) {
    typing.hidden = !on;
    if (replyTimer) { clearTimeout(replyTimer); replyTimer = null; }
    if (on) {
      replyTimer = setTimeout(function () { typing.hidden = true; }, REPLY_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  function onBotMessage(data) {
    if (!data || typeof data !== "object") return;
    showTyping(false);
    if (data.type === "property_cards" && Array.isArray(data.cards)) {
      append({ kind: "cards", cards: data.cards });
      return;
    }
    var replies = data.quick_replies || data.buttons || [];
    var entry = { kind: "bot", text: str(data.text) };
    if (Array.isArray(replies) && replies.length) {
      entry.replies = replies
        .filter(function (r) { return r && (r.payload || r.title); })
        .map(function (r) { return { title: str(r.title || r.payload), payload: str(r.payload || r.title) }; });
    }
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload && /^https?:/i.test(str(attachment.payload.src))) {
      entry.image = str(attachment.payload.src);
    }
    if (entry.text || entry.image || (entry.replies && entry.replies.length)) append(entry);
  }

  function connect() {
    if (typeof window.io !== "function") {
      setConnection("missing");
      setStatus("The chat client is missing: run `make install` (it installs web/node_modules).", "error");
      return;
    }
    setConnection("connecting");
    setStatus("Connecting to the assistant…", "info");
    socket = window.io(SERVER, {
      path: "/socket.io",
      transports: ["websocket", "polling"],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 8000
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      var id = confirmed && typeof confirmed === "object" ? confirmed.session_id : confirmed;
      if (typeof id === "string" && id) {
        sessionId = id;
        save(KEY_SESSION, sessionId);
      }
      ready = true;
      setConnection("ready");
      if (everConnected) {
        setStatus("Connected again.", "ok");
        setTimeout(function () { if (ready && statusBox.textContent === "Connected again.") setStatus(""); }, 2500);
      } else {
        setStatus("");
      }
      everConnected = true;
      form.classList.remove("offline");
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("connect_error", offline);
    socket.on("disconnect", function (reason) {
      if (reason === "io client disconnect") { ready = false; setConnection("connecting"); return; }  // "New conversation"
      offline();
    });
  }

  function offline() {
    ready = false;
    setConnection("offline");
    showTyping(false);
    form.classList.add("offline");
    setStatus(OFFLINE_TEXT, "error");
  }

  // Sends `message` to the bot and shows `shown` as the traveller's bubble.
  // Returns false (and leaves everything as it was) when the assistant is not reachable.
  function send(message, shown) {
    message = str(message).trim();
    if (!message) return false;
    if (!socket || !ready || !socket.connected) {
      setStatus(OFFLINE_TEXT, "error");
      return false;
    }
    append({ kind: "user", text: str(shown || message) });
    socket.emit("user_uttered", { message: message, session_id: sessionId });
    showTyping(true);
    return true;
  }

  // --- controls --------------------------------------------------------------------

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(input.value)) {
      input.value = "";
    }
    input.focus();  // the text stays in the box when it could not be sent
  });

  Array.prototype.forEach.call(document.querySelectorAll(".example"), function (b) {
    b.addEventListener("click", function () {
      if (!send(b.textContent)) input.value = b.textContent;
    });
  });

  newButton.addEventListener("click", function () {
    transcript = [];
    sessionId = null;
    everConnected = false;  // a fresh start, not a "connected again"
    save(KEY_TRANSCRIPT, null);
    save(KEY_SESSION, null);
    redraw();
    showTyping(false);
    input.value = "";
    if (socket) {
      // A new socket id joins only the new session's room.
      ready = false;
      socket.disconnect();
      socket.connect();
    }
    input.focus();
  });

  redraw();
  connect();
})();
