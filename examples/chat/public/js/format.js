// Presentation helpers: times, avatar initials and colours, safe link detection.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'short', day: 'numeric' });

export const formatTime = (ts) => timeFormat.format(new Date(ts));
export const formatDay = (ts) => dayFormat.format(new Date(ts));

/** @returns {string} up to two initials */
export function initials(nickname) {
  const words = nickname
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[1]].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** @returns {number} a hue derived from the user id, so a person keeps their colour */
export function hueOf(id) {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/** Twelve hues 30° apart: far enough that two people never look alike. */
const HUE_SLOTS = 12;
/** @type {Map<string, number>} user id -> slot, in the order people appear on this page */
const slotOf = new Map();
/** @type {Set<number>} */
const takenSlots = new Set();

/**
 * A person's hue on this page: the slot their id hashes to, or the next free one if someone else has it, so the
 * first twelve people seen all get different colours (a raw hash gives near-identical hues to many pairs).
 * @returns {number}
 */
export function avatarHue(id) {
  let slot = slotOf.get(id);
  if (slot === undefined) {
    slot = hueOf(id) % HUE_SLOTS;
    for (let i = 0; i < HUE_SLOTS && takenSlots.has(slot); i++) slot = (slot + 1) % HUE_SLOTS;
    slotOf.set(id, slot);
    takenSlots.add(slot);
  }
  return slot * (360 / HUE_SLOTS) + 15;
}

/** Fills `avatar` (a span) with the user's initials and colour. */
export function paintAvatar(avatar, user) {
  avatar.textContent = initials(user.nickname);
  avatar.style.setProperty('--hue', String(avatarHue(user.id)));
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/**
 * Appends `text` to `parent` as text nodes, turning http(s) URLs into links. Never uses innerHTML.
 * @param {HTMLElement} parent
 * @param {string} text
 */
export function appendLinkified(parent, text) {
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parent.append(text.slice(last, index));
    const link = document.createElement('a');
    link.href = match[0];
    link.textContent = match[0];
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    parent.append(link);
    last = index + match[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}
