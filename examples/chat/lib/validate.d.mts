// Types for validate.mjs.
export const LIMITS: Readonly<{
  nicknameMaxChars: number;
  channelNameMaxChars: number;
  messageMaxChars: number;
  messageIdMaxChars: number;
  userIdMaxChars: number;
}>;
export function parseNickname(value: unknown): string | null;
export function parseChannelName(value: unknown): string | null;
export function parseId(value: unknown, maxChars?: number): string | null;
export function parseMessageText(value: unknown): string | null;
export function asRecord(value: unknown): Record<string, unknown> | null;
