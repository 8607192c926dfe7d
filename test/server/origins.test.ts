/** The origin policy's host rule against DNS rebinding (src/server/origins.ts). */
import { describe, expect, it } from 'vitest';
import { OriginPolicy } from '../../src/server/origins.js';

describe('OriginPolicy.acceptsHost', () => {
  const policy = new OriginPolicy(['https://gateway.example.com', 'http://app.example:8080']);

  it('accepts IP addresses and localhost, which no other site can point at the gateway', () => {
    for (const host of ['127.0.0.1:4000', '[::1]:4000', 'localhost:4000', '10.0.0.7:4000', 'localhost']) {
      expect(policy.acceptsHost(host), host).toBe(true);
    }
  });

  it('accepts a name only as the host of an allow-listed origin, port included', () => {
    expect(policy.acceptsHost('gateway.example.com')).toBe(true);
    expect(policy.acceptsHost('app.example:8080')).toBe(true);
    expect(policy.acceptsHost('app.example:8081')).toBe(false);
    expect(policy.acceptsHost('rebound.example:4000')).toBe(false);
    expect(policy.acceptsHost(undefined)).toBe(false);
  });

  it('counts its own origin only under a host that cannot be rebound', () => {
    expect(policy.isOwn('http://127.0.0.1:4000', '127.0.0.1:4000')).toBe(true);
    expect(policy.isOwn('http://rebound.example:4000', 'rebound.example:4000')).toBe(false);
  });
});
