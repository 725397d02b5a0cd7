// The page's DOM: renders the model (batched per frame), shows the connection state, forwards user input.
import { paintAvatar } from './format.js';
import { renderBrowse, renderChannels, renderDms, renderMembers } from './render-lists.js';
import { isAtBottom, renderMessages } from './render-messages.js';

/** The server's limit (examples/chat/lib/validate.mjs LIMITS.messageMaxChars), in UTF-16 units as it counts. */
export const MESSAGE_MAX_CHARS = 2000;
/** The counter appears this close to the limit. */
const COUNTER_FROM = 1500;
const number = new Intl.NumberFormat('en-US');

/**
 * Cuts a long text into messages the server accepts, at a line break or a space when one is near the end.
 * @param {string} text @returns {string[]}
 */
export function splitMessage(text, max = MESSAGE_MAX_CHARS) {
  const parts = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Never between the two halves of a surrogate pair.
    if (cut === max && /[\uD800-\uDBFF]/.test(rest[cut - 1])) cut -= 1;
    const part = rest.slice(0, cut).trim();
    if (part !== '') parts.push(part);
    rest = rest.slice(cut);
  }
  if (rest.trim() !== '') parts.push(rest.trim());
  return parts;
}
const CONNECTION_LABELS = {
  connecting: () => 'Connecting…',
  connected: () => 'Connected',
  reconnecting: ({ attempt }) => (attempt ? `Reconnecting (attempt ${attempt})…` : 'Reconnecting…'),
  offline: () => 'Offline',
  kicked: () => 'Disconnected by the server',
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
      const followed = renderMessages(
        messages,
        conversation,
        (id) => actions.retry(id),
        (user) => model.current(user),
      );
      if (switched) messages.scrollTop = messages.scrollHeight;
      // The reader scrolled up to read; offer a way down instead of yanking the view.
      $('jump').hidden = switched || followed;
      renderedKey = conversation?.key ?? null;
      renderedVersion = conversation?.version ?? -1;
    }
    renderTyping();
    const unread = model
      .list('channel')
      .concat(model.list('dm'))
      .reduce((sum, c) => sum + c.unread, 0);
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${conversation ? `${conversation.title} — ` : ''}Switchboard Chat`;
  }

  function renderTyping() {
    const key = model.activeKey;
    const names = key === null ? [] : model.typistsIn(key).map((user) => user.nickname);
    $('typing').textContent =
      names.length === 0
        ? ''
        : names.length === 1
          ? `${names[0]} is typing…`
          : names.length <= 3
            ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`
            : 'Several people are typing…';
  }

  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(render);
  };
  model.onChange(schedule);
  // Typing notices expire on their own; refresh the line even when no event arrives.
  setInterval(renderTyping, 1000);

  function showBanner(text, kicked) {
    const banner = $('banner');
    banner.dataset.kind = kicked ? 'kicked' : 'notice';
    $('banner-text').textContent = text;
    $('banner-rejoin').hidden = !kicked;
    $('banner-close').hidden = kicked;
    banner.hidden = false;
  }

  function setPanel(panel) {
    if (panel === null) delete app.dataset.panel;
    else app.dataset.panel = panel;
    $('scrim').hidden = panel === null;
  }

  function autoGrow() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 180)}px`;
  }

  function clearComposer() {
    input.value = '';
    autoGrow();
    updateCounter();
    messages.scrollTop = messages.scrollHeight;
  }

  /** Shows how long the message is near and over the limit; over it, says so and offers to split. */
  function updateCounter() {
    const length = input.value.trim().length;
    const count = $('composer-count');
    count.hidden = length < COUNTER_FROM;
    count.textContent = `${number.format(length)} / ${number.format(MESSAGE_MAX_CHARS)}`;
    count.classList.toggle('over', length > MESSAGE_MAX_CHARS);
    if (length <= MESSAGE_MAX_CHARS) $('composer-error').hidden = true;
  }

  function submitMessage() {
    const text = input.value.trim();
    if (text === '') return;
    if (text.length > MESSAGE_MAX_CHARS) {
      // Never cut silently: say what is wrong and offer the one fix that keeps every character.
      const parts = splitMessage(text).length;
      $('composer-error-text').textContent =
        `Not sent: this message is ${number.format(text.length)} characters and the limit is ${number.format(MESSAGE_MAX_CHARS)}. ` +
        'Shorten it, or send it as several messages.';
      $('composer-split').textContent = `Send as ${parts} messages`;
      $('composer-error').hidden = false;
      return;
    }
    actions.send(text);
    clearComposer();
  }

  function sendSplit() {
    for (const part of splitMessage(input.value.trim())) actions.send(part);
    $('composer-error').hidden = true;
    clearComposer();
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
      $('composer-split').addEventListener('click', sendSplit);
      $('banner-close').addEventListener('click', () => ($('banner').hidden = true));
      $('banner-rejoin').addEventListener('click', () => chatActions.rejoin());
      joinInput.addEventListener('input', () => this.clearError());
      input.addEventListener('input', () => {
        autoGrow();
        updateCounter();
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
      $('composer-hint').hidden = state === 'connected' || state === 'connecting' || state === 'kicked';
      if (state === 'kicked') {
        // The server will not take us back on its own: say so, and make coming back one click.
        showBanner(
          'The server (an administrator) disconnected you from the chat. ' +
            'Messages you write are kept and delivered when you rejoin.',
          true,
        );
      } else if ($('banner').dataset.kind === 'kicked') {
        $('banner').hidden = true;
      }
    },

    /** A one-off message to the user (e.g. removed from a channel), until dismissed. */
    showNotice(text) {
      showBanner(text, false);
    },

    clearError() {
      clearTimeout(errorTimer);
      $('join-error').textContent = '';
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
