// The Switchboard dashboard: connects to the admin namespace, renders the once-a-second overview and asks the
// server for one page of sockets or rooms at a time (the server aggregates; the page never holds every socket).
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('sb-config').textContent);
  const SESSION_KEY = 'sb-admin-session';
  const PAGE_SIZE = 25;
  const CHART_WINDOW_MS = 120000;
  const MAX_EVENTS = 200;
  const $ = (id) => document.getElementById(id);

  const state = {
    features: [],
    readonly: true,
    servers: new Map(), // serverId -> { overview, lastSeen, history: [] }
    credentials: null,
    sockets: { offset: 0, total: 0, nsp: '', room: '', search: '' },
    rooms: { search: '' },
  };

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null && value !== false)
        node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat())
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  const fmt = new Intl.NumberFormat('en-US');
  function formatBytes(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + ' MB';
    if (bytes >= 1024) return (bytes / 1024).toFixed(1) + ' kB';
    return bytes + ' B';
  }
  function formatDuration(seconds) {
    seconds = Math.floor(seconds);
    if (seconds < 60) return seconds + 's';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm ' + (seconds % 60) + 's';
    if (seconds < 86400) return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
    return Math.floor(seconds / 86400) + 'd ' + Math.floor((seconds % 86400) / 3600) + 'h';
  }
  const clock = (t) => new Date(t).toLocaleTimeString([], { hour12: false });

  // ---- connection and login ----
  const socket = io(config.namespaceName, {
    path: config.socketPath,
    autoConnect: false,
    auth: (cb) => {
      const sessionId = sessionStorage.getItem(SESSION_KEY);
      if (state.credentials) cb({ client: 'switchboard', ...state.credentials });
      else cb(sessionId ? { client: 'switchboard', sessionId } : { client: 'switchboard' });
    },
  });

  function setStatus(kind, label) {
    const status = $('status');
    status.className = 'status status-' + kind;
    status.textContent = label;
  }
  function showLogin(message) {
    $('dashboard').hidden = true;
    $('login').hidden = false;
    $('logout').hidden = true;
    $('login-error').hidden = !message;
    $('login-error').textContent = message || '';
    setStatus('disconnected', 'signed out');
    $('username').focus();
  }

  socket.on('connect', () => {
    setStatus('connected', 'connected');
    // A reload signs in with the stored session and gets no new 'session' event: the session is what says
    // there is something to log out of.
    $('logout').hidden = !sessionStorage.getItem(SESSION_KEY);
    $('login').hidden = true;
    $('dashboard').hidden = false;
    refreshSockets();
    refreshRooms();
  });
  socket.on('disconnect', (reason) => setStatus('disconnected', 'disconnected (' + reason + ')'));
  socket.on('connect_error', (err) => {
    if (err.message === 'invalid credentials') {
      const attempted = state.credentials !== null;
      state.credentials = null;
      sessionStorage.removeItem(SESSION_KEY);
      showLogin(attempted ? 'Wrong username or password.' : '');
    } else {
      setStatus('disconnected', 'cannot connect: ' + err.message);
    }
  });
  socket.on('session', (sessionId) => {
    sessionStorage.setItem(SESSION_KEY, sessionId);
    state.credentials = null; // reconnections use the session from now on
    $('logout').hidden = false;
  });
  socket.on('config', (cfg) => {
    state.features = cfg.supportedFeatures || [];
    state.readonly = !state.features.includes('DISCONNECT');
    $('readonly-badge').hidden = !state.readonly;
    $('mode-badge').hidden = !cfg.mode;
    $('mode-badge').textContent = cfg.mode || '';
    const streaming = state.features.includes('ALL_EVENTS');
    $('events-note').textContent = streaming ? 'sampled, up to 50 per second' : 'off in production mode';
    const placeholder = $('events').querySelector('.placeholder');
    if (placeholder)
      placeholder.textContent = streaming
        ? 'Waiting for events…'
        : 'The event stream is off in production mode (counts only).';
    document.body.classList.toggle('readonly', state.readonly);
    for (const col of document.querySelectorAll('th.actions-col')) col.hidden = state.readonly;
  });
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.credentials = { username: $('username').value, password: $('password').value };
    $('login-error').hidden = true;
    setStatus('connecting', 'signing in…');
    socket.connect();
  });
  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem(SESSION_KEY);
    socket.disconnect();
    showLogin('');
  });

  // ---- overview, charts, servers, namespaces ----
  socket.on('sb:history', (serverId, history) => {
    const server = state.servers.get(serverId) || { overview: null, lastSeen: 0, history: [] };
    server.history = history.slice();
    state.servers.set(serverId, server);
  });
  socket.on('sb:overview', (overview) => {
    const server = state.servers.get(overview.serverId) || { overview: null, lastSeen: 0, history: [] };
    server.overview = overview;
    server.lastSeen = Date.now();
    if (server.history.at(-1)?.t !== overview.sample.t) server.history.push(overview.sample);
    if (server.history.length > 130) server.history.shift();
    state.servers.set(overview.serverId, server);
    addEvents(overview.activity);
    scheduleRender();
  });

  let renderPending = false;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      renderOverview();
    });
  }

  function liveServers() {
    const now = Date.now();
    return [...state.servers.values()].filter((s) => s.overview && now - s.lastSeen < 10000);
  }

  function sumSeries(servers, pick) {
    const buckets = new Map();
    for (const s of servers)
      for (const p of s.history) {
        const t = Math.round(p.t / 1000) * 1000;
        buckets.set(t, (buckets.get(t) || 0) + pick(p));
      }
    return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
  }

  function renderOverview() {
    const servers = liveServers();
    let clients = 0,
      polling = 0,
      sockets = 0,
      rooms = 0,
      packetsIn = 0,
      packetsOut = 0,
      bytes = 0;
    const namespaces = new Map();
    for (const { overview: o } of servers) {
      clients += o.clientsCount;
      polling += o.pollingClientsCount;
      packetsIn += o.sample.packetsIn;
      packetsOut += o.sample.packetsOut;
      bytes += o.sample.bytesIn + o.sample.bytesOut;
      for (const n of o.namespaces) {
        const agg = namespaces.get(n.name) || { sockets: 0, rooms: 0 };
        agg.sockets += n.socketsCount;
        agg.rooms += n.roomsCount;
        namespaces.set(n.name, agg);
        if (n.name !== config.namespaceName) {
          sockets += n.socketsCount;
          rooms += n.roomsCount;
        }
      }
    }
    $('stat-servers').textContent = fmt.format(servers.length);
    $('stat-clients').textContent = fmt.format(clients);
    $('stat-polling').textContent = polling ? fmt.format(polling) + ' on HTTP long-polling' : 'all on WebSocket';
    $('stat-sockets').textContent = fmt.format(sockets);
    $('stat-rooms').textContent = fmt.format(rooms);
    $('stat-packets').textContent = fmt.format(packetsIn + packetsOut);
    $('stat-bytes').textContent =
      fmt.format(packetsIn) + ' in · ' + fmt.format(packetsOut) + ' out · ' + formatBytes(bytes) + '/s';

    SbCharts.drawLineChart(
      $('chart-clients'),
      [{ color: '#2563eb', points: sumSeries(servers, (p) => p.clients) }],
      CHART_WINDOW_MS,
    );
    SbCharts.drawLineChart(
      $('chart-packets'),
      [
        { color: '#2563eb', points: sumSeries(servers, (p) => p.packetsIn) },
        { color: '#0d9488', points: sumSeries(servers, (p) => p.packetsOut) },
      ],
      CHART_WINDOW_MS,
    );

    $('servers-body').replaceChildren(
      ...servers.map(({ overview: o, lastSeen }) =>
        h(
          'tr',
          {},
          h('td', {}, h('strong', {}, o.serverId)),
          h('td', { class: 'mono' }, o.hostname + ' / ' + o.pid),
          h('td', {}, formatDuration(o.uptime)),
          h('td', { class: 'num' }, fmt.format(o.clientsCount)),
          h('td', { class: 'muted' }, clock(lastSeen)),
        ),
      ),
    );

    const select = $('sockets-nsp');
    const names = [...namespaces.keys()].sort();
    if (select.options.length - 1 !== names.length) {
      select.replaceChildren(
        h('option', { value: '' }, 'All namespaces'),
        ...names.map((n) => h('option', { value: n }, n)),
      );
      select.value = state.sockets.nsp;
    }
    $('namespaces-body').replaceChildren(
      ...names.map((name) => {
        const agg = namespaces.get(name);
        return h(
          'tr',
          {},
          h(
            'td',
            { class: 'mono' },
            name,
            name === config.namespaceName ? h('span', { class: 'muted' }, '  (admin)') : null,
          ),
          h('td', { class: 'num' }, fmt.format(agg.sockets)),
          h('td', { class: 'num' }, fmt.format(agg.rooms)),
        );
      }),
    );
  }

  function addEvents(activity) {
    if (!state.features.includes('ALL_EVENTS') || !activity) return;
    const list = $('events');
    list.querySelector('.placeholder')?.remove();
    const items = activity.entries
      .filter((e) => e.nsp !== config.namespaceName)
      .map((e) =>
        h(
          'li',
          {},
          h('span', { class: 'muted' }, clock(e.t)),
          h('span', { class: 'kind kind-' + e.kind }, e.kind),
          h(
            'span',
            { class: 'args', title: e.args || '' },
            h('code', {}, e.socketId),
            ' ',
            e.detail,
            e.args ? ' ' + e.args : '',
          ),
        ),
      );
    if (activity.dropped > 0)
      items.push(
        h(
          'li',
          {},
          h('span', {}),
          h('span', { class: 'muted' }, '…'),
          h('span', { class: 'muted' }, fmt.format(activity.dropped) + ' more events this second'),
        ),
      );
    list.prepend(...items.reverse());
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  }

  // ---- sockets and rooms, one page at a time ----
  let socketsRequest = 0;
  function refreshSockets() {
    if (!socket.connected) return;
    const id = ++socketsRequest;
    const s = state.sockets;
    socket
      .timeout(10000)
      .emit(
        'sb:sockets_page',
        { nsp: s.nsp, room: s.room, search: s.search, offset: s.offset, limit: PAGE_SIZE },
        (err, page) => {
          if (err || id !== socketsRequest) return;
          renderSockets(page);
        },
      );
  }

  function action(label, className, onClick) {
    return h('button', { class: 'btn btn-sm ' + className, type: 'button', onclick: onClick }, label);
  }

  /** `socket.data` as "key: value" lines, nested objects flattened ("user.nickname: Ada"), as many as fit. */
  function dataEntries(data, prefix = '', out = []) {
    if (data === null || typeof data !== 'object') return out;
    for (const [key, value] of Object.entries(data)) {
      if (out.length >= 8) break;
      const path = prefix + key;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) dataEntries(value, path + '.', out);
      else out.push([path, typeof value === 'string' ? value : JSON.stringify(value)]);
    }
    return out;
  }

  function dataCell(data) {
    const entries = dataEntries(data);
    if (entries.length === 0) return h('td', { class: 'muted data-cell' }, '—');
    return h(
      'td',
      { class: 'data-cell', title: JSON.stringify(data, null, 2) },
      entries.map(([key, value]) =>
        h('div', { class: 'data-entry' }, h('span', { class: 'muted' }, key + ': '), h('span', { dir: 'auto' }, value)),
      ),
    );
  }

  function renderSockets(page) {
    const s = state.sockets;
    s.total = page.total;
    const rows = page.sockets.map((sock) => {
      const rooms = sock.rooms.map((room) =>
        room === sock.id
          ? h('span', { class: 'chip chip-self', title: 'its own room' }, 'self')
          : h(
              'span',
              { class: 'chip', 'data-room': room },
              room,
              state.readonly
                ? null
                : h(
                    'button',
                    {
                      type: 'button',
                      title: 'Leave ' + room,
                      'aria-label': 'Leave ' + room,
                      onclick: () => {
                        socket.emit('leave', sock.nsp, room, sock.id);
                        later(refreshSockets);
                      },
                    },
                    '×',
                  ),
            ),
      );
      return h(
        'tr',
        { 'data-socket-id': sock.id },
        h('td', {}, h('code', {}, sock.id), h('div', { class: 'muted mono' }, 'client ' + sock.clientId)),
        dataCell(sock.data),
        h('td', { class: 'mono' }, sock.nsp),
        h('td', { class: 'mono' }, sock.handshake.address),
        h('td', {}, h('span', { class: 'transport transport-' + sock.transport }, sock.transport)),
        h('td', {}, rooms),
        h(
          'td',
          { class: 'muted', title: sock.handshake.time },
          formatDuration((Date.now() - sock.handshake.issued) / 1000) + ' ago',
        ),
        state.readonly
          ? null
          : h(
              'td',
              { class: 'actions-col' },
              h(
                'div',
                { class: 'row-actions' },
                action('Join…', 'btn-ghost', () => openJoin(sock)),
                action('Disconnect', 'btn-danger', () => {
                  socket.emit('_disconnect', sock.nsp, false, sock.id);
                  later(refreshSockets);
                }),
              ),
            ),
      );
    });
    $('sockets-body').replaceChildren(
      ...(rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 8 }, 'No sockets match.'))]),
    );
    const end = Math.min(s.offset + page.sockets.length, s.total);
    $('sockets-range').textContent =
      s.total === 0
        ? '0 sockets'
        : `${fmt.format(s.offset + 1)}–${fmt.format(end)} of ${fmt.format(s.total)} sockets ${page.servers > 1 ? 'across ' + page.servers + ' servers' : 'on ' + page.serverId}`;
    $('sockets-prev').disabled = s.offset === 0;
    $('sockets-next').disabled = end >= s.total;
  }

  function refreshRooms() {
    if (!socket.connected) return;
    socket.timeout(10000).emit('sb:rooms_page', { search: state.rooms.search, limit: 20 }, (err, page) => {
      if (err) return;
      const rows = page.rooms.map((room) =>
        h(
          'tr',
          { 'data-room': room.name },
          h(
            'td',
            {},
            h(
              'button',
              {
                class: 'chip',
                type: 'button',
                title: 'Show its sockets',
                onclick: () => {
                  $('sockets-room').value = room.name;
                  state.sockets.room = room.name;
                  state.sockets.offset = 0;
                  refreshSockets();
                },
              },
              room.name,
            ),
          ),
          h('td', { class: 'mono' }, room.nsp),
          h('td', { class: 'num' }, fmt.format(room.size)),
          state.readonly
            ? null
            : h(
                'td',
                { class: 'actions-col' },
                h(
                  'div',
                  { class: 'row-actions' },
                  action('Disconnect all', 'btn-danger', () => {
                    if (confirm(`Disconnect the ${room.size} socket(s) in room "${room.name}"?`)) {
                      socket.emit('_disconnect', room.nsp, false, room.name);
                      later(refreshAll);
                    }
                  }),
                ),
              ),
        ),
      );
      $('rooms-body').replaceChildren(
        ...(rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 4 }, 'No rooms.'))]),
      );
      $('rooms-range').textContent =
        page.total > page.rooms.length
          ? `largest ${page.rooms.length} of ${fmt.format(page.total)} rooms`
          : `${fmt.format(page.total)} rooms`;
    });
  }

  function refreshAll() {
    refreshSockets();
    refreshRooms();
  }
  function later(fn) {
    setTimeout(fn, 250);
  }

  let joinTarget = null;
  function openJoin(sock) {
    joinTarget = sock;
    $('join-target').textContent = 'Socket ' + sock.id + ' in ' + sock.nsp;
    $('join-room').value = '';
    $('join-dialog').showModal();
  }
  $('join-dialog').addEventListener('close', () => {
    const room = $('join-room').value.trim();
    if ($('join-dialog').returnValue === 'join' && joinTarget && room) {
      socket.emit('join', joinTarget.nsp, room, joinTarget.id);
      later(refreshAll);
    }
    joinTarget = null;
  });

  let searchTimer;
  function onFilter() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      Object.assign(state.sockets, {
        nsp: $('sockets-nsp').value,
        room: $('sockets-room').value.trim(),
        search: $('sockets-search').value.trim(),
        offset: 0,
      });
      refreshSockets();
    }, 200);
  }
  $('sockets-nsp').addEventListener('change', onFilter);
  $('sockets-room').addEventListener('input', onFilter);
  $('sockets-search').addEventListener('input', onFilter);
  $('rooms-search').addEventListener('input', () => {
    state.rooms.search = $('rooms-search').value.trim();
    refreshRooms();
  });
  $('sockets-prev').addEventListener('click', () => {
    state.sockets.offset = Math.max(0, state.sockets.offset - PAGE_SIZE);
    refreshSockets();
  });
  $('sockets-next').addEventListener('click', () => {
    state.sockets.offset += PAGE_SIZE;
    refreshSockets();
  });

  // The visible page is re-read every 2 s: the cost is one page, whatever the number of sockets.
  setInterval(() => {
    if (!document.hidden) refreshAll();
  }, 2000);
  setStatus('connecting', 'connecting…');
  socket.connect();
})();
