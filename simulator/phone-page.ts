/* Phone page assets (embedded: no build step, no CDN, no static files on disk). */

export const PHONE_HTML = String.raw`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LINE シミュレーター｜荒尾市 公式アカウント</title>
<link rel="stylesheet" href="/phone.css">
</head>
<body>
<header class="topbar">
  <span class="logo">LINE</span>
  <h1>LINE シミュレーター — 荒尾市 公式アカウント（研修・検証環境）</h1>
  <span class="hint">実際の LINE には送信されません</span>
</header>
<div class="layout">
  <aside class="side">
    <h2>市民（友だち）を追加</h2>
    <form id="add-form" class="add-form" autocomplete="off">
      <input id="name-input" name="displayName" placeholder="表示名（例：荒尾 花子）" required maxlength="20" aria-label="表示名">
      <select id="lang-select" name="language" aria-label="言語"></select>
      <button class="btn" type="submit" id="add-btn">友だち追加</button>
    </form>
    <h2>市民一覧（新しい順・最大300人）</h2>
    <div class="search"><input id="search-input" type="search" placeholder="名前・ユーザーIDで検索" aria-label="市民を検索"></div>
    <ul id="citizen-list" class="citizen-list"></ul>
  </aside>
  <main class="stage">
    <div class="phone">
      <div class="screen">
        <div class="chat-header">
          <div id="chat-title" class="title">荒尾市</div>
          <button id="block-btn" type="button" hidden>ブロック</button>
        </div>
        <div id="messages" class="messages" aria-live="polite"></div>
        <div id="quick-replies" class="quick-replies"></div>
        <form id="composer" class="composer" autocomplete="off">
          <button id="image-btn" class="icon-btn" type="button" title="画像を送る" aria-label="画像を送る" disabled>画像</button>
          <button id="location-btn" class="icon-btn" type="button" title="位置情報を送る" aria-label="位置情報を送る" disabled>位置</button>
          <input id="text-input" type="text" placeholder="メッセージを入力" aria-label="メッセージ" disabled>
          <button id="send-btn" class="send-btn" type="submit" disabled>送信</button>
          <input id="image-input" type="file" accept="image/*" hidden>
        </form>
        <div id="richmenu" class="richmenu"></div>
        <div id="statusline" class="statusline"></div>
        <div id="liff-overlay" class="overlay" hidden>
          <header>
            <span id="liff-title" class="t">LIFF</span>
            <button id="liff-close" type="button">✕ 閉じる</button>
          </header>
          <iframe id="liff-frame" title="LIFF アプリ" src="about:blank"></iframe>
        </div>
        <div id="location-modal" class="modal" hidden>
          <form id="location-form">
            <h3>位置情報を送信</h3>
            <label>名称<input id="loc-title" value="荒尾市役所"></label>
            <label>住所<input id="loc-address" value="熊本県荒尾市宮内出目390" required></label>
            <label>緯度<input id="loc-lat" type="number" step="any" value="32.98687" required></label>
            <label>経度<input id="loc-lng" type="number" step="any" value="130.43337" required></label>
            <div class="buttons"><button type="button" class="btn secondary" id="location-cancel">キャンセル</button><button class="btn" type="submit">送信</button></div>
          </form>
        </div>
        <div id="dt-modal" class="modal" hidden>
          <form id="dt-form">
            <h3 id="dt-title">日時を選択</h3>
            <input id="dt-input" type="date" required>
            <div class="buttons"><button type="button" class="btn secondary" id="dt-cancel">キャンセル</button><button class="btn" type="submit">決定</button></div>
          </form>
        </div>
      </div>
    </div>
  </main>
</div>
<script src="/phone.js"></script>
</body>
</html>
`;

export const PHONE_CSS = String.raw`:root { --green: #06c755; --chat-bg: #8cabd9; --bubble-me: #86d97b; --text: #111; --muted: #6b7280; --border: #d7dbe0; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font-family: "Hiragino Kaku Gothic ProN", "Hiragino Sans", "Noto Sans JP", Meiryo, system-ui, sans-serif; color: var(--text); background: #eef1f4; }
.topbar { height: 48px; display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #fff; border-bottom: 1px solid var(--border); }
.topbar .logo { background: var(--green); color: #fff; font-weight: 700; border-radius: 8px; padding: 4px 8px; font-size: 13px; }
.topbar h1 { font-size: 16px; margin: 0; font-weight: 600; }
.topbar .hint { margin-left: auto; font-size: 12px; color: var(--muted); }
.layout { display: flex; height: calc(100% - 48px); }
.side { width: 300px; min-width: 260px; background: #fff; border-right: 1px solid var(--border); display: flex; flex-direction: column; }
.side h2 { font-size: 14px; margin: 14px 16px 8px; color: #374151; }
.add-form { display: grid; grid-template-columns: 1fr 92px; gap: 6px; padding: 0 16px 12px; border-bottom: 1px solid var(--border); }
.add-form input, .add-form select { padding: 7px 8px; border: 1px solid var(--border); border-radius: 6px; font-size: 13px; min-width: 0; }
.add-form button { grid-column: 1 / 3; }
button { font: inherit; cursor: pointer; }
.btn { background: var(--green); color: #fff; border: none; border-radius: 6px; padding: 8px 12px; font-size: 13px; font-weight: 600; }
.btn.secondary { background: #e5e7eb; color: #111; }
.btn.danger { background: #ef4444; }
.citizen-list { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
.citizen-list li { display: flex; align-items: center; gap: 10px; padding: 10px 16px; cursor: pointer; border-bottom: 1px solid #f1f3f5; }
.citizen-list li:hover { background: #f6f8fa; }
.citizen-list li.active { background: #e8f8ee; }
.avatar { width: 36px; height: 36px; border-radius: 50%; background: #c7d2fe; display: flex; align-items: center; justify-content: center; font-weight: 700; color: #3730a3; flex: none; overflow: hidden; font-size: 14px; }
.avatar img { width: 100%; height: 100%; object-fit: cover; }
.avatar.account { background: var(--green); color: #fff; font-size: 13px; }
.citizen-meta { min-width: 0; }
.citizen-name { font-size: 14px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.citizen-sub { font-size: 11px; color: var(--muted); }
.tag-blocked { color: #b91c1c; font-weight: 600; }
.stage { flex: 1; display: flex; align-items: center; justify-content: center; padding: 16px; overflow: auto; }
.phone { position: relative; width: 390px; height: min(800px, calc(100vh - 90px)); min-height: 560px; background: #111; border-radius: 36px; padding: 12px; box-shadow: 0 10px 30px rgba(0,0,0,.25); }
.screen { position: relative; width: 100%; height: 100%; background: var(--chat-bg); border-radius: 26px; overflow: hidden; display: flex; flex-direction: column; }
.chat-header { height: 52px; background: #2f3d57; color: #fff; display: flex; align-items: center; gap: 8px; padding: 0 12px; flex: none; }
.chat-header .title { font-weight: 700; font-size: 15px; flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chat-header .as { font-size: 11px; opacity: .8; display: block; font-weight: 400; }
.chat-header button { background: rgba(255,255,255,.15); color: #fff; border: none; border-radius: 6px; padding: 5px 8px; font-size: 12px; }
.messages { flex: 1; overflow-y: auto; padding: 12px 10px; display: flex; flex-direction: column; gap: 8px; }
.empty { margin: auto; color: #fff; text-align: center; font-size: 14px; line-height: 1.7; padding: 20px; text-shadow: 0 1px 2px rgba(0,0,0,.3); }
.row { display: flex; align-items: flex-end; gap: 6px; max-width: 100%; }
.row.account { align-self: flex-start; align-items: flex-start; }
.row.citizen { align-self: flex-end; flex-direction: row-reverse; }
.row .time { font-size: 10px; color: #f3f4f6; white-space: nowrap; align-self: flex-end; }
.row .col { display: flex; flex-direction: column; gap: 2px; min-width: 0; max-width: 280px; }
.row .sender { font-size: 11px; color: #f9fafb; }
.bubble { background: #fff; border-radius: 16px; padding: 8px 12px; font-size: 14px; line-height: 1.45; white-space: pre-wrap; word-break: break-word; max-width: 260px; }
.row.citizen .bubble { background: var(--bubble-me); }
.media { max-width: 220px; border-radius: 12px; display: block; background: #ddd; }
.sticker { font-size: 28px; color: #fff; line-height: 1; padding: 4px; }
.sticker small { display: block; font-size: 10px; color: #f3f4f6; }
.location-card { background: #fff; border-radius: 12px; overflow: hidden; width: 220px; font-size: 13px; }
.location-card .map { height: 60px; color: #047857; font-weight: 700; font-size: 13px !important; background: repeating-linear-gradient(45deg, #d1fae5, #d1fae5 10px, #a7f3d0 10px, #a7f3d0 20px); display: flex; align-items: center; justify-content: center; font-size: 28px; }
.location-card .body { padding: 8px 10px; }
.location-card .t { font-weight: 700; }
.location-card .a, .location-card .ll { color: var(--muted); font-size: 11px; }
.card { background: #fff; border-radius: 14px; overflow: hidden; width: 240px; flex: none; }
.card .thumb { width: 100%; display: block; object-fit: cover; aspect-ratio: 1.51 / 1; background: #e5e7eb; }
.card .thumb.square { aspect-ratio: 1 / 1; }
.card .ctitle { font-weight: 700; padding: 10px 12px 0; font-size: 14px; }
.card .ctext { padding: 6px 12px 10px; font-size: 13px; white-space: pre-wrap; color: #374151; }
.card .actions button { display: block; width: 100%; border: none; border-top: 1px solid #eef0f2; background: #fff; padding: 10px; color: #2563eb; font-size: 14px; }
.card .actions.confirm { display: flex; }
.card .actions.confirm button { border-left: 1px solid #eef0f2; }
.hscroll { display: flex; gap: 8px; overflow-x: auto; max-width: 300px; padding-bottom: 4px; }
.img-col { position: relative; width: 160px; flex: none; }
.img-col img { width: 160px; height: 160px; object-fit: cover; border-radius: 12px; display: block; }
.img-col button { position: absolute; left: 8px; right: 8px; bottom: 8px; background: rgba(0,0,0,.55); color: #fff; border: none; border-radius: 8px; padding: 6px; font-size: 12px; }
.imagemap { position: relative; width: 240px; border-radius: 12px; overflow: hidden; background: #e5e7eb; }
.imagemap img { width: 100%; display: block; }
.imagemap .area { position: absolute; background: transparent; border: 1px dashed rgba(6,199,85,.6); }
.alt { font-size: 11px; color: #e5e7eb; }
/* flex */
.fx-bubble { background: #fff; border-radius: 14px; overflow: hidden; width: 260px; flex: none; display: flex; flex-direction: column; }
.fx-bubble.nano { width: 120px; } .fx-bubble.micro { width: 160px; } .fx-bubble.kilo { width: 220px; } .fx-bubble.giga { width: 300px; }
.fx-section { display: flex; flex-direction: column; }
.fx-box { display: flex; min-width: 0; position: relative; }
.fx-text { min-width: 0; font-size: 14px; line-height: 1.4; }
.fx-text.nowrap { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.fx-text.wrap { white-space: pre-wrap; word-break: break-word; }
.fx-image { display: block; max-width: 100%; object-fit: cover; background: #f3f4f6; }
.fx-button { border: none; border-radius: 8px; padding: 10px 8px; font-size: 14px; width: 100%; min-width: 0; }
.fx-button.primary { background: var(--green); color: #fff; }
.fx-button.secondary { background: #eef0f2; color: #111; }
.fx-button.link { background: transparent; color: #2563eb; }
.fx-button.sm { padding: 6px 8px; }
.fx-separator { border: none; border-top: 1px solid #e5e7eb; margin: 0; align-self: stretch; }
.fx-separator.vertical { border-top: none; border-left: 1px solid #e5e7eb; }
.fx-icon { width: 1em; height: 1em; object-fit: contain; }
.clickable { cursor: pointer; }
.quick-replies { display: flex; gap: 6px; overflow-x: auto; padding: 6px 10px; flex: none; }
.quick-replies:empty { display: none; }
.chip { flex: none; background: #fff; border: 1px solid #06c755; color: #057a37; border-radius: 16px; padding: 6px 12px; font-size: 13px; display: flex; align-items: center; gap: 4px; }
.chip img { width: 16px; height: 16px; }
.composer { display: flex; gap: 6px; align-items: center; padding: 8px; background: #fff; flex: none; }
.composer input[type=text] { flex: 1; border: 1px solid var(--border); border-radius: 18px; padding: 8px 12px; font-size: 14px; min-width: 0; }
.icon-btn { height: 34px; padding: 0 9px; border-radius: 17px; border: none; background: #f1f3f5; font-size: 12px; color: #374151; flex: none; }
.send-btn { border: none; background: var(--green); color: #fff; border-radius: 18px; padding: 8px 14px; font-size: 14px; font-weight: 600; }
.send-btn:disabled, .composer input:disabled, .icon-btn:disabled { opacity: .45; cursor: not-allowed; }
.statusline { font-size: 11px; color: var(--muted); padding: 3px 10px; background: #fff; border-top: 1px solid #f1f3f5; flex: none; min-height: 18px; }
.statusline.err { color: #b91c1c; }
.richmenu { background: #fff; border-top: 1px solid var(--border); flex: none; }
.richmenu .bar { width: 100%; border: none; background: #fff; padding: 8px; font-size: 13px; color: #374151; }
.richmenu .menu { position: relative; width: 100%; background: #f3f4f6; }
.richmenu .menu img { width: 100%; display: block; }
.richmenu .area { position: absolute; border: 1px solid rgba(0,0,0,.08); background: transparent; font-size: 12px; color: #111; display: flex; align-items: center; justify-content: center; text-align: center; padding: 2px; }
.richmenu .menu.noimg .area { background: #fff; border: 1px solid #e5e7eb; }
.overlay { position: absolute; inset: 0; background: #fff; z-index: 20; display: flex; flex-direction: column; border-radius: 26px; overflow: hidden; }
.overlay[hidden] { display: none; }
.overlay header { height: 44px; display: flex; align-items: center; gap: 8px; padding: 0 10px; border-bottom: 1px solid var(--border); background: #fafafa; }
.overlay header .t { flex: 1; font-size: 12px; color: var(--muted); overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.overlay header button { border: none; background: #e5e7eb; border-radius: 6px; padding: 6px 10px; font-size: 13px; }
.overlay iframe { flex: 1; border: none; width: 100%; }
.modal { position: absolute; inset: 0; background: rgba(0,0,0,.4); z-index: 30; display: flex; align-items: center; justify-content: center; border-radius: 26px; }
.modal[hidden] { display: none; }
.modal form { background: #fff; border-radius: 12px; padding: 16px; width: 300px; display: flex; flex-direction: column; gap: 8px; font-size: 13px; }
.modal label { display: flex; flex-direction: column; gap: 3px; }
.modal input { padding: 7px 8px; border: 1px solid var(--border); border-radius: 6px; font-size: 13px; }
.modal .buttons { display: flex; gap: 8px; justify-content: flex-end; }
.modal h3 { margin: 0 0 4px; font-size: 15px; }
.search { padding: 0 16px 8px; border-bottom: 1px solid var(--border); }
.search input { width: 100%; padding: 7px 8px; border: 1px solid var(--border); border-radius: 6px; font-size: 13px; }
`;

export const PHONE_JS = String.raw`(function () {
  'use strict';
  var state = { citizens: [], current: null, config: { liffApps: {} }, conv: [], richMenuOpen: true, loadSeq: 0 };
  var LANGS = { ja: '日本語', en: 'English', ko: '한국어', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', th: 'ไทย', vi: 'Tiếng Việt', pt: 'Português', es: 'Español', id: 'Bahasa Indonesia', tl: 'Tagalog', ne: 'नेपाली' };

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (t) {
        var j = null;
        try { j = t ? JSON.parse(t) : null; } catch (e) { j = { error: t }; }
        if (!r.ok) throw new Error((j && (j.error || j.message)) || ('HTTP ' + r.status));
        return j;
      });
    });
  }
  function setStatus(text, isError) {
    var s = $('statusline');
    s.textContent = text || '';
    s.className = 'statusline' + (isError ? ' err' : '');
  }
  function webhookText(w) {
    if (!w) return '';
    if (w.status === null || w.status === undefined) return 'Webhook: 未送信/失敗 (' + (w.error || '不明') + ')';
    return 'Webhook 応答: ' + w.status + (w.ok ? ' (OK)' : ' (エラー)') + ' ' + w.durationMs + 'ms';
  }
  function hhmm(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }
  function safeUrl(u) {
    if (typeof u !== 'string') return '';
    return /^(https?:|\/)/i.test(u) ? u : '';
  }
  function avatarFor(c) {
    var a = el('div', 'avatar');
    if (c && c.pictureUrl && safeUrl(c.pictureUrl)) {
      var img = el('img'); img.src = safeUrl(c.pictureUrl); img.alt = ''; a.appendChild(img);
    } else {
      a.textContent = c ? Array.from(c.displayName || '?')[0] : '?';
    }
    return a;
  }

  // ---- citizens -------------------------------------------------------------------------
  function loadCitizens() {
    var q = $('search-input') ? $('search-input').value.trim() : '';
    return api('GET', '/sim/citizens?limit=300' + (q ? '&q=' + encodeURIComponent(q) : '')).then(function (list) { state.citizens = list.reverse(); renderCitizens(); });
  }
  function renderCitizens() {
    var ul = $('citizen-list');
    ul.textContent = '';
    state.citizens.forEach(function (c) {
      var li = el('li');
      li.dataset.userId = c.userId;
      if (state.current === c.userId) li.className = 'active';
      li.appendChild(avatarFor(c));
      var meta = el('div', 'citizen-meta');
      meta.appendChild(el('div', 'citizen-name', c.displayName));
      var sub = el('div', 'citizen-sub');
      sub.appendChild(document.createTextNode((LANGS[c.language] || c.language) + ' · ' + c.userId.slice(0, 9) + '… '));
      if (c.blocked) sub.appendChild(el('span', 'tag-blocked', 'ブロック中'));
      else if (!c.following) sub.appendChild(el('span', 'tag-blocked', '未登録'));
      meta.appendChild(sub);
      li.appendChild(meta);
      li.addEventListener('click', function () { selectCitizen(c.userId); });
      ul.appendChild(li);
    });
    if (state.citizens.length === 0) ul.appendChild(el('li', 'citizen-sub', 'まだ市民がいません。上のフォームから追加してください。'));
  }
  function currentCitizen() {
    for (var i = 0; i < state.citizens.length; i++) if (state.citizens[i].userId === state.current) return state.citizens[i];
    return null;
  }
  function selectCitizen(userId) {
    state.current = userId;
    renderCitizens();
    renderHeader();
    loadConversation();
    loadRichMenu();
  }
  function renderHeader() {
    var c = currentCitizen();
    var title = $('chat-title');
    title.textContent = '荒尾市';
    var as = el('span', 'as', c ? ('あなた: ' + c.displayName) : '市民が選択されていません');
    title.appendChild(as);
    var blockBtn = $('block-btn');
    var usable = !!(c && c.following && !c.blocked);
    blockBtn.hidden = !c;
    blockBtn.textContent = c && (c.blocked || !c.following) ? (c.blocked ? 'ブロック解除' : '友だち追加') : 'ブロック';
    ['text-input', 'send-btn', 'image-btn', 'location-btn'].forEach(function (id) { $(id).disabled = !usable; });
  }

  // ---- conversation ---------------------------------------------------------------------
  function loadConversation() {
    var userId = state.current;
    if (!userId) { renderConversation(); return Promise.resolve(); }
    var seq = ++state.loadSeq;
    return api('GET', '/sim/citizens/' + encodeURIComponent(userId) + '/conversation').then(function (items) {
      if (seq !== state.loadSeq || userId !== state.current) return;
      state.conv = items;
      renderConversation();
      if (document.visibilityState !== 'hidden' && items.some(function (i) { return i.from === 'account'; })) {
        api('POST', '/sim/opens', { userId: userId }).catch(function () {});
      }
    });
  }
  function renderConversation() {
    var box = $('messages');
    box.textContent = '';
    var qr = $('quick-replies');
    qr.textContent = '';
    if (!state.current) {
      box.appendChild(el('div', 'empty', '左の一覧から市民を選ぶか、\n新しい市民を追加してください。'));
      return;
    }
    if (state.conv.length === 0) box.appendChild(el('div', 'empty', 'まだメッセージはありません。\n下の入力欄から話しかけてみましょう。'));
    state.conv.forEach(function (item) { box.appendChild(renderItem(item)); });
    var last = state.conv[state.conv.length - 1];
    if (last && last.from === 'account' && last.message && last.message.quickReply && Array.isArray(last.message.quickReply.items)) {
      renderQuickReply(last.message.quickReply.items);
    }
    scrollToBottom();
  }
  function scrollToBottom() {
    var box = $('messages');
    box.scrollTop = box.scrollHeight;
    requestAnimationFrame(function () { box.scrollTop = box.scrollHeight; });
    // images change the height when they load
    Array.prototype.forEach.call(box.querySelectorAll('img'), function (img) {
      if (!img.complete) img.addEventListener('load', function () { box.scrollTop = box.scrollHeight; }, { once: true });
    });
  }
  function renderItem(item) {
    var row = el('div', 'row ' + item.from);
    row.dataset.messageId = item.id;
    var col = el('div', 'col');
    if (item.from === 'account') {
      var av = el('div', 'avatar account', '市');
      row.appendChild(av);
      var sender = item.message && item.message.sender && item.message.sender.name;
      col.appendChild(el('div', 'sender', sender || '荒尾市'));
      col.appendChild(renderAccountMessage(item.message));
    } else {
      col.appendChild(renderCitizenMessage(item.message));
    }
    row.appendChild(col);
    row.appendChild(el('span', 'time', hhmm(item.at)));
    return row;
  }
  function textBubble(text) { return el('div', 'bubble', text); }
  function renderCitizenMessage(m) {
    if (m.type === 'image') {
      var img = el('img', 'media'); img.src = safeUrl(m.contentUrl); img.alt = '送信した画像'; return img;
    }
    if (m.type === 'location') return locationCard(m);
    if (m.type === 'sticker') return stickerEl(m);
    return textBubble(m.text);
  }
  function stickerEl(m) {
    var s = el('div', 'sticker', '(^_^)');
    s.appendChild(el('small', '', 'スタンプ ' + m.packageId + '/' + m.stickerId));
    return s;
  }
  function locationCard(m) {
    var card = el('div', 'location-card');
    card.appendChild(el('div', 'map', '位置情報'));
    var b = el('div', 'body');
    b.appendChild(el('div', 't', m.title || '位置情報'));
    b.appendChild(el('div', 'a', m.address || ''));
    b.appendChild(el('div', 'll', Number(m.latitude).toFixed(5) + ', ' + Number(m.longitude).toFixed(5)));
    card.appendChild(b);
    return card;
  }
  function renderAccountMessage(m) {
    try {
      switch (m.type) {
        case 'text': return textBubble(m.text);
        case 'image': {
          var img = el('img', 'media clickable'); img.src = safeUrl(m.previewImageUrl); img.alt = '画像';
          img.addEventListener('click', function () { openExternal(m.originalContentUrl); });
          return img;
        }
        case 'video': {
          var v = el('video', 'media'); v.controls = true; v.src = safeUrl(m.originalContentUrl); v.poster = safeUrl(m.previewImageUrl); return v;
        }
        case 'audio': { var a = el('audio'); a.controls = true; a.src = safeUrl(m.originalContentUrl); return a; }
        case 'location': return locationCard(m);
        case 'sticker': return stickerEl(m);
        case 'imagemap': return renderImagemap(m);
        case 'template': return renderTemplate(m.template || {});
        case 'flex': return renderFlexContainer(m.contents || {});
        default: return textBubble('[未対応のメッセージ: ' + m.type + ']');
      }
    } catch (e) {
      return textBubble('[表示できないメッセージ] ' + (m.altText || ''));
    }
  }
  function renderImagemap(m) {
    var wrap = el('div', 'imagemap');
    var img = el('img'); img.src = safeUrl(m.baseUrl) ? safeUrl(m.baseUrl) + '/700' : ''; img.alt = m.altText || '';
    wrap.appendChild(img);
    var bw = (m.baseSize && m.baseSize.width) || 1040, bh = (m.baseSize && m.baseSize.height) || 1040;
    (m.actions || []).forEach(function (act) {
      var ar = act.area || {};
      var b = el('button', 'area');
      b.title = act.label || act.text || act.linkUri || '';
      b.style.left = (100 * ar.x / bw) + '%'; b.style.top = (100 * ar.y / bh) + '%';
      b.style.width = (100 * ar.width / bw) + '%'; b.style.height = (100 * ar.height / bh) + '%';
      b.addEventListener('click', function () {
        if (act.type === 'uri') doAction({ type: 'uri', uri: act.linkUri });
        else if (act.type === 'message') doAction({ type: 'message', text: act.text });
      });
      wrap.appendChild(b);
    });
    var outer = el('div');
    outer.appendChild(wrap);
    outer.appendChild(el('div', 'alt', m.altText || ''));
    return outer;
  }
  function actionButton(action, cls) {
    var b = el('button', cls || '', (action && (action.label || action.text)) || 'ボタン');
    b.addEventListener('click', function (e) { e.stopPropagation(); doAction(action); });
    return b;
  }
  function templateCard(col, ratio, size) {
    var card = el('div', 'card');
    if (col.thumbnailImageUrl) {
      var img = el('img', 'thumb' + (ratio === 'square' ? ' square' : '')); img.src = safeUrl(col.thumbnailImageUrl); img.alt = '';
      img.style.objectFit = size === 'contain' ? 'contain' : 'cover';
      if (col.imageBackgroundColor) img.style.backgroundColor = col.imageBackgroundColor;
      card.appendChild(img);
    }
    if (col.title) card.appendChild(el('div', 'ctitle', col.title));
    card.appendChild(el('div', 'ctext', col.text || ''));
    if (col.defaultAction) { card.classList.add('clickable'); card.addEventListener('click', function () { doAction(col.defaultAction); }); }
    var acts = el('div', 'actions');
    (col.actions || []).forEach(function (a) { acts.appendChild(actionButton(a)); });
    card.appendChild(acts);
    return card;
  }
  function renderTemplate(t) {
    if (t.type === 'buttons') return templateCard(t, t.imageAspectRatio, t.imageSize);
    if (t.type === 'confirm') {
      var card = el('div', 'card');
      card.appendChild(el('div', 'ctext', t.text || ''));
      var acts = el('div', 'actions confirm');
      (t.actions || []).forEach(function (a) { acts.appendChild(actionButton(a)); });
      card.appendChild(acts);
      return card;
    }
    if (t.type === 'carousel') {
      var hs = el('div', 'hscroll');
      (t.columns || []).forEach(function (c) { hs.appendChild(templateCard(c, t.imageAspectRatio, t.imageSize)); });
      return hs;
    }
    if (t.type === 'image_carousel') {
      var hs2 = el('div', 'hscroll');
      (t.columns || []).forEach(function (c) {
        var col = el('div', 'img-col');
        var img = el('img'); img.src = safeUrl(c.imageUrl); img.alt = '';
        col.appendChild(img);
        if (c.action) col.appendChild(actionButton(c.action));
        hs2.appendChild(col);
      });
      return hs2;
    }
    return textBubble('[テンプレート]');
  }

  // ---- flex ------------------------------------------------------------------------------
  var SPACING = { none: '0px', xs: '2px', sm: '4px', md: '8px', lg: '12px', xl: '16px', xxl: '20px' };
  var TEXT_SIZE = { xxs: '10px', xs: '11px', sm: '13px', md: '14px', lg: '16px', xl: '18px', xxl: '21px', '3xl': '25px', '4xl': '30px', '5xl': '38px' };
  var IMG_SIZE = { xxs: '40px', xs: '60px', sm: '80px', md: '100px', lg: '120px', xl: '140px', xxl: '160px', '3xl': '180px', '4xl': '200px', '5xl': '220px', full: '100%' };
  function sp(v) { return v === undefined ? undefined : (SPACING[v] || v); }
  function applyBoxCommon(node, c) {
    if (c.backgroundColor) node.style.backgroundColor = c.backgroundColor;
    if (c.borderColor) node.style.borderColor = c.borderColor;
    if (c.borderWidth) { node.style.borderStyle = 'solid'; node.style.borderWidth = ({ none: '0', light: '0.5px', normal: '1px', medium: '2px', 'semi-bold': '3px', bold: '4px' })[c.borderWidth] || c.borderWidth; }
    if (c.cornerRadius) node.style.borderRadius = sp(c.cornerRadius);
    if (c.paddingAll) node.style.padding = sp(c.paddingAll);
    if (c.paddingTop) node.style.paddingTop = sp(c.paddingTop);
    if (c.paddingBottom) node.style.paddingBottom = sp(c.paddingBottom);
    if (c.paddingStart) node.style.paddingLeft = sp(c.paddingStart);
    if (c.paddingEnd) node.style.paddingRight = sp(c.paddingEnd);
    if (c.width) node.style.width = c.width;
    if (c.height) node.style.height = c.height;
    if (c.maxWidth) node.style.maxWidth = c.maxWidth;
    if (c.maxHeight) node.style.maxHeight = c.maxHeight;
    if (c.position === 'absolute') {
      node.style.position = 'absolute';
      if (c.offsetTop) node.style.top = sp(c.offsetTop);
      if (c.offsetBottom) node.style.bottom = sp(c.offsetBottom);
      if (c.offsetStart) node.style.left = sp(c.offsetStart);
      if (c.offsetEnd) node.style.right = sp(c.offsetEnd);
    } else {
      if (c.offsetTop) { node.style.position = 'relative'; node.style.top = sp(c.offsetTop); }
      if (c.offsetStart) { node.style.position = 'relative'; node.style.left = sp(c.offsetStart); }
    }
  }
  function withAction(node, action) {
    if (action) { node.classList.add('clickable'); node.addEventListener('click', function (e) { e.stopPropagation(); doAction(action); }); }
    return node;
  }
  function renderFlexContainer(c) {
    if (c.type === 'carousel') {
      var hs = el('div', 'hscroll');
      (c.contents || []).forEach(function (b) { hs.appendChild(renderBubble(b)); });
      return hs;
    }
    return renderBubble(c);
  }
  function renderBubble(b) {
    var node = el('div', 'fx-bubble ' + (b.size || 'mega'));
    var styles = b.styles || {};
    ['header', 'hero', 'body', 'footer'].forEach(function (part) {
      var comp = b[part];
      if (!comp) return;
      var sec = el('div', 'fx-section fx-' + part);
      var st = styles[part] || {};
      if (st.backgroundColor) sec.style.backgroundColor = st.backgroundColor;
      if (st.separator) sec.style.borderTop = '1px solid ' + (st.separatorColor || '#e5e7eb');
      if (part !== 'hero' && comp.type === 'box' && !comp.paddingAll) sec.style.padding = part === 'footer' ? '10px' : '14px';
      sec.appendChild(renderComponent(comp, 'vertical'));
      node.appendChild(sec);
    });
    if (b.action) withAction(node, b.action);
    return node;
  }
  function applyFlexChild(node, c, parentLayout, index, parentSpacing) {
    var horizontal = parentLayout === 'horizontal' || parentLayout === 'baseline';
    var f = c.flex !== undefined ? c.flex : (horizontal ? 1 : 0);
    if (c.type !== 'separator' && c.type !== 'filler') node.style.flex = f === 0 ? '0 0 auto' : (f + ' 1 0px');
    var margin = c.margin !== undefined ? sp(c.margin) : (index > 0 ? parentSpacing : undefined);
    if (margin && index > 0) { if (horizontal) node.style.marginLeft = margin; else node.style.marginTop = margin; }
    if (c.gravity && horizontal) node.style.alignSelf = ({ top: 'flex-start', center: 'center', bottom: 'flex-end' })[c.gravity] || '';
  }
  function renderComponent(c, parentLayout) {
    switch (c.type) {
      case 'box': {
        var node = el('div', 'fx-box');
        var layout = c.layout || 'vertical';
        node.style.flexDirection = layout === 'vertical' ? 'column' : 'row';
        if (layout === 'baseline') node.style.alignItems = 'baseline';
        if (c.justifyContent) node.style.justifyContent = c.justifyContent;
        if (c.alignItems) node.style.alignItems = c.alignItems;
        applyBoxCommon(node, c);
        var spacing = sp(c.spacing);
        (c.contents || []).forEach(function (child, i) {
          var cn = renderComponent(child, layout);
          applyFlexChild(cn, child, layout, i, spacing);
          node.appendChild(cn);
        });
        return withAction(node, c.action);
      }
      case 'text': {
        var t = el('div', 'fx-text ' + (c.wrap ? 'wrap' : 'nowrap'));
        if (Array.isArray(c.contents) && c.contents.length) {
          c.contents.forEach(function (s) {
            var span = el('span', '', s.text || '');
            if (s.color) span.style.color = s.color;
            if (s.size) span.style.fontSize = TEXT_SIZE[s.size] || s.size;
            if (s.weight === 'bold') span.style.fontWeight = '700';
            if (s.style === 'italic') span.style.fontStyle = 'italic';
            if (s.decoration) span.style.textDecoration = s.decoration;
            t.appendChild(span);
          });
        } else {
          t.textContent = c.text || '';
        }
        if (c.size) t.style.fontSize = TEXT_SIZE[c.size] || c.size;
        if (c.weight === 'bold') t.style.fontWeight = '700';
        if (c.color) t.style.color = c.color;
        if (c.align) t.style.textAlign = c.align === 'start' ? 'left' : (c.align === 'end' ? 'right' : 'center');
        if (c.style === 'italic') t.style.fontStyle = 'italic';
        if (c.decoration) t.style.textDecoration = c.decoration;
        if (c.lineSpacing) t.style.lineHeight = 'calc(1.4em + ' + c.lineSpacing + ')';
        if (c.wrap && c.maxLines) { t.style.display = '-webkit-box'; t.style.webkitLineClamp = String(c.maxLines); t.style.webkitBoxOrient = 'vertical'; t.style.overflow = 'hidden'; }
        return withAction(t, c.action);
      }
      case 'image': {
        var wrap = el('div', 'fx-box');
        wrap.style.justifyContent = c.align === 'start' ? 'flex-start' : (c.align === 'end' ? 'flex-end' : 'center');
        var img = el('img', 'fx-image');
        img.src = safeUrl(c.url); img.alt = '';
        img.style.width = IMG_SIZE[c.size || 'md'] || c.size;
        if (c.aspectRatio && /^\d+(\.\d+)?:\d+(\.\d+)?$/.test(c.aspectRatio)) img.style.aspectRatio = c.aspectRatio.replace(':', ' / ');
        img.style.objectFit = c.aspectMode === 'cover' ? 'cover' : 'contain';
        if (c.backgroundColor) img.style.backgroundColor = c.backgroundColor;
        wrap.appendChild(img);
        return withAction(wrap, c.action);
      }
      case 'icon': {
        var ic = el('img', 'fx-icon'); ic.src = safeUrl(c.url); ic.alt = '';
        if (c.size) { ic.style.width = TEXT_SIZE[c.size] || c.size; ic.style.height = ic.style.width; }
        return ic;
      }
      case 'button': {
        var style = c.style || 'link';
        var b = el('button', 'fx-button ' + style + (c.height === 'sm' ? ' sm' : ''), (c.action && (c.action.label || c.action.text)) || 'ボタン');
        if (c.color) { if (style === 'link') b.style.color = c.color; else b.style.backgroundColor = c.color; }
        b.addEventListener('click', function (e) { e.stopPropagation(); doAction(c.action); });
        return b;
      }
      case 'separator': {
        var hr = el('hr', 'fx-separator' + (parentLayout === 'horizontal' || parentLayout === 'baseline' ? ' vertical' : ''));
        if (c.color) hr.style.borderColor = c.color;
        return hr;
      }
      case 'spacer': { var s = el('div'); s.style.flex = '0 0 ' + (sp(c.size) || '8px'); s.style.minHeight = sp(c.size) || '8px'; return s; }
      case 'filler': { var fl = el('div'); fl.style.flex = String(c.flex || 1); return fl; }
      case 'video': {
        return c.altContent ? renderComponent(c.altContent, parentLayout) : el('div', 'fx-text', '[動画]');
      }
      case 'span': return el('span', '', c.text || '');
      default: return el('div', 'fx-text', '');
    }
  }

  // ---- quick reply & actions ----------------------------------------------------------------
  function renderQuickReply(items) {
    var qr = $('quick-replies');
    items.forEach(function (it) {
      var a = it.action || {};
      var label = a.label || (a.type === 'location' ? '位置情報' : a.type === 'camera' ? 'カメラ' : a.type === 'cameraRoll' ? '写真' : 'ボタン');
      var chip = el('button', 'chip');
      if (it.imageUrl && safeUrl(it.imageUrl)) { var img = el('img'); img.src = safeUrl(it.imageUrl); img.alt = ''; chip.appendChild(img); }
      chip.appendChild(document.createTextNode(label));
      chip.addEventListener('click', function () { $('quick-replies').textContent = ''; doAction(a); });
      qr.appendChild(chip);
    });
  }
  function doAction(a) {
    if (!a || !state.current) return;
    switch (a.type) {
      case 'message': sendMessage({ type: 'text', text: a.text }); break;
      case 'postback': sendMessage({ type: 'postback', data: a.data, displayText: a.displayText || a.text }); break;
      case 'uri': openUri(a.uri); break;
      case 'datetimepicker': openDatetime(a); break;
      case 'location': openLocation(); break;
      case 'camera': case 'cameraRoll': $('image-input').click(); break;
      case 'richmenuswitch': sendMessage({ type: 'postback', data: a.data, params: { newRichMenuAliasId: a.richMenuAliasId, status: 'SUCCESS' } }); break;
      case 'clipboard': if (navigator.clipboard) navigator.clipboard.writeText(a.clipboardText || '').catch(function () {}); setStatus('クリップボードにコピーしました'); break;
      default: setStatus('未対応のアクション: ' + a.type, true);
    }
  }
  function sendMessage(body) {
    var userId = state.current;
    if (!userId) return Promise.resolve();
    setStatus('送信中…');
    return api('POST', '/sim/citizens/' + encodeURIComponent(userId) + '/messages', body).then(function (r) {
      setStatus(webhookText(r.webhook), !(r.webhook && r.webhook.ok));
      return loadConversation();
    }).catch(function (e) { setStatus('送信できませんでした: ' + e.message, true); });
  }

  // ---- LIFF overlay -------------------------------------------------------------------------
  function resolveLiff(uri) {
    var apps = state.config.liffApps || {};
    var m = /^https:\/\/liff\.line\.me\/([^\/?#]+)(.*)$/.exec(uri) || /^line:\/\/app\/([^\/?#]+)(.*)$/.exec(uri);
    if (m && apps[m[1]]) return { liffId: m[1], url: apps[m[1]].replace(/\/+$/, '') + m[2] };
    var ids = Object.keys(apps);
    for (var i = 0; i < ids.length; i++) if (apps[ids[i]] && uri.indexOf(apps[ids[i]]) === 0) return { liffId: ids[i], url: uri };
    return null;
  }
  function openUri(uri) {
    if (typeof uri !== 'string') return;
    var liff = resolveLiff(uri);
    if (liff) return openLiff(liff.liffId, liff.url);
    if (/^tel:/.test(uri)) { setStatus('電話: ' + uri.slice(4)); return; }
    openExternal(uri);
  }
  function openExternal(uri) {
    if (!/^(https?:|mailto:)/i.test(uri || '')) { setStatus('開けないURL: ' + uri, true); return; }
    window.open(uri, '_blank', 'noopener');
  }
  function openLiff(liffId, url) {
    var userId = state.current;
    return api('POST', '/sim/liff/token', { userId: userId }).then(function (r) {
      var base = url.split('#')[0];
      var full = base + '#sim_id_token=' + encodeURIComponent(r.idToken) + '&sim_liff_id=' + encodeURIComponent(liffId);
      $('liff-title').textContent = 'LIFF ' + liffId + ' — ' + base;
      $('liff-frame').src = full;
      $('liff-overlay').hidden = false;
    }).catch(function (e) { setStatus('LIFFを開けませんでした: ' + e.message, true); });
  }
  function closeLiff() {
    $('liff-overlay').hidden = true;
    $('liff-frame').src = 'about:blank';
  }

  // ---- dialogs --------------------------------------------------------------------------------
  function openLocation() { $('location-modal').hidden = false; }
  var pendingDatetime = null;
  function openDatetime(a) {
    pendingDatetime = a;
    var input = $('dt-input');
    input.type = a.mode === 'date' ? 'date' : (a.mode === 'time' ? 'time' : 'datetime-local');
    input.value = a.initial || '';
    if (a.min) input.min = a.min; else input.removeAttribute('min');
    if (a.max) input.max = a.max; else input.removeAttribute('max');
    $('dt-title').textContent = a.label || '日時を選択';
    $('dt-modal').hidden = false;
  }

  // ---- rich menu ------------------------------------------------------------------------------
  function loadRichMenu() {
    var box = $('richmenu');
    if (!state.current) { box.textContent = ''; return; }
    api('GET', '/sim/citizens/' + encodeURIComponent(state.current) + '/richmenu').then(function (rm) {
      box.textContent = '';
      if (!rm) return;
      var bar = el('button', 'bar', (rm.chatBarText || 'メニュー') + (state.richMenuOpen ? ' ▼' : ' ▲'));
      bar.addEventListener('click', function () { state.richMenuOpen = !state.richMenuOpen; loadRichMenu(); });
      box.appendChild(bar);
      if (!state.richMenuOpen) return;
      var menu = el('div', 'menu' + (rm.imageUrl ? '' : ' noimg'));
      var w = (rm.size && rm.size.width) || 2500, h = (rm.size && rm.size.height) || 1686;
      if (rm.imageUrl) { var img = el('img'); img.src = rm.imageUrl; img.alt = rm.name || ''; menu.appendChild(img); }
      else menu.style.aspectRatio = w + ' / ' + h;
      (rm.areas || []).forEach(function (area) {
        var b = area.bounds || {};
        var btn = el('button', 'area', rm.imageUrl ? '' : ((area.action && (area.action.label || area.action.text || area.action.data)) || ''));
        btn.title = (area.action && (area.action.label || area.action.text || area.action.uri || area.action.data)) || '';
        btn.style.left = (100 * b.x / w) + '%'; btn.style.top = (100 * b.y / h) + '%';
        btn.style.width = (100 * b.width / w) + '%'; btn.style.height = (100 * b.height / h) + '%';
        btn.addEventListener('click', function () { doAction(area.action); });
        menu.appendChild(btn);
      });
      box.appendChild(menu);
      scrollToBottom();
    }).catch(function () { box.textContent = ''; });
  }

  // ---- wiring ---------------------------------------------------------------------------------
  function init() {
    var sel = $('lang-select');
    Object.keys(LANGS).forEach(function (k) { var o = el('option', '', LANGS[k]); o.value = k; sel.appendChild(o); });
    $('add-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var name = $('name-input').value.trim();
      if (!name) return;
      api('POST', '/sim/citizens', { displayName: name, language: sel.value }).then(function (r) {
        $('name-input').value = '';
        return loadCitizens().then(function () { selectCitizen(r.citizen.userId); setStatus('友だち追加しました。' + webhookText(r.webhook), r.webhook && !r.webhook.ok); });
      }).catch(function (err) { setStatus('追加できませんでした: ' + err.message, true); });
    });
    var searchTimer = null;
    $('search-input').addEventListener('input', function () { clearTimeout(searchTimer); searchTimer = setTimeout(loadCitizens, 250); });
    $('composer').addEventListener('submit', function (e) {
      e.preventDefault();
      var input = $('text-input');
      var text = input.value;
      if (!text.trim()) return;
      input.value = '';
      sendMessage({ type: 'text', text: text });
    });
    $('image-btn').addEventListener('click', function () { $('image-input').click(); });
    $('image-input').addEventListener('change', function () {
      var f = this.files && this.files[0];
      if (!f) return;
      var reader = new FileReader();
      reader.onload = function () {
        var s = String(reader.result);
        sendMessage({ type: 'image', contentBase64: s.slice(s.indexOf(',') + 1), contentType: f.type || 'image/jpeg' });
      };
      reader.readAsDataURL(f);
      this.value = '';
    });
    $('location-btn').addEventListener('click', openLocation);
    $('location-form').addEventListener('submit', function (e) {
      e.preventDefault();
      $('location-modal').hidden = true;
      sendMessage({ type: 'location', title: $('loc-title').value || undefined, address: $('loc-address').value, latitude: Number($('loc-lat').value), longitude: Number($('loc-lng').value) });
    });
    $('location-cancel').addEventListener('click', function () { $('location-modal').hidden = true; });
    $('dt-form').addEventListener('submit', function (e) {
      e.preventDefault();
      $('dt-modal').hidden = true;
      var a = pendingDatetime; pendingDatetime = null;
      if (!a) return;
      var v = $('dt-input').value;
      var params = {};
      params[a.mode === 'date' ? 'date' : (a.mode === 'time' ? 'time' : 'datetime')] = v;
      sendMessage({ type: 'postback', data: a.data, params: params });
    });
    $('dt-cancel').addEventListener('click', function () { $('dt-modal').hidden = true; pendingDatetime = null; });
    $('block-btn').addEventListener('click', function () {
      var c = currentCitizen();
      if (!c) return;
      var action = c.blocked || !c.following ? 'unblock' : 'block';
      api('POST', '/sim/citizens/' + encodeURIComponent(c.userId) + '/' + action).then(function (r) {
        setStatus((action === 'block' ? 'ブロックしました。' : 'ブロックを解除しました。') + webhookText(r.webhook), r.webhook && !r.webhook.ok);
        return loadCitizens().then(renderHeader);
      }).catch(function (err) { setStatus(err.message, true); });
    });
    $('liff-close').addEventListener('click', closeLiff);
    // liff.closeWindow() inside the overlay: the LIFF page posts this message to its parent.
    window.addEventListener('message', function (e) {
      if (e.source === $('liff-frame').contentWindow && e.data && e.data.type === 'liff.closeWindow') closeLiff();
    });
    api('GET', '/sim/config').then(function (cfg) { state.config = cfg; }).catch(function () {});
    loadCitizens().then(function () {
      renderHeader();
      renderConversation();
      var m = /(?:^#|&)citizen=(U[0-9a-f]{32})/.exec(location.hash);
      if (m) selectCitizen(m[1]);
      else if (state.citizens.length && !state.current) selectCitizen(state.citizens[0].userId);
    });
    connectStream();
  }
  function connectStream() {
    if (!window.EventSource) return;
    var es = new EventSource('/sim/stream');
    es.onmessage = function (ev) {
      var d;
      try { d = JSON.parse(ev.data); } catch (e) { return; }
      if (d.type === 'citizen') {
        var found = false;
        state.citizens = state.citizens.map(function (c) { if (c.userId === d.citizen.userId) { found = true; return d.citizen; } return c; });
        if (!found) state.citizens.unshift(d.citizen);
        renderCitizens();
        if (d.citizen.userId === state.current) { renderHeader(); loadRichMenu(); }
      } else if (d.type === 'citizens') {
        loadCitizens();
      } else if (d.type === 'received') {
        if (state.current && (d.userIds === null || d.userIds.indexOf(state.current) >= 0)) loadConversation();
      } else if (d.type === 'sent') {
        if (d.userId === state.current) loadConversation();
      } else if (d.type === 'richmenu') {
        loadRichMenu();
      } else if (d.type === 'reset') {
        state.current = null; state.conv = [];
        loadCitizens().then(function () { renderHeader(); renderConversation(); loadRichMenu(); });
      }
    };
  }
  window.__lineSim = { state: state, selectCitizen: selectCitizen, doAction: doAction, resolveLiff: resolveLiff };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
`;
