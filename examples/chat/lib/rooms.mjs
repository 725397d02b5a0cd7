// Room names: one room per channel, one per user (so every tab of that user gets its private messages).

/** @param {string} name @returns {string} */
export const channelRoom = (name) => `ch:${name}`;

/** @param {string} userId @returns {string} */
export const userRoom = (userId) => `user:${userId}`;

/** @param {string} room @returns {string | null} the channel name if `room` is a channel room */
export const channelOfRoom = (room) => (room.startsWith('ch:') ? room.slice(3) : null);
