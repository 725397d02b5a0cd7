import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieJar } from './cookie-jar.js';

describe('CookieJar', () => {
  it('is empty until a response sets a cookie', () => {
    assert.equal(new CookieJar().header(), undefined);
  });

  it('sends back name=value pairs without their attributes', () => {
    const jar = new CookieJar();
    jar.store(['io=abc; Path=/; HttpOnly; SameSite=Lax', 'lb=node-2']);
    assert.equal(jar.header(), 'io=abc; lb=node-2');
  });

  it('replaces a cookie set again under the same name', () => {
    const jar = new CookieJar();
    jar.store(['lb=node-1']);
    jar.store(['lb=node-2']);
    assert.equal(jar.header(), 'lb=node-2');
  });

  it('deletes a cookie set with Max-Age=0 or an Expires date in the past', () => {
    const jar = new CookieJar();
    jar.store(['a=1', 'b=2', 'c=3']);
    jar.store(['a=; Max-Age=0', 'b=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    assert.equal(jar.header(), 'c=3');
  });

  it('lets Max-Age win over Expires', () => {
    const jar = new CookieJar();
    jar.store(['a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60']);
    assert.equal(jar.header(), 'a=1');
  });

  it('keeps values that contain "=" and ignores lines without a name', () => {
    const jar = new CookieJar();
    jar.store(['token=a=b==', '=orphan', 'novalue']);
    assert.equal(jar.header(), 'token=a=b==');
  });
});
