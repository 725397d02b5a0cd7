// The page's DOM: renders the model (batched per frame), shows the connection state, forwards user input.
import { paintAvatar } from './format.js';
import { renderBrowse, renderChannels, renderDms, renderMembers } from './render-lists.js';
import { isAtBottom, renderMessages } from './render-messages.js';

const CONNECTION_LABELS = {
  connecting: () => 'Connecting…',
  connected: () => 'Connected',
  reconnecting: ({ attempt }) => (attempt ? `Reconnecting (attempt ${attempt})…` : 'Reconnecting…'),
  offline: () => 'Offline',
};

/** @param {import('./chat-model.js').ChatModel} model */
export function createView(model) {
  const $ = (id) => document.getElementById(id);
  const app = $('app');
  const messages = $('messages');
  const composer = $('composer');
  const input = $('composer-input');
  const joinInput = $('join-input');
  let actions;
  let frame = 0;
  let renderedKey = null;
  let renderedVersion = -1;
  let errorTimer;

  function render() {
    frame = 0;
    const conversation = model.active;
    $('conversation-name').textContent = conversation?.title ?? '';
    $('conversation-meta').textContent = !conversation
      ? ''
      : conversation.kind === 'channel'
        ? `${conversation.members.length} online`
        : 'Private conversation';
    input.placeholder = conversation ? `Message ${conversation.title}` : 'Join a channel to start';
    renderChannels($('channel-list'), model, actions);
    renderDms($('dm-list'), model, actions);
    $('dm-hint').hidden = model.list('dm').length > 0;
    const others = renderBrowse($('browse-list'), model, actions);
    $('browse-title').hidden = others === 0;
    $('members-title').textContent = renderMembers($('member-list'), model, actions);
    if (conversation?.key !== renderedKey || conversation?.version !== renderedVersion) {
      const switched = conversation?.key !== renderedKey;
      const followed = renderMessages(messages, conversation, (id) => actions.retry(id));
      if (switched) messages.scrollTop = messages.scrollHeight;
      // The reader scrolled up to read; offer a way down instead of yanking the view.
      $('jump').hidden = switched || followed;
      renderedKey = conversation?.key ?? null;
      renderedVersion = conversation?.version ?? -1;
    }
    renderTyping();
    const unread = model.list('channel').concat(model.list('dm')).reduce((sum, c) => sum + c.unread, 0);
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${conversation ? `${conversation.title} — ` : ''}Switchboard Chat`;
  }

  function renderTyping() {
    const key = model.activeKey;
    const names = key === null ? [] : model.typistsIn(key).map((user) => user.nickname);
    $('typing').textContent =
      names.length === 0 ? '' :
      names.length === 1 ? `${names[0]} is typing…` :
      names.length <= 3 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…` :
      'Several people are typing…';
  }

  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(render);
  };
  model.onChange(schedule);
  // Typing notices expire on their own; refresh the line even when no event arrives.
  setInterval(renderTyping, 1000);

  function setPanel(panel) {
    if (panel === null) delete app.dataset.panel;
    else app.dataset.panel = panel;
    $('scrim').hidden = panel === null;
  }

  function autoGrow() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 180)}px`;
  }

  function submitMessage() {
    const text = input.value.trim();
    if (text === '') return;
    actions.send(text);
    input.value = '';
    autoGrow();
    messages.scrollTop = messages.scrollHeight;
  }

  return {
    /** @param {ReturnType<import('./chat-actions.js').createChatActions> & { changeNickname: () => void }} chatActions */
    bind(chatActions) {
      actions = {
        ...chatActions,
        open: (key) => {
          setPanel(null);
          chatActions.open(key);
          input.focus({ preventScroll: true });
        },
        message: (user) => {
          setPanel(null);
          chatActions.message(user);
        },
      };
      messages.addEventListener('scroll', () => {
        if (isAtBottom(messages)) $('jump').hidden = true;
      });
      $('jump').addEventListener('click', () => {
        messages.scrollTo({ top: messages.scrollHeight, behavior: 'smooth' });
      });
      composer.addEventListener('submit', (event) => {
        event.preventDefault();
        submitMessage();
      });
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          submitMessage();
        }
      });
      input.addEventListener('input', () => {
        autoGrow();
        if (input.value.trim() !== '') actions.typing();
      });
      $('join-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const name = joinInput.value.trim().replace(/^#/, '').toLowerCase();
        if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) {
          this.showError('Channel names are 1–32 lower-case letters, digits, dashes or underscores.');
          return;
        }
        joinInput.value = '';
        void actions.join(name).then((joined) => joined && setPanel(null));
      });
      $('change-nickname').addEventListener('click', () => chatActions.changeNickname());
      $('open-sidebar').addEventListener('click', () => setPanel('sidebar'));
      $('open-members').addEventListener('click', () => setPanel('members'));
      $('close-sidebar').addEventListener('click', () => setPanel(null));
      $('close-members').addEventListener('click', () => setPanel(null));
      $('scrim').addEventListener('click', () => setPanel(null));
      document.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') setPanel(null);
      });
      this.showMe();
      schedule();
    },

    showMe() {
      paintAvatar($('me-avatar'), model.me);
      $('me-name').textContent = model.me.nickname;
    },

    /** @param {import('./connection.js').ConnectionState} state */
    showConnection(state, detail) {
      const element = $('connection');
      element.dataset.state = state;
      $('connection-label').textContent = CONNECTION_LABELS[state](detail);
      $('composer-hint').hidden = state === 'connected' || state === 'connecting';
    },

    /** Reads a new message out to screen readers (the list itself is re-rendered, so it cannot be a live region). */
    announce(text) {
      $('announcer').textContent = text;
    },

    showError(text) {
      const error = $('join-error');
      error.textContent = text;
      clearTimeout(errorTimer);
      errorTimer = setTimeout(() => (error.textContent = ''), 6000);
    },
  };
}
